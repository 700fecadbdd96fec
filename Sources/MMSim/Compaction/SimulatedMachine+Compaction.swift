public import MMCore

/// What a compaction attempt on one zone found or did (`enum compact_result`).
public enum CompactionResult: Hashable, Sendable {
  /// Not enough free pages to migrate into, or the failure is due to low memory rather than
  /// fragmentation (`COMPACT_SKIPPED`).
  case skipped
  /// Skipped because recent attempts at this order failed (`COMPACT_DEFERRED`).
  case deferred
  /// The zone already has a suitable block (`COMPACT_SUCCESS` before running).
  case alreadySuitable
  /// The scanners met without producing a suitable block (`COMPACT_COMPLETE`).
  case complete(migrated: Int)
  /// A block of the order became free (`COMPACT_SUCCESS`).
  case success(migrated: Int)
}

/// Compaction, an **approximation** of mm/compaction.c: suitability (watermark plus
/// `compact_gap`, the fragmentation-index veto for costly orders, deferral) follows the kernel;
/// the scanners are simplified: the migrate scanner walks up from the zone's start moving
/// in-use movable pages (anon, shmem, page cache) into free pages the free scanner takes from the
/// zone's end, in movable and CMA pageblocks, until a block of the order is free or they meet.
extension SimulatedMachine {
  /// `compact_gap()`: compaction needs this many free pages beyond the watermark.
  static func compactGap(order: Int) -> Int { 2 << order }

  /// `compaction_suitable()` for a request: enough free pages to migrate into, and for costly
  /// orders a fragmentation index above `extfrag_threshold`.
  public func compactionSuitable(zone: Int, order: Int, highestZoneIndex: Int, flags: AllocFlags)
    -> CompactionResult?
  {
    let marks = memory.zoneSettings(zone).watermarks
    if memory.isWatermarkOK(
      zone: zone, order: order, highestZoneIndex: highestZoneIndex, mark: marks.mark(for: flags),
      flags: flags)
    {
      return .alreadySuitable
    }
    let mark = (order > GFPMask.costlyOrder ? marks.low : marks.min) + Self.compactGap(order: order)
    guard
      memory.isWatermarkOK(
        zone: zone, order: 0, highestZoneIndex: highestZoneIndex, mark: mark, flags: [.cma])
    else { return .skipped }
    if order > GFPMask.costlyOrder {
      let index = FreeBlockStatistics(freeBlocks: memory.freeBlocks(zone: zone), order: order)
        .fragmentationIndex
      if index >= 0 && index <= extfragThreshold { return .skipped }
    }
    return nil
  }

  /// Compacts one zone for a request of `order` (`compact_zone()`), honouring deferral.
  public mutating func compactZone(
    _ zone: Int, order: Int, highestZoneIndex: Int, flags: AllocFlags
  )
    -> CompactionResult
  {
    if isCompactionDeferred(zone: zone, order: order) { return .deferred }
    if let verdict = compactionSuitable(
      zone: zone, order: order, highestZoneIndex: highestZoneIndex, flags: flags)
    {
      return verdict
    }
    let migrated = migratePages(zone: zone) { machine in
      machine.memory.isWatermarkOK(
        zone: zone, order: order, highestZoneIndex: highestZoneIndex,
        mark: machine.memory.zoneSettings(zone).watermarks.mark(for: flags), flags: flags)
    }
    let succeeded = memory.isWatermarkOK(
      zone: zone, order: order, highestZoneIndex: highestZoneIndex,
      mark: memory.zoneSettings(zone).watermarks.mark(for: flags), flags: flags)
    recordCompaction(zone: zone, order: order, succeeded: succeeded)
    return succeeded ? .success(migrated: migrated) : .complete(migrated: migrated)
  }

  /// `echo 1 > /proc/sys/vm/compact_memory`: compacts every zone fully.
  public mutating func compactMemory() -> Int {
    memory.layout.zones.indices.filter { memory.layout.zones[$0].managed > 0 }
      .reduce(0) { total, zone in total + migratePages(zone: zone) { _ in false } }
  }

  // MARK: - Scanners

