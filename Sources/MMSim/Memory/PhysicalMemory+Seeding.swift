public import MMCore

/// What a captured machine state says about one zone: enough to rebuild its free lists.
public struct ZoneSeed: Sendable {
  /// Pageblocks per migratetype (`/proc/pagetypeinfo` "Number of blocks type").
  public var pageblocks: [MigrateType: Int]
  /// Free blocks per migratetype and order (`/proc/pagetypeinfo` free counts).
  public var freeBlocks: [MigrateType: [Int]]
  /// The zone's watermarks (un-boosted values and the boost).
  public var watermarks: ZoneWatermarks
  /// `lowmem_reserve[]` (zoneinfo `protection:`).
  public var lowmemReserve: [Int]
  /// The per-cpu `batch` and `high` the capture printed, when it did.
  public var perCPU: (batch: Int, high: Int)?
  /// Pages on each LRU list (zoneinfo `nr_zone_inactive_anon` …), placed on allocated pages.
  public var lruPages: [LRUList: Int] = [:]
  /// Of the file pages, those dirty or under writeback (`nr_zone_write_pending`).
  public var writePendingPages = 0

  /// Creates a seed.
  public init(
    pageblocks: [MigrateType: Int], freeBlocks: [MigrateType: [Int]],
    watermarks: ZoneWatermarks = ZoneWatermarks(min: 0, low: 0, high: 0), lowmemReserve: [Int] = []
  ) {
    self.pageblocks = pageblocks
    self.freeBlocks = freeBlocks
    self.watermarks = watermarks
    self.lowmemReserve = lowmemReserve
  }
}

/// Why a captured state could not be rebuilt.
public struct SeedError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The zone's index in the layout.
  public var zone: Int
  /// What does not fit.
  public var reason: String

  /// Creates the error.
  public init(zone: Int, reason: String) {
    self.zone = zone
    self.reason = reason
  }

  /// `zone <n>: <reason>`.
  public var description: String { "zone \(zone): \(reason)" }
}

extension PhysicalMemory {
  /// The order pageblock types are laid out in along a seeded zone (the snapshot does not say
  /// where each type's blocks lie): types whose largest free block is smallest first (they fit
  /// the zone's unaligned start), fewer pageblocks first among equals, CMA always at the top.
  static func seedTypeOrder(_ seed: ZoneSeed) -> [MigrateType] {
    func largestFreeOrder(_ type: MigrateType) -> Int {
      seed.freeBlocks[type]?.lastIndex { $0 > 0 } ?? -1
    }
    return MigrateType.allCases.filter { $0 != .cma }.sorted { a, b in
      let (orderA, orderB) = (largestFreeOrder(a), largestFreeOrder(b))
      if orderA != orderB { return orderA < orderB }
      return (seed.pageblocks[a] ?? 0) < (seed.pageblocks[b] ?? 0)
    } + [.cma]
  }

  /// Rebuilds a machine from a captured state: pageblocks typed per `seeds`, every free block
  /// placed (in a pageblock of its list's type where one has room) so that no two free buddies
  /// could merge — the captured counts are reproduced exactly — then the zone's unmanaged pages
  /// among the remaining frames, and everything else allocated as its pageblock's type.
  ///
  /// Per-cpu pages are counted as allocated; `nr_reserved_highatomic` is taken as the HighAtomic
  /// pageblocks' pages. Which frames are free is a choice (the snapshot has no addresses); the
  /// counts per order × type and per pageblock type are the kernel's.
  ///
  /// - Throws: ``SeedError`` when the counts cannot fit the zone (more pageblocks than it spans,
  ///   more free pages of a type than its pageblocks hold).
  public init(layout: MachineLayout, rules: AllocatorRules, seeds: [ZoneSeed]) throws(SeedError) {
    self.init(layout: layout, rules: rules, allFree: false)
    for (zone, seed) in seeds.enumerated() where zone < layout.zones.count {
      try seedZone(zone, seed)
    }
  }

