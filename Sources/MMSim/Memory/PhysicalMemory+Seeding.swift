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
  /// where each type's blocks lie): kernel-ish types low, movable after, CMA at the top.
  static let seedTypeOrder: [MigrateType] = [
    .unmovable, .reclaimable, .highAtomic, .isolate, .reserve, .movable, .cma,
  ]

  /// Rebuilds a machine from a captured state: pageblocks typed per `seeds`, every free block
  /// placed in a pageblock of its list's type so that no two free buddies could merge (the
  /// captured counts are reproduced exactly), everything else allocated as its pageblock's type.
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
    let steps = Array(stride(from: span.startPFN, to: span.endPFN, by: layout.pageblockPages))
    let typed = Self.seedTypeOrder.flatMap { type in
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
          guard let pfn = placer.place(order: order, type: type) else {
            throw SeedError(
              zone: zone,
              reason: "no room for \(count) free order-\(order) \(type.kernelName) blocks")
          }
          frames[frameIndex(pfn)].state = .tail
          addToFreeList(pfn, order: order, type: type, atTail: true)
        }
      }
    }
    // 3. Everything else in the zone's managed range is allocated, page by page.
    var pfn = span.endPFN - span.managed
    while pfn < span.endPFN {
      let frame = frames[pfn - basePFN]
      if frame.state == .freeHead {
        pfn += 1 << Int(frame.order)
      } else {
        recordAllocation(PFN(pfn), order: 0, type: pageblockType(of: PFN(pfn)))
        pfn += 1
      }
    }
  }
}

/// Places free blocks in a zone so that no two free buddies exist: takes aligned regions of the
/// right pageblock type, splits them, and marks the sibling of every block it frees as one that
/// must not become entirely free.
struct FreeBlockPlacer {
  /// Available regions per type and order: start PFNs.
  private var regions: [MigrateType: [[Int]]] = [:]
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
    let managedStart = span.endPFN - span.managed
    for pfn in stride(
      from: managedStart & ~((1 << pageblockOrder) - 1), to: span.endPFN, by: 1 << pageblockOrder)
    {
      types[pfn] = memory.pageblockType(of: PFN(max(pfn, managedStart)))
    }
    let blockMask = ~((1 << pageblockOrder) - 1)
    pageblockTypeOf = { types[$0 & blockMask] ?? .movable }
    for type in MigrateType.allCases {
      regions[type] = Array(repeating: [], count: maxOrder + 1)
    }
    addRegions(from: managedStart, to: span.endPFN)
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
      regions[pageblockTypeOf(pfn), default: []][order].append(pfn)
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
  mutating func place(order: Int, type: MigrateType) -> PFN? {
    guard var pool = regions[type] else { return nil }
    defer { regions[type] = pool }
    for size in order...maxOrder {
      guard
        let index = pool[size].lastIndex(where: {
          size > order || !mustSplit.contains($0 << 8 | size)
        })
      else { continue }
      let start = pool[size].remove(at: index)
      var current = size
      while current > order {
        // Keep the lower half; the upper half stays available.
        current -= 1
        pool[current].append(start + (1 << current))
      }
      mustSplit.insert((start ^ (1 << order)) << 8 | order)
      return PFN(start)
    }
    return nil
  }
}
