/// Which version of `__zone_watermark_ok()` applies.
///
/// Facts: buddy-migratetypes.md §7. Stable trees carried the 6.3 reserve-flag rework back to
/// some 5.15.y and 6.1.y releases; pick ``reserveFlags6_3`` for those explicitly.
public enum WatermarkCheckRules: Hashable, Sendable {
  /// 4.x: `ALLOC_HIGH` halves min, `ALLOC_HARDER` takes a further quarter.
  case classic4
  /// 5.0 … 6.2: as 4.x, and `ALLOC_OOM` counts as harder but takes a half.
  case oomAware5
  /// 6.3+: `ALLOC_RESERVES`; `ALLOC_NON_BLOCK` lowers min only together with
  /// `ALLOC_MIN_RESERVE`.
  case reserveFlags6_3

  /// The rules a mainline release follows.
  public init(kernel: KernelVersion) {
    if kernel.isAtLeast(6, 3) {
      self = .reserveFlags6_3
    } else if kernel.isAtLeast(5, 0) {
      self = .oomAware5
    } else {
      self = .classic4
    }
  }
}

/// What `__zone_watermark_ok()` needs to know about one zone.
public struct WatermarkCheckZone: Sendable {
  /// `NR_FREE_PAGES`: free pages in the buddy lists (per-cpu lists not included).
  public var freePages: Int
  /// `NR_FREE_CMA_PAGES`.
  public var freeCMAPages: Int
  /// `nr_reserved_highatomic`, in pages.
  public var reservedHighAtomic: Int
  /// The zone's `lowmem_reserve[highest_zoneidx]` for the request.
  public var lowmemReserve: Int

  /// Creates the inputs.
  public init(freePages: Int, freeCMAPages: Int, reservedHighAtomic: Int, lowmemReserve: Int) {
    self.freePages = freePages
    self.freeCMAPages = freeCMAPages
    self.reservedHighAtomic = reservedHighAtomic
    self.lowmemReserve = lowmemReserve
  }
}

extension WatermarkCheckRules {
  /// The minimum after the reductions the request's alloc flags earn (steps 2–3 of
  /// `__zone_watermark_ok()`), for `mark` (boost included).
  public func effectiveMin(mark: Int, flags: AllocFlags) -> Int {
    var min = mark
    switch self {
    case .classic4:
      if flags.contains(.high) { min -= min / 2 }
      if flags.contains(.harder) { min -= min / 4 }
    case .oomAware5:
      if flags.contains(.high) { min -= min / 2 }
      if flags.contains(.oom) {
        min -= min / 2
      } else if flags.contains(.harder) {
        min -= min / 4
      }
    case .reserveFlags6_3:
      if flags.contains(.high) {
        min -= min / 2
        if flags.contains(.harder) { min -= min / 4 }
      }
      if flags.contains(.oom) { min -= min / 2 }
    }
    return min
  }

  /// Whether the request's flags exempt it from subtracting the high-atomic reserve from free
  /// pages.
  @usableFromInline
  func keepsHighAtomic(_ flags: AllocFlags) -> Bool {
    switch self {
    case .classic4: flags.contains(.harder)
    case .oomAware5: flags.contains(.harder) || flags.contains(.oom)
    case .reserveFlags6_3: !flags.isDisjoint(with: [.harder, .high, .highAtomic, .oom])
    }
  }

  /// Whether the request may count free blocks on the HighAtomic lists (step 7).
  public func mayUseHighAtomicList(_ flags: AllocFlags) -> Bool {
    switch self {
    case .classic4: flags.contains(.harder)
    case .oomAware5: flags.contains(.harder) || flags.contains(.oom)
    case .reserveFlags6_3: flags.contains(.highAtomic) || flags.contains(.oom)
    }
  }

  /// The free pages that count for the request: `NR_FREE_PAGES` less the parts it may not use
  /// (step 1 / steps 1, 3, 4).
  public func usableFreePages(_ zone: WatermarkCheckZone, order: Int, flags: AllocFlags) -> Int {
    var free = zone.freePages - ((1 << order) - 1)
    if !keepsHighAtomic(flags) { free -= zone.reservedHighAtomic }
    if !flags.contains(.cma) { free -= zone.freeCMAPages }
    return free
  }

  /// `__zone_watermark_ok()`: whether a request of `order` with `flags` may allocate from the
  /// zone against `mark` (boost included).
  ///
  /// `hasFreeBlock(order, type)` tells whether the zone's free list of that order and
  /// migratetype is non-empty; it is asked only for order > 0.
  ///
  /// Kernel: `__zone_watermark_ok()` in mm/page_alloc.c.
  public func isOK(
    _ zone: WatermarkCheckZone, order: Int, mark: Int, flags: AllocFlags, maxOrder: Int = 10,
    hasFreeBlock: (Int, MigrateType) -> Bool
  ) -> Bool {
    let free = usableFreePages(zone, order: order, flags: flags)
    let min = effectiveMin(mark: mark, flags: flags)
    guard free > min + zone.lowmemReserve else { return false }
    guard order > 0 else { return true }
    let cma = flags.contains(.cma), highAtomic = mayUseHighAtomicList(flags)
    for o in order...maxOrder {
      if hasFreeBlock(o, .unmovable) || hasFreeBlock(o, .movable) || hasFreeBlock(o, .reclaimable) {
        return true
      }
      if cma && hasFreeBlock(o, .cma) { return true }
      if highAtomic && hasFreeBlock(o, .highAtomic) { return true }
    }
    return false
  }
}
