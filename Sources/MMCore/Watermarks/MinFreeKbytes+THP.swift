extension WatermarkFormulas {
  /// The `min_free_kbytes` khugepaged recommends, capped at 5 % of the `GFP_USER` pages; the
  /// caller raises `min_free_kbytes` to it only if it is higher.
  ///
  /// recommended = pageblock_nr_pages × nr_zones × (2 + MIGRATE_PCPTYPES²) = 11 ×
  /// pageblock_nr_pages × nr_zones, capped at ``nrFreeBufferPages(_:watermarks:)`` / 20 (with
  /// the high watermarks of that moment subtracted), then converted to KiB. nr_zones counts the
  /// populated zones up to Normal from 4.18, every populated zone before
  /// (``WatermarkRules/thpCountsOnlyUserZones``). With 4 KiB pages and 2 MiB pageblocks: 67584
  /// kB for three zones, 45056 for two, 22528 for one (zones-watermarks.md §2.2).
  ///
  /// Kernel: `set_recommended_min_free_kbytes()` in `mm/khugepaged.c` (`mm/huge_memory.c`
  /// before 4.8).
  public static func recommendedMinFreeKbytes(
    _ zones: [WatermarkZone], watermarks: [ZoneWatermarks]? = nil, pageblockOrder: Int = 9,
    version: KernelVersion, pageShift: Int = 12
  ) -> Int {
    let rules = WatermarkRules(version)
    let zoneCount = zones.count {
      $0.isPopulated && (!rules.thpCountsOnlyUserZones || $0.isUserZone)
    }
    let pageblockPages = 1 << pageblockOrder
    let migratePCPTypes = 3
    var recommended = pageblockPages * zoneCount * 2
    recommended += pageblockPages * zoneCount * migratePCPTypes * migratePCPTypes
    recommended = min(recommended, nrFreeBufferPages(zones, watermarks: watermarks) / 20)
    return recommended << (pageShift - 10)
  }
}
