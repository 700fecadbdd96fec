internal import MMCore

/// What kswapd was woken for on a node (`pgdat->kswapd_order`, `kswapd_highest_zoneidx`).
public struct KswapdRequest: Hashable, Sendable {
  /// The largest order requested since kswapd last ran.
  public var order: Int
  /// The highest zone index (`lowmem_reserve` index) requested.
  public var highestZoneIndex: Int
}

/// What one kswapd run did.
public struct KswapdRun: Hashable, Sendable {
  /// The reclaim it did.
  public var reclaim = ReclaimResult()
  /// Whether a zone ended above its high watermark (+boost) for the order kswapd ended at.
  public var balanced = false
  /// Whether the run was for a watermark boost (it then woke kcompactd for a pageblock).
  public var boosted = false
}

/// Which background thread a `wakeup_kswapd()` call woke.
public enum KswapdWake: Hashable, Sendable {
  /// kswapd, to reclaim for the request.
  case kswapd
  /// kcompactd instead: the node was balanced or hopeless, and the request could not reclaim
  /// directly.
  case kcompactd
  /// Neither.
  case none
}

/// kswapd (mm/vmscan.c `wakeup_kswapd()`, `balance_pgdat()`, `kswapd_try_to_sleep()`), run when
/// the engine says so: the simulator has no threads, so a wake-up only records the request and
/// ``runKswapd(node:)`` does the work (``runBackgroundWork()`` at the points where the
/// allocating task would yield the CPU; tests call it directly). Reclaim itself is the
/// approximation described at ``shrinkNode(_:_:)``.
extension SimulatedMachine {
  /// `MAX_RECLAIM_RETRIES`: no-progress rounds before the slow path stops retrying reclaim, and
  /// (4.12+) failed kswapd runs after which a node is hopeless.
  public static let maxReclaimRetries = 16

  /// `wakeup_kswapd()` for a request: wakes kswapd for the order and highest zone unless the
  /// node is hopeless (4.12+) or already balanced for them and not boosted; in that case a
  /// request that cannot reclaim directly wakes kcompactd instead (4.17+).
  @discardableResult
  public mutating func wakeKswapd(
    node: Int = 0, order: Int, highestZoneIndex: Int, mayDirectReclaim: Bool = true
  ) -> KswapdWake {
    let kernel = memory.rules.kernel
    let hopeless = kernel.isAtLeast(4, 12) && isHopeless(node: node)
    if hopeless
      || (isBalanced(node: node, order: order, highestZoneIndex: highestZoneIndex)
        && !isWatermarkBoosted(node: node, highestZoneIndex: highestZoneIndex))
    {
      guard !mayDirectReclaim && kernel.isAtLeast(4, 17),
        wakeKcompactd(node: node, order: order, highestZoneIndex: highestZoneIndex)
      else { return .none }
      return .kcompactd
    }
    var request =
      kswapdRequests[node] ?? KswapdRequest(order: order, highestZoneIndex: highestZoneIndex)
    request.order = max(request.order, order)
    request.highestZoneIndex = max(request.highestZoneIndex, highestZoneIndex)
    kswapdRequests[node] = request
    return .kswapd
  }

  /// `rmqueue()`'s wake-up for zones a fallback boosted: `wakeup_kswapd(zone, 0, 0, zone)`.
  mutating func wakeKswapdForBoostedZones() {
    guard !memory.boostedZonesToWake.isEmpty else { return }
    let zones = memory.boostedZonesToWake
    memory.boostedZonesToWake.removeAll()
    for zone in zones {
      let span = memory.layout.zones[zone]
      guard let kindIndex = memory.layout.zoneKinds.firstIndex(of: span.kind) else { continue }
      wakeKswapd(node: span.node, order: 0, highestZoneIndex: kindIndex, mayDirectReclaim: false)
    }
  }

