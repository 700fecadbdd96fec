public import MMCore

/// One decision of an allocation, in the order the kernel takes them.
public enum SlowPathStep: Hashable, Sendable, CustomStringConvertible {
  /// The fast path (`ALLOC_WMARK_LOW`) failed in every zone.
  case fastPathFailed
  /// kswapd was woken for the request.
  case wokeKswapd
  /// kcompactd was woken instead of kswapd (the node balanced or hopeless, the request unable
  /// to reclaim).
  case wokeKcompactd
  /// A freelist attempt with these flags.
  case freelist(AllocFlags, allocated: Bool)
  /// Direct reclaim (`try_to_free_pages()`).
  case directReclaim(ReclaimResult)
  /// The per-cpu lists were drained after reclaim.
  case drainedPerCPU
  /// A high-atomic reserve pageblock was given to the request's migratetype.
  case unreservedHighAtomic
  /// Direct compaction (`try_to_compact_pages()`): the best result over the zonelist.
  case directCompaction(CompactionResult)
  /// The slow path loops again.
  case retry(String)
  /// `__alloc_pages_may_oom()` declined to invoke the OOM killer.
  case oomSkipped(String)
  /// The OOM killer ran.
  case oomKiller(OOMOutcome)
  /// The slow path gave up.
  case gaveUp(String)

  /// The step in words.
  public var description: String {
    switch self {
    case .fastPathFailed: "fast path: every zone below its low watermark for this request"
    case .wokeKswapd: "woke kswapd"
    case .wokeKcompactd: "woke kcompactd instead of kswapd"
    case .freelist(let flags, let allocated):
      "freelist with \(flags.rawValue & 0x3 == 0 ? "min" : flags.watermarkName) watermark: "
        + (allocated ? "allocated" : "failed")
    case .directReclaim(let result):
      "direct reclaim: scanned \(result.scanned), reclaimed \(result.reclaimed)"
        + (result.writebackStarted > 0 ? ", writeback started on \(result.writebackStarted)" : "")
    case .drainedPerCPU: "drained the per-cpu lists"
    case .unreservedHighAtomic: "gave a high-atomic reserve pageblock back"
    case .directCompaction(let result): "direct compaction: \(result)"
    case .retry(let why): "retry: \(why)"
    case .oomSkipped(let why): "no OOM kill: \(why)"
    case .oomKiller(let outcome): "OOM killer: \(outcome)"
    case .gaveUp(let why): "gave up: \(why)"
    }
  }
}

/// How an allocation ended.
public enum AllocationOutcome: Hashable, Sendable {
  /// The block was allocated.
  case allocated(Allocation)
  /// The allocation failed: `warn_alloc` reports it unless `__GFP_NOWARN`.
  case failed(reason: String)
  /// The OOM killer panicked the kernel with this message (`panic_on_oom`, nothing killable).
  case panicked(String)
  /// The kernel would keep retrying (`__GFP_NOFAIL`, or a GFP_NOFS request the OOM killer
  /// declines); the simulator stops after a bounded number of rounds.
  case keepsRetrying(reason: String)
}

/// An allocation's outcome and the decisions that led to it.
public struct AllocationAttempt: Hashable, Sendable {
  /// How it ended.
  public var outcome: AllocationOutcome
  /// Every decision, in order.
  public var steps: [SlowPathStep]

  /// The allocated block, if any.
  public var allocation: Allocation? {
    if case .allocated(let block) = outcome { return block }
    return nil
  }
}

