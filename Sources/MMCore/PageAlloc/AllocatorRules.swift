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
