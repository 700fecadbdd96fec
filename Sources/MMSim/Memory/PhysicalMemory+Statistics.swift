internal import MMCore

extension PhysicalMemory {
  /// Free blocks of a zone per migratetype and order, as `/proc/pagetypeinfo` counts them:
  /// `result[type.rawValue][order]`.
  public func freeBlocksByType(zone: Int) -> [[Int]] {
    MigrateType.allCases.map { type in
      (0..<orderCount).map { freeBlockCount(zone: zone, order: $0, type: type) }
    }
  }

  /// Free blocks of a zone per order, all types (`/proc/buddyinfo`, `nr_free`).
  public func freeBlocks(zone: Int) -> [Int] {
    (0..<orderCount).map { order in
      MigrateType.allCases.reduce(0) { $0 + freeBlockCount(zone: zone, order: order, type: $1) }
    }
  }

  /// Pageblocks of a zone per migratetype (`Number of blocks type`), by `MigrateType.rawValue`:
  /// one count per pageblock step from the zone's first PFN, as
  /// `pagetypeinfo_showblockcount_print()` walks.
  public func pageblockCounts(zone: Int) -> [Int] {
    var counts = Array(repeating: 0, count: Self.typeCount)
    let span = layout.zones[zone]
    // Steps into the trailing hole find no online page and count nothing.
    for pfn in stride(from: span.startPFN, to: span.holeStartPFN, by: layout.pageblockPages) {
      counts[pageblockType(of: PFN(pfn)).rawValue] += 1
    }
    return counts
  }
}
