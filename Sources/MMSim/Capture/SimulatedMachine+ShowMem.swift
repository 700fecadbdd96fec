public import MMCore

/// The build options that decide which lines and fields `show_mem` prints.
public struct ShowMemConfig: Hashable, Sendable {
  /// `CONFIG_NUMA`: zone and free-area lines start with `Node %d `.
  public var numa: Bool
  /// `CONFIG_TRANSPARENT_HUGEPAGE`: the node line's `shmem_thp`/`anon_thp` group.
  public var transparentHugepage: Bool
  /// `CONFIG_HUGETLB_PAGE`: one `hugepages_*` line per node and huge page size (kB).
  public var hugePageSizes: [Int]
  /// `CONFIG_SWAP`: the swap-cache and swap lines.
  public var swap: Bool
  /// `CONFIG_MEMORY_FAILURE`: `N pages hwpoisoned`.
  public var memoryFailure: Bool

  /// Creates a config.
  public init(
    numa: Bool, transparentHugepage: Bool, hugePageSizes: [Int], swap: Bool, memoryFailure: Bool
  ) {
    self.numa = numa
    self.transparentHugepage = transparentHugepage
    self.hugePageSizes = hugePageSizes
    self.swap = swap
    self.memoryFailure = memoryFailure
  }

  /// A distribution kernel of the architecture (Debian 6.1 amd64 for x86_64); embedded
  /// (`generic`) boards have none of the options.
  public static func typical(for architecture: Architecture) -> ShowMemConfig {
    switch architecture {
    case .x86_64:
      ShowMemConfig(
        numa: true, transparentHugepage: true, hugePageSizes: [2048], swap: true,
        memoryFailure: true)
    case .arm64:
      ShowMemConfig(
        numa: true, transparentHugepage: true, hugePageSizes: [], swap: true, memoryFailure: true)
    case .i386:
      ShowMemConfig(
        numa: false, transparentHugepage: true, hugePageSizes: [2048], swap: true,
        memoryFailure: true)
    case .generic:
      ShowMemConfig(
        numa: false, transparentHugepage: false, hugePageSizes: [], swap: false,
        memoryFailure: false)
    }
  }
}

/// `show_mem()` of a simulated machine, in the field layout of its kernel version: the 4.9 form
/// before 5.8 (NFS `unstable`), the 5.10 form for 5.8–5.10, the 6.1 form from 5.11 (`boost`,
/// page tables on the node line; `sec_pagetables` from 6.0). Counters the model does not keep
/// (mapped, isolated, mlocked, bounce, swap cache) print as 0. Facts:
/// show-mem-meminfo-overcommit.md §1.
extension SimulatedMachine {
  /// The `Mem-Info:` block warn_alloc prints: zones up to `highestZoneIndex` on 6.x, all zones
  /// before.
  public func showMem(highestZoneIndex: Int? = nil, config: ShowMemConfig? = nil) -> ShowMem {
    let config = config ?? .typical(for: memory.layout.architecture)
    let kernel = memory.rules.kernel
    let family = ShowMemFamily(kernel)
    let uses = pagesByUse()
    let kb = memory.layout.pageSize / 1024
    var lines: [ShowMem.Line] = counterLines(family, kernel: kernel, uses: uses)
    let nodes = Set(memory.layout.zones.map(\.node)).sorted()
    for node in nodes {
      lines.append(.node(nodeState(node, family: family, config: config, uses: uses, kb: kb)))
    }
    let shown = memory.layout.zones.indices.filter { zone in
      let span = memory.layout.zones[zone]
      guard span.isPopulated else { return false }
      guard family == .v6_1, let highest = highestZoneIndex,
        let kind = memory.layout.zoneKinds.firstIndex(of: span.kind)
      else { return true }
      return kind <= highest
    }
    for zone in shown {
      lines.append(.zone(zoneState(zone, family: family, config: config, uses: uses, kb: kb)))
      lines.append(.lowmemReserve(memory.zoneSettings(zone).lowmemReserve))
    }
    for zone in shown { lines.append(.freeArea(freeArea(zone, config: config, kb: kb))) }
    for node in nodes {
      for size in config.hugePageSizes {
        lines.append(
          .hugepages(.init(node: node, total: 0, free: 0, surplus: 0, sizeKilobytes: size)))
      }
    }
    lines.append(.pagecache(uses.total(of: [.file, .fileDirty, .fileWriteback, .shmem])))
    if config.swap {
      lines.append(.swapCache(0))
      if family == .v4_9 { lines.append(.swapCacheStats(add: 0, delete: 0, find: 0, findTotal: 0)) }
      lines.append(.freeSwap(kilobytes: swap.freePages * kb))
      lines.append(.totalSwap(kilobytes: swap.totalPages * kb))
    }
    let zones = memory.layout.zones
    lines.append(.pages(count: zones.reduce(0) { $0 + $1.present }, label: "RAM"))
    lines.append(
      .pages(
        count: zones.filter { $0.kind == .highmem || $0.kind == .movable }.reduce(0) {
          $0 + $1.present
        },
        label: "HighMem/MovableOnly"))
    lines.append(
      .pages(count: zones.reduce(0) { $0 + $1.present - $1.managed }, label: "reserved"))
    if memory.layout.migrateTypes.contains(.cma) {
      let cma = zones.indices.reduce(0) { $0 + memory.cmaPages(zone: $1) }
      lines.append(.pages(count: cma, label: "cma reserved"))
    }
    if config.memoryFailure { lines.append(.pages(count: 0, label: "hwpoisoned")) }
    return ShowMem(lines: lines)
  }

