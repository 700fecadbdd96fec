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
  /// Whether a zone reached its high watermark (+boost) for the order.
  public var balanced = false
}

/// kswapd (mm/vmscan.c `wakeup_kswapd()`, `balance_pgdat()`), run when the engine says so: the
/// simulator has no threads, so a wake-up only records the request and ``runKswapd(node:)``
/// does the work (the scenario clock decides when; tests call it directly). Reclaim itself is
/// the approximation described at ``shrinkNode(_:_:)``.
extension SimulatedMachine {
  /// `wakeup_kswapd()` for a request: records the order and highest zone unless the node is
  /// already balanced for them (and not boosted).
  public mutating func wakeKswapd(node: Int = 0, order: Int, highestZoneIndex: Int) {
    guard !isBalanced(node: node, order: order, highestZoneIndex: highestZoneIndex) else { return }
    var request =
      kswapdRequests[node] ?? KswapdRequest(order: order, highestZoneIndex: highestZoneIndex)
    request.order = max(request.order, order)
    request.highestZoneIndex = max(request.highestZoneIndex, highestZoneIndex)
    kswapdRequests[node] = request
  }

  /// kswapd's `balance_pgdat()` for the pending request of `node`: reclaims until some zone up
  /// to the requested one clears its high watermark (boost included) for the order, or reclaim
  /// makes no progress; then clears the zones' boosts.
  public mutating func runKswapd(node: Int = 0) -> KswapdRun {
    guard let request = kswapdRequests.removeValue(forKey: node) else { return KswapdRun() }
    var run = KswapdRun()
    let limit =
      memory.layout.zones.reduce(0) { $0 + $1.managed } / ReclaimControl.swapClusterMax + 16
    for _ in 0..<limit {
      if isBalanced(node: node, order: request.order, highestZoneIndex: request.highestZoneIndex) {
        run.balanced = true
        break
      }
      let pass = shrinkNode(node, .kswapd(target: ReclaimControl.swapClusterMax))
      run.reclaim.add(pass)
      if pass.reclaimed == 0 && pass.writebackStarted == 0 { break }
    }
    if run.balanced {
      for zone in memory.layout.zones.indices where memory.layout.zones[zone].node == node {
        memory.clearWatermarkBoost(zone: zone)
      }
    }
    return run
  }

  /// `pgdat_balanced()`: whether some zone of the node up to `highestZoneIndex` passes the
  /// order's check against its high watermark (boost included), with no alloc flags.
  func isBalanced(node: Int, order: Int, highestZoneIndex: Int) -> Bool {
    let kinds = memory.layout.zoneKinds
    for zone in memory.layout.zones.indices {
      let span = memory.layout.zones[zone]
      guard span.node == node, span.managed > 0,
        let kindIndex = kinds.firstIndex(of: span.kind), kindIndex <= highestZoneIndex
      else { continue }
      let marks = memory.zoneSettings(zone).watermarks
      if memory.isWatermarkOK(
        zone: zone, order: order, highestZoneIndex: highestZoneIndex,
        mark: marks.high + marks.boost, flags: [])
      {
        return true
      }
    }
    return false
  }
}

extension PhysicalMemory {
  /// kswapd resets a zone's boost once the node is balanced.
  mutating func clearWatermarkBoost(zone: Int) { settings[zone].watermarks.boost = 0 }
}
