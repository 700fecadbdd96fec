public import MMCore

/// What a GFP mask asks of the page allocator, in plain words, for one kernel.
///
/// Facts: ../shared/kernel/gfp-flags.md §3–5 and slowpath-reclaim-compaction.md (costly orders,
/// retry policy).
public struct GFPExplanation: Hashable, Sendable {
  /// The decoded mask.
  public let mask: GFPMask
  /// The request's order (0 when unknown).
  public let order: Int

  /// Explains `mask` for a request of `order`.
  public init(mask: GFPMask, order: Int = 0) {
    self.mask = mask
    self.order = order
  }

  /// `PAGE_ALLOC_COSTLY_ORDER`: above it the allocator never invokes the OOM killer.
  public static let costlyOrder = GFPMask.costlyOrder

  /// One line per meaning, most consequential first.
  public var lines: [String] {
    var lines = [zoneLine, migrateTypeLine, reclaimLine, kswapdLine]
    if let reserves = reservesLine { lines.append(reserves) }
    lines.append(retryLine)
    if mask.noWarn {
      lines.append("__GFP_NOWARN: a failure is silent (no 'page allocation failure' report)")
    }
    if mask.isCompound { lines.append("__GFP_COMP: the pages form one compound page") }
    if mask.isZeroed { lines.append("__GFP_ZERO: the pages are zeroed") }
    if mask.isAccounted { lines.append("__GFP_ACCOUNT: charged to the task's memory cgroup") }
    if mask.unknownBits != 0 {
      lines.append(
        "bits 0x\(String(mask.unknownBits, radix: 16)) name no flag in kernel \(mask.kernel) "
          + "(another kernel version, a config option, or not a GFP mask)")
    }
    lines.append(
      "slow path alloc flags (order \(order), ordinary task): "
        + mask.slowPathAllocFlags(order: order).names(kernel: mask.kernel).joined(separator: "|"))
    return lines
  }

  /// How far below the min watermark the slow path may go, from `__zone_watermark_ok()`'s
  /// reductions for the request's alloc flags (buddy-migratetypes.md §7).
  private var reservesLine: String? {
    let alloc = mask.slowPathAllocFlags(order: order)
    let high = alloc.contains(.high), harder = alloc.contains(.harder)
    guard high || harder else { return nil }
    let names = alloc.names(kernel: mask.kernel)
    let used = names.filter {
      $0 != "ALLOC_WMARK_MIN" && $0 != "ALLOC_CPUSET" && $0 != "ALLOC_CMA" && $0 != "ALLOC_KSWAPD"
    }
    var min = 1000
    if high { min -= min / 2 }
    let lowersFurther = mask.kernel.isAtLeast(6, 3) ? harder && high : harder
    if lowersFurther { min -= min / 4 }
    var line = "reserves (\(used.joined(separator: "|"))): "
    if min < 1000 {
      let percent = min % 10 == 0 ? "\(min / 10)" : "\(min / 10).\(min % 10)"
      line += "succeeds while free pages stay above \(percent)% of the min watermark"
    } else {
      line += "no lower watermark"
    }
    let newRules = mask.kernel.isAtLeast(6, 3)
    if alloc.contains(.highAtomic) || (harder && !newRules) {
      line += "; may use the high-atomic reserve"
    } else if harder {
      line += "; the high-atomic reserve is not subtracted from free pages"
    }
    return line
  }

  private var zoneLine: String {
    guard let zone = mask.zone else {
      return "conflicting zone modifiers (GFP_ZONE_BAD): the kernel BUGs with CONFIG_DEBUG_VM"
    }
    let below = ZoneKind.allCases.filter { $0 < zone && $0 != .movable && $0 != .highmem }
      .reversed().map(\.kernelName)
    var line = "zone: \(zone.kernelName) or lower"
    if zone == .dma {
      line = "zone: DMA only"
    } else if !below.isEmpty {
      line += " (falls back to \(below.joined(separator: ", ")))"
    }
    switch zone {
    case .dma32, .highmem, .dma: line += "; Normal on a machine without that zone"
    case .movable: line += "; Movable is reached only by __GFP_HIGHMEM|__GFP_MOVABLE"
    case .normal, .device: break
    }
    return line
  }

  private var migrateTypeLine: String {
    guard let type = mask.migrateType else {
      return "both __GFP_MOVABLE and __GFP_RECLAIMABLE: an invalid migratetype (kernel warns)"
    }
    if mask.mayUseCMA {
      return "migratetype: Movable: may be served from CMA pageblocks"
    }
    return "migratetype: \(type.kernelName): not movable: may not use CMA pageblocks"
  }

  private var reclaimLine: String {
    guard mask.mayDirectReclaim else {
      return "cannot sleep or reclaim: fails fast when free pages run short"
    }
    var line = "may sleep and reclaim memory itself (direct reclaim"
    if order > 0 { line += " and compaction" }
    line += ")"
    switch (mask.mayIO, mask.mayFS) {
    case (true, true): break
    case (true, false): line += "; no filesystem calls (GFP_NOFS)"
    case (false, _): line += "; no IO and no filesystem calls (GFP_NOIO)"
    }
    return line
  }

  private var kswapdLine: String {
    mask.mayWakeKswapd
      ? "wakes kswapd to reclaim in the background"
      : "does not wake kswapd"
  }

  private var retryLine: String {
    if mask.noFail { return "__GFP_NOFAIL: never fails; the allocator retries until it succeeds" }
    if mask.noRetry {
      return "__GFP_NORETRY: gives up after one round of reclaim; never invokes the OOM killer"
    }
    if mask.flags.contains(.repeatAlloc) {
      return "__GFP_REPEAT: keeps retrying reclaim for costly orders before failing"
    }
    if mask.retryMayFail {
      return "__GFP_RETRY_MAYFAIL: retries hard, but fails rather than invoke the OOM killer"
    }
    guard mask.mayDirectReclaim else {
      return "no retries: a non-blocking request fails as soon as the free lists cannot serve it"
    }
    if order > Self.costlyOrder {
      return "costly order (> \(Self.costlyOrder)): retries reclaim and compaction a bounded "
        + "number of times, then fails without invoking the OOM killer"
    }
    if let zone = mask.zone, zone < .normal {
      return "lowmem-only request (\(zone.kernelName)): retries, but never invokes the OOM killer"
    }
    if mask.flags.contains(.thisNode) {
      return "__GFP_THISNODE: retries, but never invokes the OOM killer"
    }
    if !mask.mayFS {
      return "retries until it succeeds; without __GFP_FS the OOM killer kills nothing and "
        + "the request keeps looping"
    }
    return "retries until it succeeds; may invoke the OOM killer (order <= \(Self.costlyOrder))"
  }
}