/// `__alloc_pages()`: the fast path, then the slow path's decision order per version
/// (slowpath-reclaim-compaction.md §1–§6): kswapd wake-up, reserve-aided freelist attempt,
/// direct reclaim with a per-cpu drain, the retry rules (`should_reclaim_retry()`), costly
/// orders, `__GFP_NORETRY` / `__GFP_RETRY_MAYFAIL` / `__GFP_NOFAIL`, and the conditions under
/// which the OOM killer is invoked. Reclaim and compaction are the approximations their files
/// describe.
extension SimulatedMachine {
  /// Allocates a block of `order` for `mask` on behalf of task `current` (`nil`: a context the
  /// simulator does not track), recording what it holds and whose it is; a block with an owner
  /// is charged to the owner's memory cgroup.
  ///
  /// - Parameter chargeMask: the mask the memory cgroup charge uses, when not `mask` (an
  ///   anonymous fault charges with GFP_KERNEL).
  public mutating func allocate(
    order: Int, mask: GFPMask, use: PageUse = .kernel, owner: UInt32 = 0, current: Int? = nil,
    chargeMask: GFPMask? = nil
  ) -> AllocationAttempt {
    var attempt = slowPath(order: order, mask: mask, current: current)
    if let block = attempt.allocation {
      // The owner's memory cgroup is charged once the page is there (`mem_cgroup_charge()`).
      if let failure = chargeMemcg(
        owner: owner, pages: 1 << order, mask: chargeMask ?? mask, order: order,
        current: current)
      {
        memory.free(block.pfn, order: order)
        attempt.outcome = .failed(reason: failure)
        return attempt
      }
      memory.setUse(block.pfn, use, owner: owner)
      attempt.outcome = .allocated(block)
    }
    return attempt
  }

  private mutating func slowPath(order: Int, mask: GFPMask, current: Int?) -> AllocationAttempt {
    var steps: [SlowPathStep] = []
    func done(_ outcome: AllocationOutcome) -> AllocationAttempt {
      AllocationAttempt(outcome: outcome, steps: steps)
    }
    guard order <= memory.layout.maxOrder else {
      return done(
        .failed(reason: "order \(order) above the maximum: a one-time warning, no report"))
    }
    guard let highest = memory.highestZoneIndex(for: mask) else {
      return done(.failed(reason: "conflicting zone modifiers"))
    }
    let fast = memory.allocateFastPath(order: order, mask: mask)
    wakeKswapdForBoostedZones()
    if let block = fast { return done(.allocated(block)) }
    steps.append(.fastPathFailed)

    let modern = memory.rules.kernel.isAtLeast(5, 0)
    let costly = order > GFPMask.costlyOrder
    var flags = mask.slowPathAllocFlags(
      order: order, reserveFlagRework: memory.rules.watermarks == .reserveFlags6_3)
    if mask.mayWakeKswapd {
      switch wakeKswapd(
        order: order, highestZoneIndex: highest, mayDirectReclaim: mask.mayDirectReclaim)
      {
      case .kswapd: steps.append(.wokeKswapd)
      case .kcompactd: steps.append(.wokeKcompactd)
      case .none: break
      }
    }
    if let block = freelist(order, mask, flags, &steps) { return done(.allocated(block)) }
    let compactsFirst = costly || (modern && order > 0 && mask.migrateType != .movable)
    if mask.mayDirectReclaim && compactsFirst {
      let first = directCompaction(
        order: order, mask: mask, flags: flags, highest: highest, priority: .async,
        steps: &steps)
      if let block = first.block { return done(.allocated(block)) }
      let withdrawn: Bool
      switch first.result {
      case .deferred?: withdrawn = true
      case .skipped?: withdrawn = modern
      default: withdrawn = false
      }
      if costly && mask.noRetry && withdrawn {
        steps.append(.gaveUp("__GFP_NORETRY: compaction deferred or skipped"))
        return nopage(mask, order: order, steps: steps)
      }
    }

    var noProgressLoops = 0
    var compactionRetries = 0
    var compactPriority = CompactPriority.syncLight
    let rounds =
      memory.layout.zones.reduce(0) { $0 + $1.managed } / ReclaimControl.swapClusterMax + 64
    for _ in 0..<rounds {
      // `retry:` keeps kswapd awake while the request loops (the step is recorded once).
      if mask.mayWakeKswapd {
        wakeKswapd(
          order: order, highestZoneIndex: highest, mayDirectReclaim: mask.mayDirectReclaim)
      }
      if let block = freelist(order, mask, flags, &steps) { return done(.allocated(block)) }
      if !mask.mayDirectReclaim {
        steps.append(.gaveUp("the request cannot sleep or reclaim"))
        return nopage(mask, order: order, steps: steps)
      }
      let reclaim = directReclaim(order: order, mask: mask, flags: flags, steps: &steps)
      if let block = reclaim.block { return done(.allocated(block)) }
      let compaction = directCompaction(
        order: order, mask: mask, flags: flags, highest: highest, priority: compactPriority,
        steps: &steps)
      if let block = compaction.block { return done(.allocated(block)) }
      if mask.noRetry {
        steps.append(.gaveUp("__GFP_NORETRY: one round of reclaim only"))
        return nopage(mask, order: order, steps: steps)
      }
      let mayRetryCostly = modern ? mask.retryMayFail : mask.flags.contains(.repeatAlloc)
      if costly && !mayRetryCostly {
        steps.append(
          .gaveUp(
            "costly order \(order) without \(modern ? "__GFP_RETRY_MAYFAIL" : "__GFP_REPEAT")"))
        return nopage(mask, order: order, steps: steps)
      }
      let progress = reclaim.result.reclaimed > 0
      if shouldReclaimRetry(
        order: order, mask: mask, flags: flags, highest: highest, progress: progress,
        loops: &noProgressLoops, steps: &steps)
      {
        steps.append(.retry("reclaim could still make the allocation succeed"))
        continue
      }
      if progress, let result = compaction.result,
        shouldCompactRetry(
          order: order, result: result, highest: highest,
          retries: &compactionRetries, priority: &compactPriority)
      {
        steps.append(.retry("compaction could still make the allocation succeed"))
        continue
      }
      switch mayOOM(order: order, mask: mask, highest: highest, current: current, steps: &steps) {
      case .allocated(let block): return done(.allocated(block))
      case .panicked(let message): return done(.panicked(message))
      case .progressWithoutKill:
        noProgressLoops = 0
        steps.append(.retry("the OOM killer reported progress"))
        continue
      case .skipped:
        if mask.noFail {
          steps.append(.retry("__GFP_NOFAIL"))
          flags.formUnion(memory.rules.watermarks == .reserveFlags6_3 ? .high : .harder)
          flags.remove(.cpuset)
          continue
        }
        return nopage(mask, order: order, steps: steps)
      }
    }
    let why = mask.noFail ? "__GFP_NOFAIL never gives up" : "GFP_NOFS/GFP_NOIO requests loop"
    return done(.keepsRetrying(reason: why))
  }

