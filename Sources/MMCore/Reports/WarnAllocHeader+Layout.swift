extension WarnAllocHeader {
  /// The historical shapes of the header, oldest first.
  ///
  /// Kernel: ../shared/kernel/gfp-flags.md §6.
  public enum Layout: Int, CaseIterable, Comparable, Hashable, Sendable {
    /// ≤ 2.6.38: `%s: page allocation failure. order:%d, mode:0x%x` (a period after
    /// "failure").
    case v2_6
    /// 2.6.39–4.3 (`warn_alloc_failed()`): `%s: page allocation failure: order:%d, mode:0x%x`;
    /// a vmalloc message is a line of its own before it.
    case v2_6_39
    /// 4.4–4.5: `%s: page allocation failure: order:%u, mode:0x%x` (the same text as
    /// ``v2_6_39`` for every real order).
    case v4_4
    /// 4.6–4.8: `%s: page allocation failure: order:%u, mode:%#x(%pGg)`.
    case v4_6
    /// 4.9–4.10 (`warn_alloc()`): `%s: %pV, mode:%#x(%pGg)`, the message being the page
    /// allocation failure, a stall or a vmalloc message.
    case v4_9
    /// 4.11–4.20: `%s: %pV, mode:%#x(%pGg), nodemask=` + `(null)` or `%*pbl`, then a separate
    /// `%s cpuset=%s mems_allowed=%*pbl` line (none without `CONFIG_CPUSETS`).
    case v4_11
    /// 5.0+: `%s: %pV, mode:%#x(%pGg), nodemask=%*pbl` + `,cpuset=%s,mems_allowed=%*pbl`, all on
    /// one line (also RHEL 8's "4.18" kernels, which carry the change).
    case v5_0

    /// The layout the release prints.
    public init(kernel: KernelVersion) {
      switch (kernel.major, kernel.minor, kernel.patch) {
      case let v where v < (2, 6, 39): self = .v2_6
      case let v where v < (4, 4, 0): self = .v2_6_39
      case let v where v < (4, 6, 0): self = .v4_4
      case let v where v < (4, 9, 0): self = .v4_6
      case let v where v < (4, 11, 0): self = .v4_9
      case let v where v < (5, 0, 0): self = .v4_11
      default: self = .v5_0
      }
    }

    /// Orders layouts from oldest to newest.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// Whether the mask is followed by its `%pGg` names (4.6+).
    public var printsNames: Bool { self >= .v4_6 }

    /// Whether the header carries `nodemask=` and the cpuset fields (4.11+).
    public var printsNodemask: Bool { self >= .v4_11 }

    /// Whether a vmalloc message replaces `page allocation failure: order:%u` in the header
    /// (4.9+) rather than being printed on a line of its own before it.
    public var printsVMallocInline: Bool { self >= .v4_9 }

    /// The mask as `mode:` prints it: `0x%x` before 4.6, `%#x` after (which prints 0 as `0`).
    public func maskText(_ mask: UInt64) -> String {
      self >= .v4_6 && mask == 0 ? "0" : "0x" + String(mask, radix: 16)
    }
  }
}
