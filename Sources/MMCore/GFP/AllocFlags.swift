/// The page allocator's internal `ALLOC_*` flags: which watermark a request must clear and what
/// reserves it may dip into.
///
/// The low two bits are the watermark index (`ALLOC_WMARK_MIN` = 0, `LOW` = 1, `HIGH` = 2), as in
/// the kernel. Kernel: `mm/internal.h`; facts: ../shared/kernel/gfp-flags.md §5. Names changed in
/// 6.3 (`ALLOC_HIGH` → `ALLOC_MIN_RESERVE`, `ALLOC_HARDER` → `ALLOC_NON_BLOCK`), see
/// ``names(kernel:)``.
public struct AllocFlags: OptionSet, Hashable, Sendable {
  /// The kernel's encoding (5.x/6.x values).
  public var rawValue: UInt32
  /// Creates flags from their encoding.
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `ALLOC_WMARK_LOW`: the fast path's watermark.
  public static let watermarkLow = AllocFlags(rawValue: 0x01)
  /// `ALLOC_WMARK_HIGH`.
  public static let watermarkHigh = AllocFlags(rawValue: 0x02)
  /// `ALLOC_NO_WATERMARKS`: ignore watermarks entirely (PF_MEMALLOC, `__GFP_MEMALLOC`).
  public static let noWatermarks = AllocFlags(rawValue: 0x04)
  /// `ALLOC_OOM`: an OOM victim's partial access to reserves (5.0+).
  public static let oom = AllocFlags(rawValue: 0x08)
  /// `ALLOC_HARDER` (≤ 6.2) / `ALLOC_NON_BLOCK` (6.3+): may dip further below min.
  public static let harder = AllocFlags(rawValue: 0x10)
  /// `ALLOC_HIGH` (≤ 6.2) / `ALLOC_MIN_RESERVE` (6.3+): `__GFP_HIGH`, may use half of min.
  public static let high = AllocFlags(rawValue: 0x20)
  /// `ALLOC_CPUSET`: obey the task's cpuset.
  public static let cpuset = AllocFlags(rawValue: 0x40)
  /// `ALLOC_CMA`: may take pages from CMA pageblocks.
  public static let cma = AllocFlags(rawValue: 0x80)
  /// `ALLOC_NOFRAGMENT` (5.0+): fast path only; fall back only by stealing whole pageblocks.
  public static let noFragment = AllocFlags(rawValue: 0x100)
  /// `ALLOC_HIGHATOMIC`: may use the high-atomic reserve (6.3+).
  public static let highAtomic = AllocFlags(rawValue: 0x200)
  /// `ALLOC_KSWAPD`: may wake kswapd (5.0+).
  public static let kswapd = AllocFlags(rawValue: 0x800)

  /// The watermark the flags ask for: `min`, `low` or `high`.
  public var watermarkName: String {
    switch rawValue & 0x3 {
    case 0: "min"
    case 1: "low"
    default: "high"
    }
  }

  /// The flags' kernel names as `kernel` spells them, watermark first.
  public func names(kernel: KernelVersion) -> [String] {
    let renamed = kernel.isAtLeast(6, 3)
    var names = ["ALLOC_WMARK_" + watermarkName.uppercased()]
    let table: [(AllocFlags, String)] = [
      (.noWatermarks, "ALLOC_NO_WATERMARKS"), (.oom, "ALLOC_OOM"),
      (.harder, renamed ? "ALLOC_NON_BLOCK" : "ALLOC_HARDER"),
      (.high, renamed ? "ALLOC_MIN_RESERVE" : "ALLOC_HIGH"), (.cpuset, "ALLOC_CPUSET"),
      (.cma, "ALLOC_CMA"), (.noFragment, "ALLOC_NOFRAGMENT"), (.highAtomic, "ALLOC_HIGHATOMIC"),
      (.kswapd, "ALLOC_KSWAPD"),
    ]
    for (flag, name) in table where contains(flag) { names.append(name) }
    return names
  }
}