  /// kswapd's run for the pending request of `node`.
  ///
  /// `balance_pgdat()`: a boosted node is first reclaimed for its boost (no writeback, no swap,
  /// stopping at the first pass that frees nothing); otherwise kswapd reclaims until some zone up
  /// to the requested one clears its high watermark (+boost) for the order, dropping to order 0
  /// once it has freed `compact_gap()` pages. A run that frees nothing counts as a failure
  /// (4.12+). Then the boosts it started with are removed and kcompactd is woken for a pageblock;
  /// before sleeping, kswapd wakes kcompactd for the requested order if it dropped to order 0
  /// and the node is balanced (`kswapd_try_to_sleep()`, 4.6+).
  public mutating func runKswapd(node: Int = 0) -> KswapdRun {
    guard let request = kswapdRequests.removeValue(forKey: node) else { return KswapdRun() }
    let highest = request.highestZoneIndex
    let boosts = zonesOfNode(node, upTo: highest).compactMap { zone -> (zone: Int, boost: Int)? in
      let boost = memory.zoneSettings(zone).watermarks.boost
      return boost > 0 ? (zone, boost) : nil
    }
    var run = KswapdRun(boosted: !boosts.isEmpty)
    var order = request.order
    var boostToReclaim = boosts.reduce(0) { $0 + $1.boost }
    if boostToReclaim > 0 && !isBalanced(node: node, order: order, highestZoneIndex: highest) {
      boostToReclaim = 0
    }
    var leftBalanced = false
    let limit =
      memory.layout.zones.reduce(0) { $0 + $1.managed } / ReclaimControl.swapClusterMax + 16
    for _ in 0..<limit {
      if boostToReclaim == 0 && isBalanced(node: node, order: order, highestZoneIndex: highest) {
        leftBalanced = true
        break
      }
      let boosting = boostToReclaim > 0
      let pass = shrinkNode(
        node,
        ReclaimControl(
          target: ReclaimControl.swapClusterMax, mayWriteback: !boosting, maySwap: !boosting))
      run.reclaim.add(pass)
      if order > 0 && run.reclaim.reclaimed >= Self.compactGap(order: order) { order = 0 }
      boostToReclaim -= min(boostToReclaim, pass.reclaimed)
      if boosting && boostToReclaim > 0 && pass.reclaimed == 0 { break }
      if pass.reclaimed == 0 && pass.writebackStarted == 0 && !boosting { break }
    }
    if !leftBalanced && run.reclaim.reclaimed == 0 && memory.rules.kernel.isAtLeast(4, 12) {
      kswapdFailures[node, default: 0] += 1
    }
    if run.boosted {
      for (zone, boost) in boosts { memory.reduceWatermarkBoost(zone: zone, by: boost) }
      wakeKcompactd(node: node, order: memory.layout.pageblockOrder, highestZoneIndex: highest)
    }
    run.balanced = isBalanced(node: node, order: order, highestZoneIndex: highest)
    if order < request.order && (isHopeless(node: node) || run.balanced) {
      wakeKcompactd(node: node, order: request.order, highestZoneIndex: highest)
    }
    return run
  }

  /// Whether kswapd has given up on the node (`kswapd_failures >= MAX_RECLAIM_RETRIES`).
  func isHopeless(node: Int) -> Bool {
    kswapdFailures[node, default: 0] >= Self.maxReclaimRetries
  }

  /// The node's zones up to a `lowmem_reserve` index, lowest first.
  func zonesOfNode(_ node: Int, upTo highestZoneIndex: Int) -> [Int] {
    let kinds = memory.layout.zoneKinds
    return memory.layout.zones.indices.filter { zone in
      let span = memory.layout.zones[zone]
      guard span.node == node, let kindIndex = kinds.firstIndex(of: span.kind) else {
        return false
      }
      return kindIndex <= highestZoneIndex
    }
  }

  /// `pgdat_balanced()`: whether some zone of the node up to `highestZoneIndex` passes the
  /// order's check against its high watermark (boost included), with no alloc flags.
  func isBalanced(node: Int, order: Int, highestZoneIndex: Int) -> Bool {
    zonesOfNode(node, upTo: highestZoneIndex).contains { zone in
      let marks = memory.zoneSettings(zone).watermarks
      return memory.layout.zones[zone].managed > 0
        && memory.isWatermarkOK(
          zone: zone, order: order, highestZoneIndex: highestZoneIndex,
          mark: marks.high + marks.boost, flags: [])
    }
  }

  /// `pgdat_watermark_boosted()`: whether a zone of the node up to `highestZoneIndex` is boosted.
  func isWatermarkBoosted(node: Int, highestZoneIndex: Int) -> Bool {
    zonesOfNode(node, upTo: highestZoneIndex).contains {
      memory.zoneSettings($0).watermarks.boost > 0
    }
  }
}

extension PhysicalMemory {
  /// kswapd takes back the boost a zone had when it started.
  mutating func reduceWatermarkBoost(zone: Int, by pages: Int) {
    settings[zone].watermarks.boost -= min(settings[zone].watermarks.boost, pages)
  }
}
