/// A named combination of GFP flags (`GFP_KERNEL`, `GFP_ATOMIC`, …), defined per era.
///
/// Kernel: the `GFP_*` macros in `include/linux/gfp.h` / `gfp_types.h`; values in
/// ../shared/kernel/gfp-flags.md §1.2.
public enum GFPComposite: CaseIterable, Hashable, Sendable {
  case transhuge, transhugeLight, highuserMovable, highuser, user, temporary, kernelAccount
  case kernel, noFS, atomic, noIO, noWait, dma, dma32
  /// `__GFP_RECLAIM`: both reclaim bits (4.4+).
  case reclaim

  /// The kernel's name for the mask.
  public var kernelName: String {
    switch self {
    case .transhuge: "GFP_TRANSHUGE"
    case .transhugeLight: "GFP_TRANSHUGE_LIGHT"
    case .highuserMovable: "GFP_HIGHUSER_MOVABLE"
    case .highuser: "GFP_HIGHUSER"
    case .user: "GFP_USER"
    case .temporary: "GFP_TEMPORARY"
    case .kernelAccount: "GFP_KERNEL_ACCOUNT"
    case .kernel: "GFP_KERNEL"
    case .noFS: "GFP_NOFS"
    case .atomic: "GFP_ATOMIC"
    case .noIO: "GFP_NOIO"
    case .noWait: "GFP_NOWAIT"
    case .dma: "GFP_DMA"
    case .dma32: "GFP_DMA32"
    case .reclaim: "__GFP_RECLAIM"
    }
  }

  /// The flags the mask stands for in `era`, or `nil` where the era does not define it.
  ///
  /// A composite may hold flags the era's config turns off (the KASAN bits of
  /// `GFP_HIGHUSER_MOVABLE`); they count as 0 in the raw mask.
  public func flags(in era: GFPEra) -> GFPFlags? {
    // ≤ 4.3 blocked with __GFP_WAIT; 4.4 split it into the two reclaim bits.
    let sleep: GFPFlags = era == .upTo4_3 ? [.wait] : [.directReclaim, .kswapdReclaim]
    let kernel = sleep.union([.io, .fs])
    let highuser = kernel.union([.hardwall, .highmem])
    switch self {
    case .reclaim:
      return era == .upTo4_3 ? nil : sleep
    case .kernel:
      return kernel
    case .kernelAccount:
      return era >= .v4_5 ? kernel.union([.account]) : nil
    case .noFS:
      return sleep.union([.io])
    case .noIO:
      return sleep
    case .user:
      return kernel.union([.hardwall])
    case .highuser:
      return highuser
    case .highuserMovable:
      return highuserMovable(era, highuser: highuser)
    case .atomic:
      if era == .upTo4_3 { return [.high] }
      return era >= .v6_3 ? [.high, .kswapdReclaim] : [.high, .atomic, .kswapdReclaim]
    case .noWait:
      // ≤ 4.3: GFP_ATOMIC & ~__GFP_HIGH, i.e. 0; 6.8 added __GFP_NOWARN.
      if era == .upTo4_3 { return nil }
      return era >= .v6_8 ? [.kswapdReclaim, .noWarn] : [.kswapdReclaim]
    case .temporary:
      return era <= .v4_13 ? kernel.union([.reclaimable]) : nil
    case .transhugeLight:
      guard era >= .v4_8 else { return nil }
      return transhugeLight(era, highuser: highuser)
    case .transhuge:
      return transhuge(era, highuser: highuser)
    case .dma:
      return [.dma]
    case .dma32:
      return [.dma32]
    }
  }

  private func highuserMovable(_ era: GFPEra, highuser: GFPFlags) -> GFPFlags {
    var flags = highuser.union([.movable])
    switch era {
    case .v5_14: flags.insert([.skipKasanPoison])
    case .v5_18, .v6_3: flags.formUnion([.skipKasanPoison, .skipKasanUnpoison])
    case _ where era >= .v6_4: flags.insert([.skipKasan])
    default: break
    }
    return flags
  }

  private func transhugeLight(_ era: GFPEra, highuser: GFPFlags) -> GFPFlags {
    highuserMovable(era, highuser: highuser).union([.comp, .noMemalloc, .noWarn])
      .subtracting([.directReclaim, .kswapdReclaim])
  }

  private func transhuge(_ era: GFPEra, highuser: GFPFlags) -> GFPFlags {
    if era >= .v4_8 {
      return transhugeLight(era, highuser: highuser).union([.directReclaim])
    }
    let base = highuserMovable(era, highuser: highuser)
      .union([.comp, .noMemalloc, .noRetry, .noWarn])
    switch era {
    case .upTo4_3: return base.union([.noKswapd])
    case .v4_4, .v4_5: return base.subtracting([.kswapdReclaim])
    default: return base.subtracting([.directReclaim, .kswapdReclaim])  // 4.6–4.7
    }
  }
}
