public import MMCore

extension WatermarkInspection {
  /// The allocation check for a capture's populated zones (``ZoneAllocationState``), with the
  /// zone kinds of its first node as the `lowmem_reserve[]` columns.
  public static func allocatable(
    zoneInfo: ZoneInfo, pageTypeInfo: PageTypeInfo?, buddyInfo: BuddyInfo?, rules: AllocatorRules
  ) -> AllocatableOrders {
    let first = zoneInfo.entries.first?.node
    let kinds = zoneInfo.entries.filter { $0.node == first }.compactMap {
      ZoneKind(kernelName: $0.zone)
    }
    let zones = zoneInfo.entries.compactMap {
      ZoneAllocationState(entry: $0, pageTypeInfo: pageTypeInfo, buddyInfo: buddyInfo)
    }
    return AllocatableOrders(zones: zones, kinds: kinds, rules: rules)
  }

  /// Adds what each populated zone can still give: the fragmentation indices (with buddyinfo),
  /// the largest free block per migratetype (with pagetypeinfo), the highest order each request
  /// would be granted, and the headroom against the watermarks.
  ///
  /// `zoneInfo` is the one the inspection was made from (same zones, same order).
  public mutating func addOutlook(
    zoneInfo: ZoneInfo, pageTypeInfo: PageTypeInfo?, buddyInfo: BuddyInfo?,
    allocatable: AllocatableOrders, requests: [AllocationRequest]
  ) {
    for (index, entry) in zoneInfo.entries.enumerated() where entry.isPopulated {
      guard index < zones.count else { break }
      var zone = zones[index]
      if let blocks = buddyInfo?.rows.first(where: {
        $0.node == entry.node && $0.zone == entry.zone
      })?.freeBlocks {
        zone.unusableIndex = Self.printed(ExtfragIndex.values(kind: .unusable, freeBlocks: blocks))
        zone.extfragIndex = Self.printed(ExtfragIndex.values(kind: .extfrag, freeBlocks: blocks))
      }
      zone.largestFreeOrder = Self.largestFreeOrder(
        pageTypeInfo, node: entry.node, zone: entry.zone)
      if let fast = allocatable.highestOrders(of: requests, node: entry.node, zone: entry.zone) {
        zone.highestOrder = fast
        zone.highestOrderWithReserves = allocatable.highestOrders(
          of: requests, node: entry.node, zone: entry.zone, withReserves: true)
      }
      zone.headroom = ZoneHeadroom(entry: entry, pageTypeInfo: pageTypeInfo)
      zones[index] = zone
    }
  }

  /// Thousandths as the numbers debugfs prints (`998` → 0.998, `-1000` → −1).
  static func printed(_ thousandths: [Int]) -> [Double] {
    thousandths.map { Double($0) / 1000 }
  }

  /// The order of the largest non-empty free list per migratetype of one zone, −1 for a type
  /// whose lists are all empty; `nil` without pagetypeinfo rows for the zone.
  static func largestFreeOrder(_ pageTypeInfo: PageTypeInfo?, node: Int, zone: String)
    -> [String: Int]?
  {
    let rows = pageTypeInfo?.freeRows.filter { $0.node == node && $0.zone == zone } ?? []
    guard !rows.isEmpty else { return nil }
    var largest: [String: Int] = [:]
    for row in rows {
      largest[row.type] = row.counts.lastIndex { $0 > 0 } ?? -1
    }
    return largest
  }
}
