public import MMCore

/// `warn_alloc()`'s rate limit (`___ratelimit()` with `nopage_rs`): at most `burst` reports per
/// `interval`; when a new interval starts after suppressed reports, the kernel first prints
/// `warn_alloc: N callbacks suppressed`.
///
/// 4.9: `DEFAULT_RATELIMIT_INTERVAL` (5 s), burst 10; 4.19+: 10 s, burst 1 (gfp-flags.md §6;
/// 4.10–4.18 taken as 4.9, UNVERIFIED).
public struct WarnAllocRatelimit: Hashable, Sendable {
  /// The window length in nanoseconds.
  public let interval: UInt64
  /// Reports allowed per window.
  public let burst: Int
  private var windowStart: UInt64?
  private var printed = 0
  private var missed = 0

  /// The limit `kernel` applies.
  public init(kernel: KernelVersion) {
    if kernel.isAtLeast(4, 19) {
      interval = 10_000_000_000
      burst = 1
    } else {
      interval = 5_000_000_000
      burst = 10
    }
  }

  /// What warn_alloc does with a failure.
  public enum Decision: Hashable, Sendable {
    /// Print the report, after a `warn_alloc: N callbacks suppressed` line when N > 0.
    case report(suppressedBefore: Int)
    /// Print nothing (`__GFP_NOWARN`, or over the limit).
    case silent
  }

  /// Decides for a failed allocation of `mask` at `nanoseconds` on the virtual clock.
  public mutating func decide(mask: GFPMask, at nanoseconds: UInt64) -> Decision {
    if mask.noWarn { return .silent }
    var suppressed = 0
    if let start = windowStart, nanoseconds <= start &+ interval {
      // Inside the current window.
    } else {
      suppressed = missed
      windowStart = nanoseconds
      printed = 0
      missed = 0
    }
    guard printed < burst else {
      missed += 1
      return .silent
    }
    printed += 1
    return .report(suppressedBefore: suppressed)
  }
}