  /// The end of the slow path: `__GFP_NOFAIL` requests that may sleep never end here.
  private func nopage(_ mask: GFPMask, order: Int, steps: [SlowPathStep]) -> AllocationAttempt {
    if mask.noFail && mask.mayDirectReclaim {
      return AllocationAttempt(
        outcome: .keepsRetrying(reason: "__GFP_NOFAIL never gives up"), steps: steps)
    }
    let why =
      steps.reversed().compactMap { step -> String? in
        if case .gaveUp(let reason) = step { return reason }
        if case .oomSkipped(let reason) = step { return reason }
        return nil
      }.first ?? "no free block of order \(order)"
    return AllocationAttempt(outcome: .failed(reason: why), steps: steps)
  }

  private mutating func freelist(
    _ order: Int, _ mask: GFPMask, _ flags: AllocFlags, _ steps: inout [SlowPathStep]
  ) -> Allocation? {
    let block = memory.allocateFromFreelist(order: order, mask: mask, flags: flags)
    wakeKswapdForBoostedZones()
    steps.append(.freelist(flags, allocated: block != nil))
    return block
  }

  /// `__alloc_pages_direct_reclaim()`: reclaim `SWAP_CLUSTER_MAX` pages on the request's nodes,
  /// try the freelist, and after progress without success give back a high-atomic pageblock,
  /// drain the per-cpu lists and try again.
  private mutating func directReclaim(
    order: Int, mask: GFPMask, flags: AllocFlags, steps: inout [SlowPathStep]
  ) -> (result: ReclaimResult, block: Allocation?) {
    let nodes = Set(memory.layout.zones.map(\.node)).sorted()
    var result = ReclaimResult()
    for node in nodes where result.reclaimed < ReclaimControl.swapClusterMax {
      result.add(shrinkNode(node, ReclaimControl(mask: mask)))
    }
    steps.append(.directReclaim(result))
    guard result.reclaimed > 0 else { return (result, nil) }
    if let block = freelist(order, mask, flags, &steps) { return (result, block) }
    if unreserveHighAtomic(mask: mask, force: false) { steps.append(.unreservedHighAtomic) }
    for zone in memory.layout.zones.indices { memory.drainAllPerCPU(zone: zone) }
    steps.append(.drainedPerCPU)
    return (result, freelist(order, mask, flags, &steps))
  }

