/// One `__GFP_*` modifier bit, independent of the value a given kernel gives it.
///
/// The kernel renumbered these bits many times (see ``GFPLayout``); oomlab reasons about the
/// meaning (this type and ``GFPFlags``) and converts to and from a kernel's raw mask through a
/// ``GFPDialect``.
///
/// Kernel: `___GFP_*` in `include/linux/gfp.h` (≤ 6.1) or `include/linux/gfp_types.h` (6.2+).
public enum GFPFlag: Int, CaseIterable, Hashable, Sendable {
  case dma, highmem, dma32, movable, reclaimable
  /// `__GFP_WAIT`: may sleep (≤ 4.3; split into the two reclaim bits in 4.4).
  case wait
  case high, io, fs, cold, noWarn, repeatAlloc, retryMayFail, noFail, noRetry, memalloc, comp, zero
  case noMemalloc, hardwall, thisNode, atomic, noAccount, account, noTrack
  /// `__GFP_NO_KSWAPD` (≤ 4.3).
  case noKswapd
  case directReclaim, otherNode, write, kswapdReclaim, noLockdep, zeroTags, skipZero
  case skipKasanUnpoison, skipKasanPoison, skipKasan, noObjExt

  /// The kernel's name for the bit, as `%pGg` prints it (`__GFP_IO`).
  public var kernelName: String {
    switch self {
    case .dma: "__GFP_DMA"
    case .highmem: "__GFP_HIGHMEM"
    case .dma32: "__GFP_DMA32"
    case .movable: "__GFP_MOVABLE"
    case .reclaimable: "__GFP_RECLAIMABLE"
    case .wait: "__GFP_WAIT"
    case .high: "__GFP_HIGH"
    case .io: "__GFP_IO"
    case .fs: "__GFP_FS"
    case .cold: "__GFP_COLD"
    case .noWarn: "__GFP_NOWARN"
    case .repeatAlloc: "__GFP_REPEAT"
    case .retryMayFail: "__GFP_RETRY_MAYFAIL"
    case .noFail: "__GFP_NOFAIL"
    case .noRetry: "__GFP_NORETRY"
    case .memalloc: "__GFP_MEMALLOC"
    case .comp: "__GFP_COMP"
    case .zero: "__GFP_ZERO"
    case .noMemalloc: "__GFP_NOMEMALLOC"
    case .hardwall: "__GFP_HARDWALL"
    case .thisNode: "__GFP_THISNODE"
    case .atomic: "__GFP_ATOMIC"
    case .noAccount: "__GFP_NOACCOUNT"
    case .account: "__GFP_ACCOUNT"
    case .noTrack: "__GFP_NOTRACK"
    case .noKswapd: "__GFP_NO_KSWAPD"
    case .directReclaim: "__GFP_DIRECT_RECLAIM"
    case .otherNode: "__GFP_OTHER_NODE"
    case .write: "__GFP_WRITE"
    case .kswapdReclaim: "__GFP_KSWAPD_RECLAIM"
    case .noLockdep: "__GFP_NOLOCKDEP"
    case .zeroTags: "__GFP_ZEROTAGS"
    case .skipZero: "__GFP_SKIP_ZERO"
    case .skipKasanUnpoison: "__GFP_SKIP_KASAN_UNPOISON"
    case .skipKasanPoison: "__GFP_SKIP_KASAN_POISON"
    case .skipKasan: "__GFP_SKIP_KASAN"
    case .noObjExt: "__GFP_NO_OBJ_EXT"
    }
  }

  /// The name the pre-4.6 trace-event table printed: `GFP_` plus the bit name (`GFP_NOTRACK`).
  var traceEventName: String { String(kernelName.dropFirst(2)) }
}

/// A set of ``GFPFlag``s: what a mask means, whatever bit values a kernel gave its flags.
public struct GFPFlags: OptionSet, Hashable, Sendable {
  /// One bit per ``GFPFlag``, at the flag's `rawValue` position (not a kernel mask).
  public var rawValue: UInt64

  /// Creates a set from its bits.
  public init(rawValue: UInt64) { self.rawValue = rawValue }

  /// The set holding just `flag`.
  public init(_ flag: GFPFlag) { rawValue = 1 << UInt64(flag.rawValue) }

  /// Whether the set holds `flag`.
  @inline(__always)
  public func contains(_ flag: GFPFlag) -> Bool { rawValue & (1 << UInt64(flag.rawValue)) != 0 }

  /// The flags in the set, in declaration order.
  public var members: [GFPFlag] { GFPFlag.allCases.filter { contains($0) } }
}

extension GFPFlags: ExpressibleByArrayLiteral {
  /// Creates a set from flags: `[.io, .fs]`.
  public init(arrayLiteral flags: GFPFlag...) {
    self.init(rawValue: flags.reduce(0) { $0 | GFPFlags($1).rawValue })
  }
}
