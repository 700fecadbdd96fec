/// The page-allocator behaviours that changed between kernel releases, resolved once per
/// machine.
///
/// Each rule defaults from the kernel version; distribution kernels that carry later changes as
/// stable backports (Debian 6.1.192 has the 6.3 reserve-flag rework and the 2024 order-0
/// high-atomic fix) can turn them on explicitly. Facts: buddy-migratetypes.md §3–8.
public struct AllocatorRules: Hashable, Sendable {
  /// The kernel release the rules were resolved for (also decides /proc formats).
  public var kernel: KernelVersion
  /// The `__zone_watermark_ok()` variant.
  public var watermarks: WatermarkCheckRules
  /// 5.x: `__rmqueue` prefers CMA when it holds more than half of the zone's free pages (~5.7+).
  public var cmaBalance: Bool
  /// 5.x+: fallback moves pages and `__rmqueue` retries; `steal_suitable_fallback` counts
  /// like-typed in-use pages; smallest-block search for movable requests (4.9: take and split).
  public var fallbackMovesThenRetries: Bool
  /// 5.0+: `ALLOC_NOFRAGMENT` in the fast path.
  public var noFragment: Bool
  /// 5.0+: fragmenting fallbacks boost the zone's watermarks.
  public var watermarkBoost: Bool
  /// The largest order kept on per-cpu lists: 0 before 5.13, 3 from 5.13.
  public var perCPUMaxOrder: Int
  /// 5.14+: per-cpu `high` is the low watermark (1 cpu) instead of 6 × batch.
  public var perCPUHighFromLowWatermark: Bool
  /// The per-cpu batch cap in bytes: 512 KiB before 5.x, 1 MiB later (boundary UNVERIFIED;
  /// 1 MiB VERIFIED for 6.1).
  public var perCPUBatchCapBytes: Int
  /// 6.3 rework / 2024 fix: order-0 non-blocking requests may take high-atomic blocks after the
  /// regular lists fail.
  public var order0AtomicUsesHighAtomic: Bool
  /// `vm.watermark_boost_factor` (default 15000).
  public var watermarkBoostFactor: Int
  /// 5.9+: `zone_watermark_fast()`'s order-0 shortcut also leaves out the high-atomic reserve
  /// for requests without reserves ("page_alloc: consider highatomic reserve in watermark
  /// fast"), and an order-0 atomic request that fails on a boosted zone is re-checked against
  /// the un-boosted min ("mm, page_alloc: skip ->watermark_boost for atomic order-0
  /// allocations"); both in the 5.9 merge window, neither in 5.4.
  public var fastWatermarkReserves: Bool

  /// The rules of a mainline release.
  public init(kernel: KernelVersion) {
    self.kernel = kernel
    watermarks = WatermarkCheckRules(kernel: kernel)
    cmaBalance = kernel.isAtLeast(5, 7)
    fallbackMovesThenRetries = kernel.isAtLeast(5, 0)
    noFragment = kernel.isAtLeast(5, 0)
    watermarkBoost = kernel.isAtLeast(5, 0)
    perCPUMaxOrder = kernel.isAtLeast(5, 13) ? 3 : 0
    perCPUHighFromLowWatermark = kernel.isAtLeast(5, 14)
    perCPUBatchCapBytes = kernel.isAtLeast(5, 0) ? 1 << 20 : 512 << 10
    order0AtomicUsesHighAtomic = kernel.isAtLeast(6, 13)
    watermarkBoostFactor = kernel.isAtLeast(5, 0) ? 15000 : 0
    fastWatermarkReserves = kernel.isAtLeast(5, 9)
  }

  /// The rules of `kernel` with the 6.3 reserve-flag rework and the 2024 order-0 high-atomic fix
  /// taken as stable backports (5.15.171+, 6.1.116+ era builds such as Debian 6.1.192).
  public static func withReserveBackports(kernel: KernelVersion) -> AllocatorRules {
    var rules = AllocatorRules(kernel: kernel)
    rules.watermarks = .reserveFlags6_3
    rules.order0AtomicUsesHighAtomic = true
    return rules
  }
}