  /// `__alloc_pages_direct_compact()`: compacts each zone of the zonelist (order > 0 only),
  /// stopping at the first success, then tries the freelist.
  private mutating func directCompaction(
    order: Int, mask: GFPMask, flags: AllocFlags, highest: Int, priority: CompactPriority,
    steps: inout [SlowPathStep]
  ) -> (result: CompactionResult?, block: Allocation?) {
    guard order > 0 else { return (nil, nil) }
    var best: CompactionResult?
    for zone in memory.zonelist(highestZoneIndex: highest)
    where memory.layout.zones[zone].managed > 0 {
      let result = compactZone(
        zone, order: order, highestZoneIndex: highest, flags: flags, priority: priority,
        migrateType: mask.migrateType ?? .movable)
      if best.map({ Self.rank(result) > Self.rank($0) }) ?? true { best = result }
      if case .success = result { break }
      if case .alreadySuitable = result { break }
    }
    if let best { steps.append(.directCompaction(best)) }
    switch best {
    case .success?, .alreadySuitable?:
      return (best, freelist(order, mask, flags, &steps))
    default:
      return (best, nil)
    }
  }

  /// How far a compaction result got, for picking the best over the zones.
  private static func rank(_ result: CompactionResult) -> Int {
    switch result {
    case .skipped: 0
    case .deferred: 1
    case .complete: 2
    case .success, .alreadySuitable: 3
    }
  }

  /// `should_compact_retry()`: whether another round could let compaction succeed.
  ///
  /// Order 0 never; skipped (before 5.4 also deferred: "withdrawn") → whether reclaim could make
  /// compaction possible; success → up to 16 retries (4 for costly orders); otherwise raise the
  /// priority once more if it is not at its most aggressive yet. 5.4 sent deferred results to
  /// the priority check (release INFERRED from the patch's date).
  private func shouldCompactRetry(
    order: Int, result: CompactionResult, highest: Int, retries: inout Int,
    priority: inout CompactPriority
  ) -> Bool {
    guard order > 0 else { return false }
    let costly = order > GFPMask.costlyOrder
    switch result {
    case .skipped:
      return compactionZonelistSuitable(order: order, highest: highest)
    case .deferred where !memory.rules.kernel.isAtLeast(5, 4):
      return compactionZonelistSuitable(order: order, highest: highest)
    case .success, .alreadySuitable:
      retries += 1
      if retries <= (costly ? 4 : 16) { return true }
    default:
      break
    }
    let minPriority: CompactPriority = costly ? .syncLight : .syncFull
    guard priority > minPriority, let raised = CompactPriority(rawValue: priority.rawValue - 1)
    else { return false }
    priority = raised
    retries = 0
    return true
  }

  /// `compaction_zonelist_suitable()`: whether some zone would have enough free pages for
  /// compaction once its reclaimable pages were freed (above its low watermark plus the gap for
  /// costly orders, its min watermark plus the gap otherwise, as `__compaction_suitable()`).
  private func compactionZonelistSuitable(order: Int, highest: Int) -> Bool {
    for zone in memory.zonelist(highestZoneIndex: highest)
    where memory.layout.zones[zone].managed > 0 {
      let reclaimable = reclaimablePages(zone: zone)
      let marks = memory.zoneSettings(zone).watermarks
      if memory.isWatermarkOK(
        zone: zone, order: 0, highestZoneIndex: highest,
        mark: Self.compactionMark(marks, order: order), flags: [.cma],
        freePages: memory.freePages(zone: zone) + reclaimable)
      {
        return true
      }
    }
    return false
  }