  // MARK: - Pieces

  private func counterLines(_ family: ShowMemFamily, kernel: KernelVersion, uses: PagesByUse)
    -> [ShowMem.Line]
  {
    let zones = memory.layout.zones.indices
    func lru(_ list: LRUList) -> Int {
      zones.reduce(0) { $0 + memory.lruPageCount(zone: $1, list: list) }
    }
    func line(_ pairs: [(String, Int)]) -> ShowMem.Line {
      .counters(pairs.map { NamedValue(name: $0.0, value: $0.1) })
    }
    let free = zones.reduce(0) { $0 + memory.freePages(zone: $1) }
    let pcp = zones.reduce(0) { $0 + memory.perCPUPages(zone: $1) }
    let cma = zones.reduce(0) { $0 + memory.freeCMAPages(zone: $1) }
    var lines = [
      line([
        ("active_anon", lru(.activeAnon)), ("inactive_anon", lru(.inactiveAnon)),
        ("isolated_anon", 0),
      ]),
      line([
        ("active_file", lru(.activeFile)), ("inactive_file", lru(.inactiveFile)),
        ("isolated_file", 0),
      ]),
      line(
        [("unevictable", 0), ("dirty", uses[.fileDirty]), ("writeback", uses[.fileWriteback])]
          + (family == .v4_9 ? [("unstable", 0)] : [])),
      line([
        ("slab_reclaimable", uses[.slabReclaimable]),
        ("slab_unreclaimable", uses[.slabUnreclaimable]),
      ]),
    ]
    if family == .v6_1 {
      lines.append(
        line([("mapped", 0), ("shmem", uses[.shmem]), ("pagetables", uses[.pageTable])]))
      if kernel.isAtLeast(6, 0) { lines.append(line([("sec_pagetables", 0), ("bounce", 0)])) }
      lines.append(line([("kernel_misc_reclaimable", 0)]))
    } else {
      lines.append(
        line([
          ("mapped", 0), ("shmem", uses[.shmem]), ("pagetables", uses[.pageTable]), ("bounce", 0),
        ]))
    }
    lines.append(line([("free", free), ("free_pcp", pcp), ("free_cma", cma)]))
    return lines
  }

  private func nodeState(
    _ node: Int, family: ShowMemFamily, config: ShowMemConfig, uses: PagesByUse, kb: Int
  ) -> ShowMem.NodeState {
    let zones = memory.layout.zones.indices.filter { memory.layout.zones[$0].node == node }
    func lru(_ list: LRUList) -> Int {
      zones.reduce(0) { $0 + memory.lruPageCount(zone: $1, list: list) } * kb
    }
    func field(_ name: String, _ value: Int, _ separator: ShowMem.Field.Separator = .colon)
      -> ShowMem.Field
    {
      ShowMem.Field(name: name, separator: separator, value: .number(value))
    }
    var fields = [
      field("active_anon", lru(.activeAnon)), field("inactive_anon", lru(.inactiveAnon)),
      field("active_file", lru(.activeFile)), field("inactive_file", lru(.inactiveFile)),
      field("unevictable", 0), field("isolated(anon)", 0), field("isolated(file)", 0),
      field("mapped", 0), field("dirty", uses[.fileDirty] * kb),
      field("writeback", uses[.fileWriteback] * kb), field("shmem", uses[.shmem] * kb),
    ]
    if config.transparentHugepage {
      fields += [
        field("shmem_thp", 0, .colonSpace), field("shmem_pmdmapped", 0, .colonSpace),
        field("anon_thp", 0, .colonSpace),
      ]
    }
    fields.append(field("writeback_tmp", 0))
    switch family {
    case .v4_9:
      fields += [
        field("unstable", 0), ShowMem.Field(name: "pages_scanned", value: .number(0), unit: ""),
      ]
    case .v5_10:
      fields.append(field("kernel_stack", uses[.kernelStack] * kb))
    case .v6_1:
      fields += [
        field("kernel_stack", uses[.kernelStack] * kb), field("pagetables", uses[.pageTable] * kb),
      ]
      if memory.rules.kernel.isAtLeast(6, 0) { fields.append(field("sec_pagetables", 0)) }
    }
    fields.append(
      ShowMem.Field(name: "all_unreclaimable", separator: .question, value: .word("no"), unit: ""))
    return ShowMem.NodeState(node: node, fields: fields)
  }

