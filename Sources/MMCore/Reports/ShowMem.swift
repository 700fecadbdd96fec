/// The `Mem-Info:` block that allocation-failure and OOM reports print: global counters, per-node
/// and per-zone state, free blocks per order, swap and page totals.
///
/// The block is kept as its lines in print order (``lines``), every line either understood
/// (``Line``'s typed cases) or kept as printed (``Line/unrecognized(_:)``), so that rendering
/// gives back every line. The computed properties collect the typed lines for reading.
///
/// Kernel: `__show_mem()` / `show_free_areas()` in `mm/show_mem.c` (6.x), `show_free_areas()` in
/// `mm/page_alloc.c` and `show_mem()` in `lib/show_mem.c` (≤ 5.x), `show_swap_cache_info()` in
/// `mm/swap_state.c`, `hugetlb_show_meminfo_node()` in `mm/hugetlb.c`
/// (../shared/kernel/show-mem-meminfo-overcommit.md §1).
public struct ShowMem: Hashable, Sendable {
  /// One printed line of the block, after the `Mem-Info:` line.
  public enum Line: Hashable, Sendable {
    /// One line of the global counter block (pages): `active_anon:%lu inactive_anon:%lu …`; the
    /// lines after the first start with a space.
    case counters([NamedValue])
    /// `Node %d active_anon:%lukB …` (4.8+: per-node LRU state, kB).
    case node(NodeState)
    /// `[Node %d ]%s free:%lukB min:%lukB …` (per-zone state, kB).
    case zone(ZoneState)
    /// `lowmem_reserve[]: %ld …` (pages, one per zone type), after each zone line.
    case lowmemReserve([Int])
    /// `[Node %d ]%s: %lu*%lukB (%s) … = %lukB` (free blocks per order).
    case freeArea(FreeArea)
    /// `Node %d hugepages_total=%u hugepages_free=%u hugepages_surp=%u hugepages_size=%lukB`.
    case hugepages(Hugepages)
    /// `%ld total pagecache pages`.
    case pagecache(Int)
    /// `%lu pages in swap cache`.
    case swapCache(Int)
    /// `Swap cache stats: add %lu, delete %lu, find %lu/%lu` (removed ≈ 5.16).
    case swapCacheStats(add: Int, delete: Int, find: Int, findTotal: Int)
    /// `Free swap  = %ldkB` (two spaces before `=`).
    case freeSwap(kilobytes: Int)
    /// `Total swap = %lukB`.
    case totalSwap(kilobytes: Int)
    /// `%lu pages <label>`: `RAM`, `HighMem/MovableOnly`, `reserved`, `cma reserved`,
    /// `hwpoisoned`, and ≤ 3.x `HighMem`, `shared`, `non-shared`.
    case pages(count: Int, label: String)
    /// A line oomlab does not model (≤ 3.x per-cpu pagesets, 6.10+ allocation profiling, …),
    /// kept as printed.
    case unrecognized(String)
  }

  /// The lines after `Mem-Info:`, in print order.
  public var lines: [Line]
  /// The block's first line as printed: `Mem-Info:`, or `Mem-info:` from arm's own
  /// `show_mem()` of the 3.x era.
  public var heading: String

  /// Creates the block from its lines.
  public init(lines: [Line], heading: String = "Mem-Info:") {
    self.lines = lines
    self.heading = heading
  }
}

// MARK: - Reading

extension ShowMem {
  /// The global counters, across their continuation lines, in print order.
  public var counters: [NamedValue] {
    lines.flatMap { line -> [NamedValue] in
      if case .counters(let values) = line { return values }
      return []
    }
  }

  /// The per-node lines.
  public var nodes: [NodeState] {
    lines.compactMap { if case .node(let node) = $0 { node } else { nil } }
  }

  /// The per-zone lines.
  public var zones: [ZoneState] {
    lines.compactMap { if case .zone(let zone) = $0 { zone } else { nil } }
  }

  /// The `lowmem_reserve[]` lines, one per zone line.
  public var lowmemReserves: [[Int]] {
    lines.compactMap { if case .lowmemReserve(let values) = $0 { values } else { nil } }
  }

  /// The free-block lines, one per populated zone.
  public var freeAreas: [FreeArea] {
    lines.compactMap { if case .freeArea(let area) = $0 { area } else { nil } }
  }

  /// The hugepage lines (per node and huge page size).
  public var hugepages: [Hugepages] {
    lines.compactMap { if case .hugepages(let pages) = $0 { pages } else { nil } }
  }

  /// The count of the first `%lu pages <label>` line with this label (`RAM`, `reserved`, …).
  public func pages(_ label: String) -> Int? {
    for case .pages(let count, let name) in lines where name == label { return count }
    return nil
  }

  /// The lines kept as printed.
  public var unrecognizedLines: [String] {
    lines.compactMap { if case .unrecognized(let text) = $0 { text } else { nil } }
  }
}
