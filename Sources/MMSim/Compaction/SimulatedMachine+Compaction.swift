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

/// How hard a compaction attempt tries (`enum compact_priority`); lower is more aggressive.
public enum CompactPriority: Int, Comparable, Sendable {
  /// `COMPACT_PRIO_SYNC_FULL` (`MIN_COMPACT_PRIORITY`): synchronous, never deferred.
  case syncFull = 0
  /// `COMPACT_PRIO_SYNC_LIGHT` (`DEF_COMPACT_PRIORITY`), the slow path's retry loop starts here.
  case syncLight = 1
  /// `COMPACT_PRIO_ASYNC` (`INIT_COMPACT_PRIORITY`), the slow path's first attempt.
  case async = 2

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Compaction, an **approximation** of mm/compaction.c: suitability (watermark plus
/// `compact_gap`, the fragmentation-index veto for costly orders, deferral) follows the kernel;
/// the scanners are simplified: the migrate scanner walks up from the zone's start moving
/// in-use movable pages (anon, shmem, page cache) into free pages the free scanner takes from the
/// zone's end, in movable and CMA pageblocks, until a block of the order is free or they meet.
extension SimulatedMachine {
  /// `compact_gap()`: compaction needs this many free pages beyond the watermark.
  static func compactGap(order: Int) -> Int { 2 << order }

  /// The free pages `__compaction_suitable()` asks for: the low watermark for costly orders, the
  /// min watermark otherwise, plus `compact_gap()`.
  static func compactionMark(_ marks: ZoneWatermarks, order: Int) -> Int {
    (order > GFPMask.costlyOrder ? marks.low : marks.min) + compactGap(order: order)
  }

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
    let mark = Self.compactionMark(marks, order: order)
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

  /// Direct compaction of one zone for a request of `order` (`compact_zone_order()` as
  /// `try_to_compact_pages()` calls it): deferral is honoured above `syncFull`, and only a
  /// synchronous attempt that fails defers the zone.
  ///
  /// An `async` attempt migrates only from pageblocks of the request's migratetype (movable and
  /// CMA for movable requests; before 4.15 movable blocks for every request) and, from 4.6, skips
  /// an aligned range of `order` as soon as it holds a page it cannot migrate.
  public mutating func compactZone(
    _ zone: Int, order: Int, highestZoneIndex: Int, flags: AllocFlags,
    priority: CompactPriority = .syncLight, migrateType: MigrateType = .movable
  )
    -> CompactionResult
  {
    if priority > .syncFull && isCompactionDeferred(zone: zone, order: order) { return .deferred }
    if let verdict = compactionSuitable(
      zone: zone, order: order, highestZoneIndex: highestZoneIndex, flags: flags)
    {
      return verdict
    }
    let kernel = memory.rules.kernel
    let scan: MigrateScan
    if priority == .async {
      let sameType = kernel.isAtLeast(4, 15) && migrateType != .movable
      scan = MigrateScan(
        sourceTypes: sameType ? [migrateType] : [.movable, .cma],
        skipOrder: kernel.isAtLeast(4, 6) ? order : nil)
    } else {
      scan = MigrateScan(sourceTypes: nil, skipOrder: nil)
    }
    let migrated = migratePages(zone: zone, scan) { machine in
      machine.memory.isWatermarkOK(
        zone: zone, order: order, highestZoneIndex: highestZoneIndex,
        mark: machine.memory.zoneSettings(zone).watermarks.mark(for: flags), flags: flags)
    }
    let succeeded = memory.isWatermarkOK(
      zone: zone, order: order, highestZoneIndex: highestZoneIndex,
      mark: memory.zoneSettings(zone).watermarks.mark(for: flags), flags: flags)
    if succeeded {
      resetCompactionDeferral(zone: zone, order: order)
    } else if priority != .async {
      deferCompaction(zone: zone, order: order)
    }
    return succeeded ? .success(migrated: migrated) : .complete(migrated: migrated)
  }

  /// `echo 1 > /proc/sys/vm/compact_memory`: compacts every zone fully.
  public mutating func compactMemory() -> Int {
    memory.layout.zones.indices.filter { memory.layout.zones[$0].managed > 0 }
      .reduce(0) { total, zone in
        total
          + migratePages(zone: zone, MigrateScan(sourceTypes: nil, skipOrder: nil)) { _ in false }
      }
  }

  // MARK: - Scanners

  /// Where the migrate scanner may take pages from.
  struct MigrateScan {
    /// The pageblock types it migrates from (`suitable_migration_source()`); `nil` for any.
    var sourceTypes: Set<MigrateType>?
    /// With an order, it works in aligned ranges of that order and skips a range holding a page
    /// it cannot migrate (`skip_on_failure`); without one, pageblock by pageblock, moving every
    /// movable page.
    var skipOrder: Int?
  }

  /// Moves in-use movable pages from the zone's low end into free pages at its high end until
  /// `isDone` says so or the scanners meet; returns the pages moved.
  mutating func migratePages(
    zone: Int, _ scan: MigrateScan, isDone: (borrowing SimulatedMachine) -> Bool
  ) -> Int {
    let span = memory.layout.zones[zone]
    var migrateScanner = span.startPFN
    var freeScanner = span.holeStartPFN
    var migrated = 0
    let rangePages = max(scan.skipOrder.map { 1 << $0 } ?? 0, memory.layout.pageblockPages)
    while migrateScanner < freeScanner {
      let rangeEnd = min((migrateScanner / rangePages + 1) * rangePages, freeScanner)
      if isSourceType(from: migrateScanner, to: rangeEnd, scan) {
        let chunkPages = scan.skipOrder.map { 1 << $0 } ?? rangePages
        for chunk in stride(from: migrateScanner, to: rangeEnd, by: chunkPages) {
          let chunkEnd = min(chunk + chunkPages, rangeEnd)
          if scan.skipOrder != nil && !isMigratable(from: chunk, to: chunkEnd) { continue }
          var pfn = chunk
          while pfn < chunkEnd {
            let frame = memory.frames[memory.frameIndex(PFN(pfn))]
            if isMovableInUse(frame) {
              guard let target = takeFreePage(zone: zone, below: &freeScanner, above: rangeEnd)
              else { return migrated }
              moveIdentity(from: PFN(pfn), to: target)
              migrated += 1
            }
            pfn += frame.blockSpan
          }
        }
        memory.drainAllPerCPU(zone: zone)
      }
      migrateScanner = rangeEnd
      if isDone(self) { break }
    }
    return migrated
  }

  /// Whether every pageblock of `[start, end)` is of a type the scan migrates from.
  private func isSourceType(from start: Int, to end: Int, _ scan: MigrateScan) -> Bool {
    guard let types = scan.sourceTypes else { return true }
    let blockPages = memory.layout.pageblockPages
    return stride(from: start, to: end, by: blockPages).allSatisfy {
      types.contains(memory.pageblockType(of: PFN($0)))
    }
  }

  /// Whether every in-use page of `[start, end)` can be migrated.
  private func isMigratable(from start: Int, to end: Int) -> Bool {
    var pfn = start
    while pfn < end {
      let frame = memory.frames[memory.frameIndex(PFN(pfn))]
      if frame.state == .unavailable || (frame.state == .allocatedHead && !isMovableInUse(frame)) {
        return false
      }
      pfn += frame.blockSpan
    }
    return true
  }

  /// An in-use page compaction can migrate: an order-0 page on an LRU list.
  private func isMovableInUse(_ frame: PageFrame) -> Bool {
    frame.state == .allocatedHead && frame.order == 0 && frame.use.lru != nil
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
          pfn += frame.blockSpan
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
  mutating func isCompactionDeferred(zone: Int, order: Int) -> Bool {
    guard var state = compactionDeferral[zone], order >= state.failedOrder else { return false }
    state.considered += 1
    defer { compactionDeferral[zone] = state }
    if state.considered >= 1 << state.shift {
      state.considered = 1 << state.shift
      return false
    }
    return true
  }

  /// `compaction_defer_reset()` after a success: the order no longer counts as failed, and if
  /// the allocation then succeeded, deferral starts over.
  mutating func resetCompactionDeferral(zone: Int, order: Int, allocationSucceeded: Bool = true) {
    guard var state = compactionDeferral[zone] else { return }
    if allocationSucceeded {
      state.considered = 0
      state.shift = 0
    }
    if order >= state.failedOrder { state.failedOrder = order + 1 }
    compactionDeferral[zone] = state
  }

  /// `defer_compaction()` after a synchronous failure.
  mutating func deferCompaction(zone: Int, order: Int) {
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