  private func zoneState(
    _ zone: Int, family: ShowMemFamily, config: ShowMemConfig, uses: PagesByUse, kb: Int
  ) -> ShowMem.ZoneState {
    let span = memory.layout.zones[zone]
    let marks = memory.zoneSettings(zone).watermarks
    func field(_ name: String, _ pages: Int, unit: String = "kB") -> ShowMem.Field {
      ShowMem.Field(name: name, value: .number(pages * kb), unit: unit)
    }
    func lru(_ list: LRUList) -> ShowMem.Field {
      let names: [LRUList: String] = [
        .activeAnon: "active_anon", .inactiveAnon: "inactive_anon", .activeFile: "active_file",
        .inactiveFile: "inactive_file",
      ]
      return field(names[list] ?? "", memory.lruPageCount(zone: zone, list: list))
    }
    let pcp = memory.perCPUPages(zone: zone)
    var fields = [field("free", memory.freePages(zone: zone))]
    if family == .v6_1 { fields.append(field("boost", marks.boost)) }
    fields += [
      field("min", marks.min + marks.boost), field("low", marks.low + marks.boost),
      field("high", marks.high + marks.boost),
    ]
    if family != .v4_9 {
      fields.append(field("reserved_highatomic", memory.reservedHighAtomic(zone: zone), unit: "KB"))
    }
    fields += [
      lru(.activeAnon), lru(.inactiveAnon), lru(.activeFile), lru(.inactiveFile),
      field("unevictable", 0),
      field("writepending", uses.inZone(zone, [.fileDirty, .fileWriteback])),
      field("present", span.present), field("managed", span.managed), field("mlocked", 0),
    ]
    if family == .v4_9 {
      fields += [
        field("slab_reclaimable", uses.inZone(zone, [.slabReclaimable])),
        field("slab_unreclaimable", uses.inZone(zone, [.slabUnreclaimable])),
        field("kernel_stack", uses.inZone(zone, [.kernelStack])),
      ]
    }
    if family != .v6_1 { fields.append(field("pagetables", uses.inZone(zone, [.pageTable]))) }
    fields += [
      field("bounce", 0), field("free_pcp", pcp), field("local_pcp", pcp),
      field("free_cma", memory.freeCMAPages(zone: zone)),
    ]
    return ShowMem.ZoneState(
      node: config.numa ? span.node : nil, zone: span.kind.kernelName, fields: fields)
  }

  private func freeArea(_ zone: Int, config: ShowMemConfig, kb: Int) -> ShowMem.FreeArea {
    let byType = memory.freeBlocksByType(zone: zone)
    let orders = (0...memory.layout.maxOrder).map { order -> ShowMem.FreeArea.Order in
      let types = MigrateType.allCases.filter { byType[$0.rawValue][order] > 0 }
      let count = types.reduce(0) { $0 + byType[$1.rawValue][order] }
      return ShowMem.FreeArea.Order(
        count: count, blockKilobytes: (1 << order) * kb, migrateTypes: count > 0 ? types : nil)
    }
    let span = memory.layout.zones[zone]
    return ShowMem.FreeArea(
      node: config.numa ? span.node : nil, zone: span.kind.kernelName, orders: orders,
      totalKilobytes: orders.reduce(0) { $0 + $1.kilobytes })
  }

  /// Allocated pages per use and zone, counted by walking the frames (reports are rare).
  func pagesByUse() -> PagesByUse {
    var counts = PagesByUse(zones: memory.layout.zones.count)
    for zone in memory.layout.zones.indices {
      let span = memory.layout.zones[zone]
      var pfn = span.startPFN
      while pfn < span.holeStartPFN {
        let frame = memory.frames[memory.frameIndex(PFN(pfn))]
        let size = frame.blockSpan
        if frame.state == .allocatedHead { counts.add(zone: zone, use: frame.use, pages: size) }
        pfn += size
      }
    }
    return counts
  }
}

/// The three `show_mem` field layouts oomlab renders.
enum ShowMemFamily: Hashable {
  case v4_9, v5_10, v6_1

  init(_ kernel: KernelVersion) {
    if kernel.isAtLeast(5, 11) {
      self = .v6_1
    } else if kernel.isAtLeast(5, 8) {
      self = .v5_10
    } else {
      self = .v4_9
    }
  }
}

/// Allocated pages per zone and use.
struct PagesByUse {
  private var counts: [[Int]]

  init(zones: Int) {
    counts = Array(repeating: Array(repeating: 0, count: PageUse.allCases.count), count: zones)
  }

  mutating func add(zone: Int, use: PageUse, pages: Int) {
    counts[zone][Int(use.rawValue)] += pages
  }

  /// Pages of `use` in every zone.
  subscript(use: PageUse) -> Int { counts.reduce(0) { $0 + $1[Int(use.rawValue)] } }

  /// Pages of any of `uses` in every zone.
  func total(of uses: [PageUse]) -> Int { uses.reduce(0) { $0 + self[$1] } }

  /// Pages of any of `uses` in one zone.
  func inZone(_ zone: Int, _ uses: [PageUse]) -> Int {
    uses.reduce(0) { $0 + counts[zone][Int($1.rawValue)] }
  }
}
