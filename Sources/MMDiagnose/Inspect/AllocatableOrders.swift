public import MMCore

/// The highest order a request would be granted from each zone right now, by the kernel's own
/// watermark check for the version: the fast path (`ALLOC_WMARK_LOW`), or the slow path's first
/// attempt before any reclaim (`ALLOC_WMARK_MIN` with the reserves the request earns).
///
/// A zone is tried with `lowmem_reserve[highest_zoneidx]` of the request, and only when it is in
/// the request's zonelist: a request for Normal falls back to DMA32 and DMA, one for DMA32 never
/// gets Normal. CMA free pages count only for movable requests.
///
/// Kernel: `get_page_from_freelist()`, `zone_watermark_fast()`, `prepare_alloc_pages()`,
/// `gfp_to_alloc_flags()` in mm/page_alloc.c (buddy-migratetypes.md §7).
public struct AllocatableOrders: Sendable {
  /// The zones, any order.
  public var zones: [ZoneAllocationState]
  /// The zone kinds the kernel configures, lowest first: the columns of `lowmem_reserve[]`.
  public var kinds: [ZoneKind]
  /// The allocator's rules for the kernel.
  public var rules: AllocatorRules

  /// Creates the check for a machine's zones.
  public init(zones: [ZoneAllocationState], kinds: [ZoneKind], rules: AllocatorRules) {
    self.zones = zones
    self.kinds = kinds
    self.rules = rules
  }

  /// The zone kinds of a 64-bit kernel without HighMem (DMA, DMA32, Normal, Movable, Device),
  /// cut to the `count` columns a `lowmem_reserve[]` line printed.
  public static func kinds(reserveColumns count: Int) -> [ZoneKind] {
    Array([ZoneKind.dma, .dma32, .normal, .movable, .device].prefix(count))
  }

  /// The column of the highest zone the request may use (`gfp_zone()`; a kind the kernel does
  /// not configure falls back to Normal), or `nil` for conflicting zone modifiers.
  public func highestZoneIndex(for mask: GFPMask) -> Int? {
    guard let wanted = mask.zone else { return nil }
    return kinds.firstIndex(of: wanted) ?? kinds.firstIndex(of: .normal)
  }

  /// The highest order the request would be granted from `zones[zone]` now, or −1 for none
  /// (the zone is not in its zonelist, or fails even order 0).
  ///
  /// - Parameter withReserves: the slow path's first attempt (min watermark, `ALLOC_HIGH`,
  ///   `ALLOC_HARDER`/`ALLOC_MIN_RESERVE` as the request earns them) instead of the fast path.
  public func highestOrder(of request: AllocationRequest, zone: Int, withReserves: Bool = false)
    -> Int
  {
    let state = zones[zone]
    guard let highest = highestZoneIndex(for: request.mask),
      let column = kinds.firstIndex(of: state.kind), column <= highest
    else { return -1 }
    var counts = state.counts
    counts.lowmemReserve = highest < state.protection.count ? state.protection[highest] : 0
    let maxOrder = state.freeLists.count - 1
    for order in stride(from: max(maxOrder, 0), through: 0, by: -1) {
      let flags =
        withReserves
        ? request.mask.slowPathAllocFlags(
          order: order, reserveFlagRework: rules.watermarks == .reserveFlags6_3)
        : fastPathFlags(request.mask, node: state.node, highest: highest)
      if rules.isFastWatermarkOK(
        counts, order: order, marks: state.marks, flags: flags, mask: request.mask,
        maxOrder: maxOrder, hasFreeBlock: state.hasFreeBlock(order:type:))
      {
        return order
      }
    }
    return -1
  }

  /// The highest order each request would be granted from `node`'s zone named `zone` now (−1
  /// for none), keyed by the request's name; `nil` when that zone is not among ``zones``
  /// (unpopulated, or a kind oomlab does not model).
  ///
  /// - Parameter withReserves: the slow path's first attempt instead of the fast path, as in
  ///   ``highestOrder(of:zone:withReserves:)``.
  public func highestOrders(
    of requests: [AllocationRequest], node: Int, zone: String, withReserves: Bool = false
  ) -> [String: Int]? {
    guard let index = zones.firstIndex(where: { $0.node == node && $0.kind.kernelName == zone })
    else { return nil }
    var orders: [String: Int] = [:]
    for request in requests {
      orders[request.name] = highestOrder(of: request, zone: index, withReserves: withReserves)
    }
    return orders
  }

  /// The highest order over every zone of the request's zonelist, or −1.
  public func highestOrder(of request: AllocationRequest, withReserves: Bool = false) -> Int {
    zones.indices.map { highestOrder(of: request, zone: $0, withReserves: withReserves) }.max()
      ?? -1
  }

  /// The fast path's flags, with the preferred zone of the request's zonelist on `node`.
  private func fastPathFlags(_ mask: GFPMask, node: Int, highest: Int) -> AllocFlags {
    let preferred = kinds[...highest].reversed().first { kind in
      zones.contains { $0.node == node && $0.kind == kind }
    }
    return rules.fastPathFlags(
      for: mask, preferredZone: preferred, hasPopulatedDMA32: zones.contains { $0.kind == .dma32 })
  }
}