  /// `should_reclaim_retry()`: after 16 rounds without progress (costly orders never count as
  /// progress), only if a high-atomic pageblock could be given back (4.10+); else yes if some
  /// zone would pass its min watermark with all its reclaimable pages freed (4.9: a back-off
  /// share of them).
  private mutating func shouldReclaimRetry(
    order: Int, mask: GFPMask, flags: AllocFlags, highest: Int, progress: Bool, loops: inout Int,
    steps: inout [SlowPathStep]
  ) -> Bool {
    if progress && order <= GFPMask.costlyOrder { loops = 0 } else { loops += 1 }
    guard loops <= Self.maxReclaimRetries else {
      guard memory.rules.kernel.isAtLeast(4, 10), unreserveHighAtomic(mask: mask, force: true)
      else { return false }
      steps.append(.unreservedHighAtomic)
      return true
    }
    let legacy = !memory.rules.kernel.isAtLeast(4, 10)
    for zone in memory.zonelist(highestZoneIndex: highest)
    where memory.layout.zones[zone].managed > 0 {
      var reclaimable = reclaimablePages(zone: zone)
      if legacy { reclaimable -= (loops * reclaimable + 15) / 16 }
      let available = reclaimable + memory.freePages(zone: zone)
      let marks = memory.zoneSettings(zone).watermarks
      if memory.isWatermarkOK(
        zone: zone, order: order, highestZoneIndex: highest, mark: marks.min, flags: flags,
        freePages: available)
      {
        return true
      }
    }
    return false
  }

  /// `unreserve_highatomic_pageblock()` over the request's zonelist.
  private mutating func unreserveHighAtomic(mask: GFPMask, force: Bool) -> Bool {
    guard let highest = memory.highestZoneIndex(for: mask), let type = mask.migrateType else {
      return false
    }
    return memory.unreserveHighAtomicPageblock(
      zones: memory.zonelist(highestZoneIndex: highest), for: type, force: force)
  }

  private enum OOMDecision {
    case allocated(Allocation), panicked(String), progressWithoutKill, skipped
  }

  /// `__alloc_pages_may_oom()`: a last-chance attempt at the high watermark, then the cases in
  /// which the OOM killer is not invoked, then `out_of_memory()`'s refusal for requests without
  /// `__GFP_FS`, then the OOM killer; a `__GFP_NOFAIL` request then tries to allocate ignoring
  /// the watermarks (the cpuset fallback).
  private mutating func mayOOM(
    order: Int, mask: GFPMask, highest: Int, current: Int?, steps: inout [SlowPathStep]
  ) -> OOMDecision {
    // ALLOC_WMARK_HIGH | ALLOC_CPUSET only: free CMA pages do not count here.
    if let block = freelist(order, mask, [.watermarkHigh, .cpuset], &steps) {
      return .allocated(block)
    }
    let modern = memory.rules.kernel.isAtLeast(5, 0)
    let exempt = !modern && mask.noFail
    if !exempt {
      if order > GFPMask.costlyOrder {
        steps.append(.oomSkipped("costly order \(order)"))
        return .skipped
      }
      if modern && mask.retryMayFail {
        steps.append(.oomSkipped("__GFP_RETRY_MAYFAIL"))
        return .skipped
      }
      if mask.flags.contains(.thisNode) {
        steps.append(.oomSkipped("__GFP_THISNODE"))
        return .skipped
      }
      if highest < memory.zoneKindIndex[ZoneKind.normal.rawValue] {
        steps.append(.oomSkipped("lowmem-only request"))
        return .skipped
      }
    }
    if !mask.mayFS && mask.rawValue != 0 {
      steps.append(.oomSkipped("no __GFP_FS: out_of_memory() reports progress without killing"))
      return .progressWithoutKill
    }
    let outcome = outOfMemory(current: current, mask: mask, order: order)
    steps.append(.oomKiller(outcome))
    if case .panicked(let message) = outcome { return .panicked(message) }
    if mask.noFail {
      for flags: AllocFlags in [[.noWatermarks, .cpuset], [.noWatermarks]] {
        if let block = freelist(order, mask, flags, &steps) { return .allocated(block) }
      }
    }
    return .progressWithoutKill
  }
}
