extension WatermarkFormulas {
  /// Every zone's min, low, high (and promo) watermarks for a `min_free_kbytes`, empty zones
  /// included, with the boost reset to 0.
  ///
  /// pages_min = min_free_kbytes in pages; lowmem_pages = Σ managed over the zones that are not
  /// HighMem-like. For each zone, tmp = pages_min × managed / lowmem_pages (64-bit product).
  /// HighMem-like zones get min = clamp(managed / 1024, 32, 128), the others min = tmp. From
  /// 4.6, distance = max(tmp / 4, managed × watermark_scale_factor / 10000), low = min +
  /// distance, high = low + distance, promo = high + distance (5.18+); before 4.6, low = min +
  /// tmp / 4 and high = min + tmp / 2. The distance uses the proportional tmp even where min is
  /// clamped (zones-watermarks.md §3).
  ///
  /// HighMem-like: ZONE_HIGHMEM; ZONE_MOVABLE from 6.2; and before that ZONE_MOVABLE on a
  /// HIGHMEM kernel whose Movable pages are carved from HighMem (`is_highmem()` with
  /// `movable_zone == ZONE_HIGHMEM`), taken here as "some HighMem zone has pages". Zones of all
  /// nodes share one lowmem_pages.
  ///
  /// Kernel: `__setup_per_zone_wmarks()` in `mm/page_alloc.c`.
  public static func perZoneWatermarks(
    _ zones: [WatermarkZone], minFreeKbytes: Int, watermarkScaleFactor: Int = 10,
    version: KernelVersion, pageShift: Int = 12
  ) -> [ZoneWatermarks] {
    let rules = WatermarkRules(version)
    let movableFromHighmem = zones.contains { $0.kind == .highmem && $0.isPopulated }
    func isHighmemLike(_ zone: WatermarkZone) -> Bool {
      switch zone.kind {
      case .highmem: true
      case .movable: rules.movableTreatedAsHighmem || movableFromHighmem
      default: false
      }
    }
    let pagesMin = UInt64(max(minFreeKbytes, 0) >> (pageShift - 10))
    var lowmemPages: UInt64 = 0
    for zone in zones where !isHighmemLike(zone) { lowmemPages += UInt64(zone.managed) }

    return zones.map { zone in
      let managed = UInt64(zone.managed)
      let tmp = lowmemPages == 0 ? 0 : pagesMin * managed / lowmemPages
      let min = isHighmemLike(zone) ? Swift.min(Swift.max(managed / 1024, 32), 128) : tmp
      guard rules.distanceUsesScaleFactor else {
        return ZoneWatermarks(
          min: Int(min), low: Int(min + (tmp >> 2)), high: Int(min + (tmp >> 1)))
      }
      let scaled = managed * UInt64(max(watermarkScaleFactor, 0)) / 10_000
      let distance = Swift.max(tmp >> 2, scaled)
      let low = min + distance
      let high = low + distance
      return ZoneWatermarks(
        min: Int(min), low: Int(low), high: Int(high),
        promo: rules.hasPromoWatermark ? Int(high + distance) : 0)
    }
  }
}
