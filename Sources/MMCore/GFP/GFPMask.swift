/// A GFP mask as one kernel printed or would print it, with what it means for that kernel.
///
/// Kernel: the `gfp_t` argument of `__alloc_pages()`; meanings from `gfp_zone()`,
/// `gfp_migratetype()`, `gfp_to_alloc_flags()` (../shared/kernel/gfp-flags.md §3–5).
public struct GFPMask: Hashable, Sendable {
  /// The raw mask, in the kernel's own numbering.
  public let rawValue: UInt64
  /// The kernel release whose rules apply.
  public let kernel: KernelVersion
  /// How that kernel numbers and names the bits.
  public let dialect: GFPDialect
  /// The flags set in the mask.
  public let flags: GFPFlags
  /// Bits that name no flag in this kernel.
  public let unknownBits: UInt64

  /// Decodes `rawValue` for `kernel`, with `dialect` (by default the kernel's own).
  public init(rawValue: UInt64, kernel: KernelVersion, dialect: GFPDialect? = nil) {
    let dialect = dialect ?? GFPDialect(kernel: kernel)
    self.rawValue = rawValue
    self.kernel = kernel
    self.dialect = dialect
    (flags, unknownBits) = dialect.flags(inRaw: rawValue)
  }

  /// The `%pGg` names (``GFPDialect/names(of:)``).
  public var names: String { dialect.names(of: rawValue) }

  /// The mask as the kernel prints it: `0x2084020(GFP_ATOMIC|__GFP_COMP)`, or bare hex before 4.6.
  public var kernelText: String { dialect.kernelText(of: rawValue) }

  // MARK: - Meaning

  /// `PAGE_ALLOC_COSTLY_ORDER`: requests above this order are "costly" (fewer retries, never an
  /// OOM kill).
  public static let costlyOrder = 3

  /// The highest zone the request may use, as `gfp_zone()` picks it, or `nil` for a conflicting
  /// combination of zone modifiers (`GFP_ZONE_BAD`).
  ///
  /// On a machine without the zone, the kernel falls back to Normal (DMA, DMA32, HighMem).
  public var zone: ZoneKind? {
    let dma = flags.contains(.dma), highmem = flags.contains(.highmem)
    let dma32 = flags.contains(.dma32), movable = flags.contains(.movable)
    switch (dma, highmem, dma32) {
    case (false, false, false): return .normal
    case (true, false, false): return .dma
    case (false, true, false): return movable ? .movable : .highmem
    case (false, false, true): return .dma32
    default: return nil
    }
  }

  /// The migratetype `gfp_migratetype()` gives, or `nil` when both `__GFP_MOVABLE` and
  /// `__GFP_RECLAIMABLE` are set (a kernel bug).
  public var migrateType: MigrateType? {
    switch (flags.contains(.movable), flags.contains(.reclaimable)) {
    case (false, false): .unmovable
    case (true, false): .movable
    case (false, true): .reclaimable
    case (true, true): nil
    }
  }

  /// Whether the allocating task may sleep and reclaim memory itself.
  ///
  /// `__GFP_DIRECT_RECLAIM`; ≤ 4.3 `__GFP_WAIT`.
  public var mayDirectReclaim: Bool {
    dialect.era == .upTo4_3 ? flags.contains(.wait) : flags.contains(.directReclaim)
  }

  /// Whether the request wakes kswapd.
  ///
  /// `__GFP_KSWAPD_RECLAIM`; ≤ 4.3 unless `__GFP_NO_KSWAPD`.
  public var mayWakeKswapd: Bool {
    dialect.era == .upTo4_3 ? !flags.contains(.noKswapd) : flags.contains(.kswapdReclaim)
  }

  /// Whether reclaim may start physical IO (`__GFP_IO`).
  public var mayIO: Bool { flags.contains(.io) }
  /// Whether reclaim may call into filesystems (`__GFP_FS`).
  public var mayFS: Bool { flags.contains(.fs) }
  /// Whether it is a high-priority request (`__GFP_HIGH`), allowed below the min watermark.
  public var isHighPriority: Bool { flags.contains(.high) }

  /// Whether it is an atomic request, which the kernel gives extra reserve access.
  ///
  /// `__GFP_ATOMIC` (4.4–6.2); a request that cannot sleep (≤ 4.3 without `__GFP_WAIT`; 6.3+
  /// without `__GFP_DIRECT_RECLAIM`).
  public var isAtomic: Bool {
    switch dialect.era {
    case .upTo4_3: !flags.contains(.wait)
    case _ where dialect.era >= .v6_3: !flags.contains(.directReclaim)
    default: flags.contains(.atomic)
    }
  }

  /// Whether the request may be served from CMA pageblocks (movable requests, `CONFIG_CMA`).
  public var mayUseCMA: Bool { migrateType == .movable }

  /// `__GFP_NOWARN`: a failure prints no `page allocation failure` report.
  public var noWarn: Bool { flags.contains(.noWarn) }
  /// `__GFP_NORETRY`: give up after one round of reclaim/compaction; never invokes the OOM killer.
  public var noRetry: Bool { flags.contains(.noRetry) }
  /// `__GFP_RETRY_MAYFAIL` (4.13+): retry hard, but fail rather than OOM-kill.
  public var retryMayFail: Bool { flags.contains(.retryMayFail) }
  /// `__GFP_NOFAIL`: loop until it succeeds.
  public var noFail: Bool { flags.contains(.noFail) }
  /// `__GFP_COMP`: a compound page.
  public var isCompound: Bool { flags.contains(.comp) }
  /// `__GFP_ZERO`: zeroed pages.
  public var isZeroed: Bool { flags.contains(.zero) }
  /// `__GFP_ACCOUNT`: charged to the task's memory cgroup.
  public var isAccounted: Bool { flags.contains(.account) }

  // MARK: - Alloc flags

  /// The slow path's alloc flags for this request at `order`, as `gfp_to_alloc_flags()` computes
  /// them for ``kernel``, for an ordinary (not realtime) task in task context on a kernel with
  /// `CONFIG_CMA`.
  ///
  /// `reserveFlagRework` says whether the kernel has 6.3's reserve-flag rework (`ALLOC_NON_BLOCK`,
  /// `ALLOC_MIN_RESERVE`, `ALLOC_HIGHATOMIC`); by default, from 6.3. Stable builds that carry it
  /// as a backport (Debian 6.1.192) pass `true`.
  ///
  /// Not modelled: the reserve flags added later by `__gfp_pfmemalloc_flags()` (PF_MEMALLOC,
  /// OOM victims), and the later-stable narrowing of `ALLOC_HIGHATOMIC` (UNVERIFIED).
  public func slowPathAllocFlags(order: Int, reserveFlagRework: Bool? = nil) -> AllocFlags {
    var alloc: AllocFlags = [.cpuset]  // ALLOC_WMARK_MIN is 0
    if isHighPriority { alloc.insert(.high) }
    if kernel.isAtLeast(5, 0) && flags.contains(.kswapdReclaim) { alloc.insert(.kswapd) }
    if reserveFlagRework ?? kernel.isAtLeast(6, 3) {
      if !flags.contains(.directReclaim) {
        if !flags.contains(.noMemalloc) { alloc.insert(.harder) }
        if order > 0 { alloc.insert(.highAtomic) }
        if alloc.contains(.high) { alloc.remove(.cpuset) }
      }
    } else if isAtomic {
      if !flags.contains(.noMemalloc) { alloc.insert(.harder) }
      alloc.remove(.cpuset)
    }
    if mayUseCMA { alloc.insert(.cma) }
    return alloc
  }
}
