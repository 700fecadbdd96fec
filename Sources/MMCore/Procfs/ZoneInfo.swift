/// The contents of `/proc/zoneinfo`: every zone of every online node, populated or not.
///
/// Values are in pages. Stat blocks are ordered name/value arrays so that rendering reproduces the
/// file; the watermarks are printed with the current boost included (zones-watermarks.md §3).
///
/// Kernel: `zoneinfo_show_print()` in `mm/vmstat.c`.
public struct ZoneInfo: Hashable, Sendable {
  /// One zone's block, from its `Node %d, zone %8s` line to the next one.
  public struct Entry: Hashable, Sendable {
    /// The NUMA node id.
    public var node: Int
    /// The zone name as the kernel prints it (`DMA`, `DMA32`, `Normal`, `Movable`, `Device`).
    public var zone: String
    /// The node's `per-node stats` block, printed only with the node's first populated zone.
    public var nodeStats: [NamedValue]?
    /// `pages free`: `NR_FREE_PAGES`.
    public var free: Int
    /// `boost`: `watermark_boost` (5.0+).
    public var boost: Int
    /// `min`: the min watermark plus ``boost``.
    public var min: Int
    /// `low`: the low watermark plus ``boost``.
    public var low: Int
    /// `high`: the high watermark plus ``boost``.
    public var high: Int
    /// `promo`: the promo watermark plus ``boost``; not printed by 6.1.
    public var promo: Int?
    /// `spanned`: `spanned_pages`, holes included.
    public var spanned: Int
    /// `present`: `present_pages`.
    public var present: Int
    /// `managed`: `managed_pages`, the pages the buddy allocator owns.
    public var managed: Int
    /// `cma`: `cma_pages` (5.x+).
    public var cma: Int?
    /// `protection`: `lowmem_reserve[]`, one entry per zone type.
    public var protection: [Int]
    /// What follows `protection` in a populated zone; `nil` for an unpopulated zone.
    public var details: Details?

    /// Creates a zone entry.
    public init(
      node: Int, zone: String, nodeStats: [NamedValue]? = nil, free: Int, boost: Int, min: Int,
      low: Int, high: Int, promo: Int? = nil, spanned: Int, present: Int, managed: Int,
      cma: Int? = nil, protection: [Int], details: Details? = nil
    ) {
      self.node = node
      self.zone = zone
      self.nodeStats = nodeStats
      self.free = free
      self.boost = boost
      self.min = min
      self.low = low
      self.high = high
      self.promo = promo
      self.spanned = spanned
      self.present = present
      self.managed = managed
      self.cma = cma
      self.protection = protection
      self.details = details
    }

    /// Whether the kernel printed the zone as populated (`populated_zone()`).
    public var isPopulated: Bool { details != nil }

    /// The computed watermarks: the printed values minus the boost.
    ///
    /// `promo` is 0 when the file does not print it.
    public var watermarks: ZoneWatermarks {
      ZoneWatermarks(
        min: min - boost, low: low - boost, high: high - boost,
        promo: promo.map { $0 - boost } ?? 0,
        boost: boost)
    }
  }

  /// The lines printed only for a populated zone.
  public struct Details: Hashable, Sendable {
    /// The zone counters (`zone_stat_item`: `nr_free_pages` … `nr_free_cma`).
    public var stats: [NamedValue]
    /// The NUMA event counters (`numa_hit` …), from the first `numa_` name on; empty without
    /// `CONFIG_NUMA`.
    public var numaStats: [NamedValue]
    /// The per-cpu page lists, one per online cpu.
    public var pagesets: [Pageset]
    /// `node_unreclaimable`: kswapd failed `MAX_RECLAIM_RETRIES` times in a row on the node.
    public var nodeUnreclaimable: Bool
    /// `start_pfn`: `zone_start_pfn`.
    public var startPFN: Int

    /// Creates the populated-zone lines.
    public init(
      stats: [NamedValue], numaStats: [NamedValue] = [], pagesets: [Pageset],
      nodeUnreclaimable: Bool, startPFN: Int
    ) {
      self.stats = stats
      self.numaStats = numaStats
      self.pagesets = pagesets
      self.nodeUnreclaimable = nodeUnreclaimable
      self.startPFN = startPFN
    }
  }

  /// One cpu's `struct per_cpu_pages` in a zone.
  public struct Pageset: Hashable, Sendable {
    /// The cpu number.
    public var cpu: Int
    /// `count`: pages on the cpu's lists.
    public var count: Int
    /// `high`: the count above which pages go back to the buddy allocator.
    public var high: Int
    /// `batch`: pages moved per refill or drain.
    public var batch: Int
    /// `vm stats threshold`: the cpu's counter-fold threshold (`CONFIG_SMP` only).
    public var statThreshold: Int?
    /// `high_min` (6.7+): the lower bound of the auto-tuned `high`.
    public var highMin: Int?
    /// `high_max` (6.7+): the upper bound of the auto-tuned `high`.
    public var highMax: Int?

    /// Creates a pageset.
    public init(cpu: Int, count: Int, high: Int, batch: Int, statThreshold: Int? = nil) {
      self.cpu = cpu
      self.count = count
      self.high = high
      self.batch = batch
      self.statThreshold = statThreshold
    }
  }

  /// The zones in file order (node by node, zone index order within a node).
  public var entries: [Entry]

  /// Creates the file's contents from its entries.
  public init(entries: [Entry]) {
    self.entries = entries
  }

  /// The entry for `zone` on `node`, if the file has it.
  public func entry(node: Int = 0, zone: String) -> Entry? {
    entries.first { $0.node == node && $0.zone == zone }
  }
}
