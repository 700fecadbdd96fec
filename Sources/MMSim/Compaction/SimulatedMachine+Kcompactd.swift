internal import MMCore

/// What kcompactd was asked to compact for on a node (`pgdat->kcompactd_max_order`,
/// `kcompactd_highest_zoneidx`).
public struct KcompactdRequest: Hashable, Sendable {
  /// The largest order requested since kcompactd last ran.
  public var order: Int
  /// The highest zone index (`lowmem_reserve` index) it compacts up to.
  public var highestZoneIndex: Int
}

/// What one kcompactd run did.
public struct KcompactdRun: Hashable, Sendable {
  /// The order it compacted for (0: it did not run).
  public var order = 0
  /// The zones it compacted, and how each ended.
  public var zones: [Int: CompactionResult] = [:]
  /// Pages it migrated.
  public var migrated = 0
}

/// What the background threads did when they got the CPU.
public struct BackgroundWork: Hashable, Sendable {
  /// kswapd runs, one per node that had been woken.
  public var kswapd: [KswapdRun] = []
  /// kcompactd runs, one per node that had been woken.
  public var kcompactd: [KcompactdRun] = []
}

/// kcompactd (mm/compaction.c `wakeup_kcompactd()`, `kcompactd_do_work()`, 4.6+): background
/// compaction of a node for the largest order it was woken for, in `MIGRATE_SYNC_LIGHT` mode as
/// a `GFP_KERNEL` request would compact, until a block of that order is free for it. The
/// scanners are the approximation described at ``compactZone(_:order:highestZoneIndex:flags:priority:migrateType:)``;
/// proactive compaction (5.9+ `compaction_proactiveness`) is not modelled.
extension SimulatedMachine {
  /// `wakeup_kcompactd()`: records the order and the lowest highest-zone asked for, and wakes
  /// kcompactd if compaction is suitable in one of the node's zones up to it; returns whether it
  /// did.
  @discardableResult
  public mutating func wakeKcompactd(node: Int = 0, order: Int, highestZoneIndex: Int) -> Bool {
    guard memory.rules.kernel.isAtLeast(4, 6), order > 0 else { return false }
    var request =
      kcompactdRequests[node]
      ?? KcompactdRequest(order: 0, highestZoneIndex: topZoneIndex(node: node))
    request.order = max(request.order, order)
    request.highestZoneIndex = min(request.highestZoneIndex, highestZoneIndex)
    kcompactdRequests[node] = request
    let suitable = zonesOfNode(node, upTo: request.highestZoneIndex).contains { zone in
      memory.layout.zones[zone].managed > 0
        && compactionSuitable(
          zone: zone, order: request.order, highestZoneIndex: request.highestZoneIndex, flags: [])
          == nil
    }
    if suitable { kcompactdWoken.insert(node) }
    return suitable
  }

  /// `kcompactd_do_work()` for a woken node: each zone up to the requested one that is not
  /// deferred and where compaction is suitable is compacted until the order is free for an
  /// unmovable request; a zone where that fails has its per-cpu lists drained and is deferred.
  public mutating func runKcompactd(node: Int = 0) -> KcompactdRun {
    guard kcompactdWoken.remove(node) != nil,
      let request = kcompactdRequests.removeValue(forKey: node)
    else { return KcompactdRun() }
    var run = KcompactdRun(order: request.order)
    let kinds = memory.layout.zoneKinds
    for zone in zonesOfNode(node, upTo: request.highestZoneIndex)
    where memory.layout.zones[zone].managed > 0 {
      guard let zoneIndex = kinds.firstIndex(of: memory.layout.zones[zone].kind),
        !isCompactionDeferred(zone: zone, order: request.order),
        compactionSuitable(
          zone: zone, order: request.order, highestZoneIndex: zoneIndex, flags: []) == nil
      else { continue }
      let isFree = { (machine: borrowing SimulatedMachine) in
        machine.memory.isWatermarkOK(
          zone: zone, order: request.order, highestZoneIndex: zoneIndex,
          mark: machine.memory.zoneSettings(zone).watermarks.min, flags: [])
      }
      let migrated = migratePages(
        zone: zone, MigrateScan(sourceTypes: nil, skipOrder: nil), isDone: isFree)
      run.migrated += migrated
      if isFree(self) {
        resetCompactionDeferral(zone: zone, order: request.order, allocationSucceeded: false)
        run.zones[zone] = .success(migrated: migrated)
      } else {
        memory.drainAllPerCPU(zone: zone)
        deferCompaction(zone: zone, order: request.order)
        run.zones[zone] = .complete(migrated: migrated)
      }
    }
    return run
  }

  /// Lets the woken background threads run: kswapd, then kcompactd, on each node.
  ///
  /// They run as they would when the allocating task yields the CPU (`cond_resched()`, a
  /// sleep, the end of a burst); kswapd may wake kcompactd on the way. When that happens is the
  /// caller's choice: an **approximation** of the scheduler.
  public mutating func runBackgroundWork() -> BackgroundWork {
    var work = BackgroundWork()
    let nodes = Set(memory.layout.zones.map(\.node)).sorted()
    for node in nodes where kswapdRequests[node] != nil {
      work.kswapd.append(runKswapd(node: node))
    }
    for node in nodes where kcompactdWoken.contains(node) {
      work.kcompactd.append(runKcompactd(node: node))
    }
    return work
  }

  /// `pgdat->nr_zones - 1`: the `lowmem_reserve` index of the node's highest populated zone.
  private func topZoneIndex(node: Int) -> Int {
    let kinds = memory.layout.zoneKinds
    return memory.layout.zones.filter { $0.node == node && $0.isPopulated }
      .compactMap { kinds.firstIndex(of: $0.kind) }.max() ?? 0
  }
}
