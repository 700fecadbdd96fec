extension WatermarkFormulas {
  /// The pages a `GFP_USER` request could take before reaching the high watermarks: Σ over the
  /// zones up to Normal, on every node, of max(managed − high, 0).
  ///
  /// Only the first boot computation sees watermarks of 0 (pass `nil`); every later one
  /// subtracts the high watermarks of that moment, boost included (zones-watermarks.md §2.1).
  ///
  /// Kernel: `nr_free_buffer_pages()` → `nr_free_zone_pages(gfp_zone(GFP_USER))`, which uses
  /// `high_wmark_pages()`.
  public static func nrFreeBufferPages(
    _ zones: [WatermarkZone], watermarks: [ZoneWatermarks]? = nil
  ) -> Int {
    var sum = 0
    for (i, zone) in zones.enumerated() where zone.isUserZone {
      let high = watermarks.map { $0[i].high + $0[i].boost } ?? 0
      if zone.managed > high { sum += zone.managed - high }
    }
    return sum
  }

  /// The `min_free_kbytes` the square-root rule gives, or `current` when the user's value wins.
  ///
  /// new = `int_sqrt(lowmem_kbytes × 16)` with lowmem_kbytes = `nrFreeBufferPages` in KiB. If
  /// new is above `userMinFreeKbytes` (`nil`: never written, the kernel's −1), the result is new
  /// clamped to [128, ``WatermarkRules/minFreeKbytesCeiling``] (65536 up to 5.6, 262144 from
  /// 5.7); otherwise the value in force stays and the kernel warns `min_free_kbytes is not
  /// updated to %d because user defined value %d is preferred`.
  ///
  /// Kernel: `calculate_min_free_kbytes()` (5.16+; the first half of
  /// `init_per_zone_wmark_min()` before) in `mm/page_alloc.c`.
  public static func calculateMinFreeKbytes(
    nrFreeBufferPages: Int, current: Int, userMinFreeKbytes: Int? = nil,
    version: KernelVersion, pageShift: Int = 12
  ) -> Int {
    let lowmemKbytes = UInt64(nrFreeBufferPages) << UInt64(pageShift - 10)
    let new = Int(intSqrt(lowmemKbytes * 16))
    guard new > (userMinFreeKbytes ?? -1) else { return current }
    return min(max(new, 128), WatermarkRules(version).minFreeKbytesCeiling)
  }
}
