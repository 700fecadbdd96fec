/// Which variant of each watermark rule a kernel release follows (zones-watermarks.md §2–§4).
///
/// Release boundaries: VERIFIED where the fact sheet says so (4.9, 5.10, 6.1, 6.18 sources or
/// ground truth); the others are the release that merged the named patch (INFERRED from the
/// patch's date and tree).
public struct WatermarkRules: Hashable, Sendable {
  /// The upper clamp of the default `min_free_kbytes`: 65536 up to 5.6, 262144 from 5.7
  /// ("mm/page_alloc: increase default min_free_kbytes bound").
  public var minFreeKbytesCeiling: Int
  /// 4.6+: the distance between watermarks is `max(tmp/4, managed × watermark_scale_factor /
  /// 10000)`; before, low = min + tmp/4 and high = min + tmp/2.
  public var distanceUsesScaleFactor: Bool
  /// 5.18+: `WMARK_PROMO` = high + distance.
  ///
  /// From "NUMA balancing: optimize page placement for memory tiering system"; 6.1's zoneinfo
  /// does not print it.
  public var hasPromoWatermark: Bool
  /// 6.2+: ZONE_MOVABLE is left out of `lowmem_pages` and gets the HighMem clamp on every kernel.
  ///
  /// From "mm/page_alloc: fix min_free_kbytes calculation regarding ZONE_MOVABLE". Before, only
  /// a HIGHMEM kernel whose Movable pages come from HighMem treats it so.
  public var movableTreatedAsHighmem: Bool
  /// 4.18+: khugepaged counts only the populated zones up to Normal ("mm/thp: don't count
  /// ZONE_MOVABLE as the target for freepage reserving"); before, every populated zone.
  public var thpCountsOnlyUserZones: Bool
  /// 5.16+: khugepaged's hook also runs with THP off and then reruns the square-root rule
  /// ("mm: khugepaged: recalculate min_free_kbytes after stopping khugepaged").
  public var thpHookRunsWhenOff: Bool
  /// 5.9+: the boot computation runs after the CMA areas are activated, so it counts them
  /// ("mm: include CMA pages in lowmem_reserve at boot"); before, CMA pages were left out.
  public var cmaCountedAtBoot: Bool
  /// How `setup_per_zone_lowmem_reserve()` walks the zones.
  public var lowmemReserve: LowmemReserveAlgorithm

  /// The rules of `version`.
  public init(_ version: KernelVersion) {
    minFreeKbytesCeiling = version.isAtLeast(5, 7) ? 262_144 : 65_536
    distanceUsesScaleFactor = version.isAtLeast(4, 6)
    hasPromoWatermark = version.isAtLeast(5, 18)
    movableTreatedAsHighmem = version.isAtLeast(6, 2)
    thpCountsOnlyUserZones = version.isAtLeast(4, 18)
    thpHookRunsWhenOff = version.isAtLeast(5, 16)
    cmaCountedAtBoot = version.isAtLeast(5, 9)
    lowmemReserve = LowmemReserveAlgorithm(version)
  }
}

/// The variants of `setup_per_zone_lowmem_reserve()` (zones-watermarks.md §4.2).
public enum LowmemReserveAlgorithm: Hashable, Sendable, CaseIterable {
  /// ≤ 4.18 (VERIFIED 4.9): for each upper zone, walk down; a ratio below 1 is set to 1; every
  /// lower zone's pages join the sum, empty or not. The ratio array has one entry per zone but
  /// the last.
  case ratioForcedToOne
  /// 4.19–5.7: ratio 0 (the new default of HighMem and Movable) means no reserve, but the zone's
  /// pages still join the sum ("mm/page_alloc: don't reserve ZONE_HIGHMEM for ZONE_MOVABLE
  /// request"; VERIFIED defaults in 5.4.286).
  case zeroRatioDisables
  /// 5.8 – 5.10.49 (VERIFIED 5.10.13): a lower zone that is empty or has ratio 0 gets 0 and its
  /// pages do not join the sum for the zones below it ("mm/page_alloc.c: clear out
  /// zone->lowmem_reserve[] if the zone is empty").
  case skipsEmptyAndZeroRatio
  /// 5.11+ and 5.10.50+ (VERIFIED 6.x): for each lower zone, walk up with a running sum of the
  /// upper zones' pages; 0 when the lower zone is empty or its ratio is 0 ("mm: page_alloc:
  /// refactor setup_per_zone_lowmem_reserve()").
  case cumulative

  /// The variant `version` uses.
  public init(_ version: KernelVersion) {
    if version.isAtLeast(5, 11) || (version.isWithin((5, 10), (5, 10)) && version.patch >= 50) {
      self = .cumulative
    } else if version.isAtLeast(5, 8) {
      self = .skipsEmptyAndZeroRatio
    } else if version.isAtLeast(4, 19) {
      self = .zeroRatioDisables
    } else {
      self = .ratioForcedToOne
    }
  }
}