  private mutating func seedZone(_ zone: Int, _ seed: ZoneSeed) throws(SeedError) {
    let span = layout.zones[zone]
    settings[zone].setWatermarks(seed.watermarks, rules: rules)
    if let (batch, high) = seed.perCPU {
      settings[zone].perCPUBatch = batch
      settings[zone].perCPUHigh = high
    }
    if seed.lowmemReserve.count == settings[zone].reserveCount {
      settings[zone].lowmemReserve = seed.lowmemReserve
    }
    guard span.spanned > 0 else { return }
    // 1. Pageblock types along the zone, stepping from its first PFN.
    let presentEnd = span.holeStartPFN
    let steps = Array(stride(from: span.startPFN, to: presentEnd, by: layout.pageblockPages))
    let typed = Self.seedTypeOrder(seed).flatMap { type in
      Array(repeating: type, count: seed.pageblocks[type] ?? 0)
    }
    guard typed.count <= steps.count else {
      throw SeedError(zone: zone, reason: "\(typed.count) pageblocks do not fit in \(steps.count)")
    }
    for (index, pfn) in steps.enumerated() {
      setPageblockType(of: PFN(pfn), to: index < typed.count ? typed[index] : .movable)
    }
    counters[zone].reservedHighAtomic = (seed.pageblocks[.highAtomic] ?? 0) * layout.pageblockPages
    // 2. Free blocks, largest first, into regions of their type.
    var placer = FreeBlockPlacer(memory: self, zone: zone)
    for order in stride(from: layout.maxOrder, through: 0, by: -1) {
      for type in MigrateType.allCases {
        let count = seed.freeBlocks[type].map { order < $0.count ? $0[order] : 0 } ?? 0
        for _ in 0..<count {
          // A free block usually sits in a pageblock of its list's type, but not always.
          var placed: PFN?
          for candidate in [type, .movable] + MigrateType.allCases where placed == nil {
            placed = placer.place(order: order, type: candidate)
          }
          guard let pfn = placed else {
            throw SeedError(
              zone: zone,
              reason: "no room for \(count) free order-\(order) \(type.kernelName) blocks")
          }
          frames[frameIndex(pfn)].state = .tail
          addToFreeList(pfn, order: order, type: type, atTail: true)
        }
      }
    }
    // 3. The other frames: the trailing hole; before it, the rest of the unmanaged pages (boot
    //    reservations, smaller holes) — in movable pageblocks first, as boot leaves every
    //    pageblock movable and nothing steals a block without free pages — and the others are
    //    allocated.
    for hole in presentEnd..<span.endPFN { frames[hole - basePFN].state = .unavailable }
    var unmanaged = (presentEnd - span.startPFN) - span.managed
    for inMovableBlock in [true, false] where unmanaged > 0 {
      forEachUnplacedFrame(from: span.startPFN, to: presentEnd) { memory, pfn in
        guard unmanaged > 0, (memory.pageblockType(of: PFN(pfn)) == .movable) == inMovableBlock
        else { return }
        memory.frames[pfn - memory.basePFN].state = .unavailable
        unmanaged -= 1
      }
    }
    guard unmanaged == 0 else {
      throw SeedError(
        zone: zone, reason: "free pages leave no room for \(unmanaged) unmanaged pages")
    }
    forEachUnplacedFrame(from: span.startPFN, to: presentEnd) { memory, pfn in
      memory.recordAllocation(PFN(pfn), order: 0, type: memory.pageblockType(of: PFN(pfn)))
    }
    placeLRUPages(zone: zone, seed)
  }
}

extension PhysicalMemory {
  /// Calls `body` for every frame of `[start, end)` seeding has not placed yet: neither in a
  /// free block nor unavailable.
  fileprivate mutating func forEachUnplacedFrame(
    from start: Int, to end: Int, _ body: (inout PhysicalMemory, Int) -> Void
  ) {
    var pfn = start
    while pfn < end {
      let frame = frames[pfn - basePFN]
      if frame.state == .freeHead {
        pfn += 1 << Int(frame.order)
        continue
      }
      if frame.state == .tail { body(&self, pfn) }
      pfn += 1
    }
  }

  /// Gives the seed's LRU page counts to allocated order-0 pages, those in movable and CMA
  /// pageblocks first (where user and cache pages live), so that reclaim and compaction find
  /// them; the first `writePendingPages` file pages are dirty.
  fileprivate mutating func placeLRUPages(zone: Int, _ seed: ZoneSeed) {
    var wanted = LRUList.allCases.map { seed.lruPages[$0] ?? 0 }
    var dirty = seed.writePendingPages
    guard wanted.contains(where: { $0 > 0 }) else { return }
    let span = layout.zones[zone]
    for preferred in [true, false] {
      var pfn = span.startPFN
      while pfn < span.holeStartPFN,
        let list = LRUList.allCases.first(where: { wanted[$0.rawValue] > 0 })
      {
        let frame = frames[pfn - basePFN]
        let type = pageblockType(of: PFN(pfn))
        let inUserBlock = type == .movable || type == .cma
        if frame.state == .allocatedHead && frame.order == 0 && frame.use == .kernel
          && inUserBlock == preferred
        {
          let use: PageUse
          if list.isAnon {
            use = .anon
          } else if dirty > 0 {
            use = .fileDirty
            dirty -= 1
          } else {
            use = .file
          }
          frames[pfn - basePFN].use = use
          addToLRU(PFN(pfn), list: list)
          wanted[list.rawValue] -= 1
        }
        pfn += frame.blockSpan
      }
    }
  }
}