  /// Moves in-use movable pages from the zone's low end into free pages at its high end until
  /// `isDone` says so or the scanners meet; returns the pages moved.
  private mutating func migratePages(zone: Int, isDone: (borrowing SimulatedMachine) -> Bool) -> Int
  {
    let span = memory.layout.zones[zone]
    var migrateScanner = span.startPFN
    var freeScanner = span.holeStartPFN
    var migrated = 0
    let blockPages = memory.layout.pageblockPages
    while migrateScanner < freeScanner {
      let blockEnd = min((migrateScanner / blockPages + 1) * blockPages, freeScanner)
      var pfn = migrateScanner
      while pfn < blockEnd {
        let frame = memory.frames[memory.frameIndex(PFN(pfn))]
        let size = frame.state == .unavailable || frame.state == .tail ? 1 : 1 << Int(frame.order)
        if frame.state == .allocatedHead && frame.order == 0 && frame.use.lru != nil {
          guard let target = takeFreePage(zone: zone, below: &freeScanner, above: blockEnd) else {
            return migrated
          }
          moveIdentity(from: PFN(pfn), to: target)
          migrated += 1
        }
        pfn += size
      }
      migrateScanner = blockEnd
      memory.drainAllPerCPU(zone: zone)
      if isDone(self) { break }
    }
    return migrated
  }

  /// The free scanner: a free order-0 page taken from the highest movable or CMA pageblock
  /// below `limit` and above `floor`, split from a larger block when needed.
  private mutating func takeFreePage(zone: Int, below limit: inout Int, above floor: Int) -> PFN? {
    let blockPages = memory.layout.pageblockPages
    while limit > floor {
      let blockStart = max(((limit - 1) / blockPages) * blockPages, floor)
      let type = memory.pageblockType(of: PFN(blockStart))
      if type == .movable || type == .cma {
        var pfn = blockStart
        while pfn < limit {
          let frame = memory.frames[memory.frameIndex(PFN(pfn))]
          if frame.state == .freeHead && Int(frame.zone) == zone {
            memory.takeAndSplit(
              PFN(pfn), from: Int(frame.order), to: 0,
              type: MigrateType(rawValue: Int(frame.listType)) ?? .movable)
            return PFN(pfn)
          }
          pfn +=
            frame.state == .freeHead || frame.state == .allocatedHead ? 1 << Int(frame.order) : 1
        }
      }
      limit = blockStart
    }
    return nil
  }

  /// `migrate_pages()` for one page: the target takes the source's use, owner and LRU list; the
  /// source is freed.
  private mutating func moveIdentity(from source: PFN, to target: PFN) {
    let frame = memory.frames[memory.frameIndex(source)]
    memory.recordAllocation(
      target, order: 0, type: MigrateType(rawValue: Int(frame.listType)) ?? .movable)
    memory.removeFromLRU(source)
    let list = frame.lruList
    memory.frames[memory.frameIndex(target)].owner = frame.owner
    memory.addToLRU(target, list: list)
    memory.frames[memory.frameIndex(source)].owner = 0
    memory.freeToBuddy(source, order: 0, type: memory.pageblockType(of: source))
  }

  // MARK: - Deferral

  /// `compaction_deferred()`: after a failure at an order, skip 2^shift attempts (each check
  /// counts as one).
  private mutating func isCompactionDeferred(zone: Int, order: Int) -> Bool {
    guard var state = compactionDeferral[zone], order >= state.failedOrder else { return false }
    state.considered += 1
    defer { compactionDeferral[zone] = state }
    if state.considered >= 1 << state.shift {
      state.considered = 1 << state.shift
      return false
    }
    return true
  }

  /// `defer_compaction()` after a failure; `compaction_defer_reset()` after a success.
  private mutating func recordCompaction(zone: Int, order: Int, succeeded: Bool) {
    if succeeded {
      if var state = compactionDeferral[zone] {
        state.considered = 0
        state.shift = 0
        if order >= state.failedOrder { state.failedOrder = order + 1 }
        compactionDeferral[zone] = state
      }
      return
    }
    var state = compactionDeferral[zone] ?? CompactionDeferral()
    state.considered = 0
    state.shift = min(state.shift + 1, 6)
    state.failedOrder = min(state.failedOrder, order)
    compactionDeferral[zone] = state
  }
}

/// A zone's compaction deferral (`compact_considered`, `compact_defer_shift`,
/// `compact_order_failed`).
struct CompactionDeferral: Hashable, Sendable {
  var considered = 0
  var shift = 0
  var failedOrder = Int.max
}
