extension AllocatorRules {
  /// The fast path's alloc flags for a request (`__alloc_pages()` → `prepare_alloc_pages()`):
  /// `ALLOC_WMARK_LOW`, `ALLOC_CMA` for movable requests, and from 5.0 `ALLOC_KSWAPD` and
  /// `ALLOC_NOFRAGMENT` when the preferred zone is Normal and a populated DMA32 exists.
  ///
  /// - Parameters:
  ///   - preferredZone: the kind of the first populated zone of the request's zonelist.
  ///   - hasPopulatedDMA32: whether the machine has a DMA32 zone with pages.
  @inlinable
  public func fastPathFlags(for mask: GFPMask, preferredZone: ZoneKind?, hasPopulatedDMA32: Bool)
    -> AllocFlags
  {
    var flags: AllocFlags = [.watermarkLow, .cpuset]
    if mask.mayUseCMA { flags.insert(.cma) }
    guard noFragment else { return flags }
    if mask.flags.contains(.kswapdReclaim) { flags.insert(.kswapd) }
    if preferredZone == .normal && hasPopulatedDMA32 { flags.insert(.noFragment) }
    return flags
  }

  /// `zone_watermark_fast()` (4.9+): the order-0 shortcut on free pages less the parts the
  /// request may not use (free CMA; from 5.9 the high-atomic reserve too), then the full
  /// `__zone_watermark_ok()`, then (5.9+), for an order-0 min-reserve request on a boosted
  /// zone, the check against the un-boosted min.
  ///
  /// - Parameters:
  ///   - zone: the zone's free counts, with `lowmem_reserve[highest_zoneidx]` of the request.
  ///   - marks: the zone's watermarks and boost.
  ///   - hasFreeBlock: whether the free list of an order and migratetype is non-empty.
  ///
  /// Inlinable: the simulator calls it on every allocation.
  ///
  /// Kernel: `zone_watermark_fast()` in mm/page_alloc.c.
  @inlinable
  public func isFastWatermarkOK(
    _ zone: WatermarkCheckZone, order: Int, marks: ZoneWatermarks, flags: AllocFlags,
    mask: GFPMask, maxOrder: Int, hasFreeBlock: (Int, MigrateType) -> Bool
  ) -> Bool {
    let mark = marks.mark(for: flags)
    let check = watermarks
    if order == 0 {
      var free = zone.freePages
      if !flags.contains(.cma) { free -= zone.freeCMAPages }
      if fastWatermarkReserves && !check.keepsHighAtomic(flags) { free -= zone.reservedHighAtomic }
      if free > mark + zone.lowmemReserve { return true }
    }
    if check.isOK(
      zone, order: order, mark: mark, flags: flags, maxOrder: maxOrder, hasFreeBlock: hasFreeBlock)
    {
      return true
    }
    let minReserve =
      check == .reserveFlags6_3 ? flags.contains(.high) : mask.flags.contains(.atomic)
    guard fastWatermarkReserves, order == 0, minReserve, marks.boost > 0, flags.rawValue & 0x3 == 0
    else { return false }
    return check.isOK(
      zone, order: order, mark: marks.min, flags: flags, maxOrder: maxOrder,
      hasFreeBlock: hasFreeBlock)
  }
}