/// Places free blocks in a zone so that no two free buddies exist: takes aligned regions of the
/// right pageblock type, splits them, and marks the sibling of every block it frees as one that
/// must not become entirely free.
struct FreeBlockPlacer {
  /// Available regions of one type and order.
  private struct Regions {
    /// Regions that may become one free block.
    var whole: [Int] = []
    /// Regions whose buddy is free: they may only be split.
    var splitOnly: [Int] = []
  }

  /// Available regions per type, indexed by order.
  private var regions: [MigrateType: [Regions]] = [:]
  /// Regions (pfn << 8 | order) that must not be freed whole: their buddy is free.
  private var mustSplit: Set<Int> = []
  private let maxOrder: Int
  private let pageblockOrder: Int
  private let pageblockTypeOf: (Int) -> MigrateType

  init(memory: borrowing PhysicalMemory, zone: Int) {
    let span = memory.layout.zones[zone]
    maxOrder = memory.layout.maxOrder
    pageblockOrder = memory.layout.pageblockOrder
    var types: [Int: MigrateType] = [:]
    for pfn in stride(
      from: span.startPFN & ~((1 << pageblockOrder) - 1), to: span.endPFN, by: 1 << pageblockOrder)
    {
      types[pfn] = memory.pageblockType(of: PFN(max(pfn, span.startPFN)))
    }
    let blockMask = ~((1 << pageblockOrder) - 1)
    pageblockTypeOf = { types[$0 & blockMask] ?? .movable }
    for type in MigrateType.allCases {
      regions[type] = Array(repeating: Regions(), count: maxOrder + 1)
    }
    addRegions(from: span.startPFN, to: span.holeStartPFN)
  }

  /// Splits `[start, end)` into maximal aligned regions of one pageblock type each.
  private mutating func addRegions(from start: Int, to end: Int) {
    var pfn = start
    while pfn < end {
      var order = maxOrder
      while order > 0
        && (pfn & ((1 << order) - 1) != 0 || pfn + (1 << order) > end || !isUniform(pfn, order))
      {
        order -= 1
      }
      regions[pageblockTypeOf(pfn), default: []][order].whole.append(pfn)
      pfn += 1 << order
    }
  }

  /// Whether a region of `order` at `pfn` lies in pageblocks of one type.
  private func isUniform(_ pfn: Int, _ order: Int) -> Bool {
    guard order > pageblockOrder else { return true }
    let first = pageblockTypeOf(pfn)
    return stride(from: pfn, to: pfn + (1 << order), by: 1 << pageblockOrder).allSatisfy {
      pageblockTypeOf($0) == first
    }
  }

  /// Takes a region of `type` for a free block of `order` and returns its PFN, or `nil`.
  ///
  /// A region of exactly `order` is used only if its buddy is not free; larger regions are split,
  /// split-only ones first, the upper halves staying available.
  ///
  /// - Complexity: amortized O(maxOrder).
  mutating func place(order: Int, type: MigrateType) -> PFN? {
    guard var pool = regions[type] else { return nil }
    defer { regions[type] = pool }
    var start: Int?
    while start == nil, let last = pool[order].whole.popLast() {
      if mustSplit.contains(last << 8 | order) {
        pool[order].splitOnly.append(last)
      } else {
        start = last
      }
    }
    var size = order
    while start == nil && size < maxOrder {
      size += 1
      start = pool[size].splitOnly.popLast() ?? pool[size].whole.popLast()
    }
    guard let start else { return nil }
    while size > order {
      // Keep the lower half; the upper half stays available.
      size -= 1
      pool[size].whole.append(start + (1 << size))
    }
    // Blocks of the highest order never merge; below it the buddy must not end up free whole.
    if order < maxOrder { mustSplit.insert((start ^ (1 << order)) << 8 | order) }
    return PFN(start)
  }
}
