internal import MMCore

/// The machine-readable form of a ``GFPDecoding`` (`oomlab gfp --json`).
public struct GFPDecodingSummary: Codable, Hashable, Sendable {
  /// The mask as hex, `0x2084020`.
  public var mask: String
  /// The `%pGg` names (what the kernel prints, or would print from 4.6 on).
  public var names: String
  /// The kernel's own rendering: `0x2084020(GFP_ATOMIC|__GFP_COMP)`, or bare hex before 4.6.
  public var kernelText: String
  /// The kernel whose rules were used.
  public var kernel: String
  /// How that kernel was chosen: `given`, `inferred` or `newestKnown`.
  public var kernelSource: GFPDecoding.KernelSource
  /// When inferred: the releases whose kernels print the mask this way.
  public var fitsKernels: String?
  /// The printed names when they differ from the given kernel's rendering.
  public var printedNamesMismatch: String?
  /// The highest zone `gfp_zone()` picks (`Normal`, `DMA32`, …), or `null` if invalid.
  public var zone: String?
  /// The migratetype (`Unmovable`, `Movable`, `Reclaimable`), or `null` if invalid.
  public var migratetype: String?
  /// May the task reclaim directly (``GFPMask/mayDirectReclaim``).
  public var directReclaim: Bool
  /// Does it wake kswapd (``GFPMask/mayWakeKswapd``).
  public var kswapdReclaim: Bool
  /// `__GFP_IO`.
  public var io: Bool
  /// `__GFP_FS`.
  public var fs: Bool
  /// `__GFP_HIGH`.
  public var highPriority: Bool
  /// Atomic with extra reserve access (``GFPMask/isAtomic``).
  public var atomic: Bool
  /// May use CMA pageblocks (movable).
  public var cma: Bool
  /// `__GFP_NOWARN`.
  public var noWarn: Bool
  /// `__GFP_NORETRY`.
  public var noRetry: Bool
  /// `__GFP_RETRY_MAYFAIL`.
  public var retryMayFail: Bool
  /// `__GFP_NOFAIL`.
  public var noFail: Bool
  /// `__GFP_COMP`.
  public var comp: Bool
  /// `__GFP_ZERO`.
  public var zero: Bool
  /// `__GFP_ACCOUNT`.
  public var account: Bool
  /// Bits that name no flag in the kernel, as hex; `null` when there are none.
  public var unknownBits: String?
  /// The request order the alloc flags were computed for.
  public var order: Int
  /// `gfp_to_alloc_flags()`'s result, by kernel name.
  public var allocFlags: [String]
  /// The plain-words lines.
  public var explanation: [String]
}

extension GFPDecoding {
  /// The summary of this decoding.
  public var summary: GFPDecodingSummary {
    let mask = self.mask
    return GFPDecodingSummary(
      mask: "0x" + String(mask.rawValue, radix: 16), names: mask.names,
      kernelText: mask.kernelText, kernel: mask.kernel.description,
      kernelSource: kernelSource, fitsKernels: fittingKernels,
      printedNamesMismatch: printedNamesMismatch, zone: mask.zone?.kernelName,
      migratetype: mask.migrateType?.kernelName, directReclaim: mask.mayDirectReclaim,
      kswapdReclaim: mask.mayWakeKswapd, io: mask.mayIO, fs: mask.mayFS,
      highPriority: mask.isHighPriority, atomic: mask.isAtomic, cma: mask.mayUseCMA,
      noWarn: mask.noWarn, noRetry: mask.noRetry, retryMayFail: mask.retryMayFail,
      noFail: mask.noFail, comp: mask.isCompound, zero: mask.isZeroed, account: mask.isAccounted,
      unknownBits: mask.unknownBits == 0 ? nil : "0x" + String(mask.unknownBits, radix: 16),
      order: order, allocFlags: mask.slowPathAllocFlags(order: order).names(kernel: mask.kernel),
      explanation: explanation.lines)
  }

  /// The text report: the kernel's own rendering first, then which kernel, then the meanings.
  public var text: String {
    var out = mask.kernelText + "\n"
    if !mask.dialect.printsNames {
      out += "names (this kernel prints hex only): \(mask.names)\n"
    }
    out += kernelLine + "\n"
    if let printed = printedNamesMismatch {
      out +=
        "note: the log printed (\(printed)); kernel \(mask.kernel) prints (\(mask.names)): "
        + "the log likely comes from another kernel version\n"
    }
    for line in explanation.lines { out += "- " + line + "\n" }
    return out
  }
}
