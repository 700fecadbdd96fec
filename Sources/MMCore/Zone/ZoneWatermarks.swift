/// One zone's watermarks, in pages.
///
/// `min`, `low`, `high` and `promo` are the values `__setup_per_zone_wmarks()` computed, without
/// the boost; the allocator and `/proc/zoneinfo` use each plus ``boost``
/// (zones-watermarks.md §3).
///
/// Kernel: `zone->_watermark[]` and `zone->watermark_boost` in `include/linux/mmzone.h`.
public struct ZoneWatermarks: Hashable, Sendable, Codable {
  /// `WMARK_MIN`: below it only privileged requests allocate.
  public var min: Int
  /// `WMARK_LOW`: the fast path's mark; below it kswapd is woken.
  public var low: Int
  /// `WMARK_HIGH`: kswapd reclaims up to it.
  public var high: Int
  /// `WMARK_PROMO` (6.x, NUMA tiering): high plus one more distance.
  public var promo: Int
  /// `watermark_boost` (5.0+): added to every mark after fragmenting fallbacks.
  public var boost: Int

  /// Creates watermarks from their values.
  public init(min: Int, low: Int, high: Int, promo: Int = 0, boost: Int = 0) {
    self.min = min
    self.low = low
    self.high = high
    self.promo = promo
    self.boost = boost
  }

  /// The mark an allocation must clear for `flags`' watermark index, boost included
  /// (`wmark_pages()`).
  public func mark(for flags: AllocFlags) -> Int {
    switch flags.rawValue & 0x3 {
    case 0: min + boost
    case 1: low + boost
    default: high + boost
    }
  }
}
