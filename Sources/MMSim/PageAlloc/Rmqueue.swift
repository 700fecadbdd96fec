internal import MMCore

extension PhysicalMemory {
  /// `__rmqueue_smallest()`: the first block of `type` at the lowest order ≥ `order`, split down.
  mutating func rmqueueSmallest(zone: Int, order: Int, type: MigrateType) -> PFN? {
    for current in order...layout.maxOrder {
      guard let pfn = firstFree(zone: zone, order: current, type: type) else { continue }
      takeAndSplit(pfn, from: current, to: order, type: type)
      return pfn
    }
    return nil
  }

  /// `__rmqueue()`: the requested type's lists, CMA for movable requests, then fallback from
  /// other types, per version (buddy-migratetypes.md §4).
  mutating func rmqueue(zone: Int, order: Int, type: MigrateType, flags: AllocFlags) -> PFN? {
    let useCMA = flags.contains(.cma)
    if rules.cmaBalance && useCMA {
      let counters = self.counters[zone]
      if counters.freeCMAPages > counters.freePages / 2,
        let pfn = rmqueueSmallest(zone: zone, order: order, type: .cma)
      {
        return pfn
      }
    }
    while true {
      if let pfn = rmqueueSmallest(zone: zone, order: order, type: type) { return pfn }
      if useCMA || (!rules.cmaBalance && type == .movable),
        let pfn = rmqueueSmallest(zone: zone, order: order, type: .cma)
      {
        return pfn
      }
      if rules.fallbackMovesThenRetries {
        guard moveFallbackBlock(zone: zone, order: order, type: type, flags: flags) else {
          return nil
        }
      } else {
        return takeFallbackBlock(zone: zone, order: order, type: type)
      }
    }
  }

  // MARK: - Fallback

  /// The types a request may steal from, in order, by `MigrateType.rawValue` (`fallbacks[]`, the
  /// same 4.4 → 6.x); HighAtomic, CMA and Isolate never fall back.
  static let fallbackTable: [[MigrateType]] = MigrateType.allCases.map { type in
    switch type {
    case .unmovable: [.reclaimable, .movable]
    case .reclaimable: [.unmovable, .movable]
    case .movable: [.reclaimable, .unmovable]
    default: []
    }
  }

  /// `can_steal_fallback()`: whether a fallback at `order` may claim the pageblock for `type`.
  func canStealPageblock(order: Int, for type: MigrateType) -> Bool {
    order >= layout.pageblockOrder / 2 || type == .unmovable || type == .reclaimable
      || !isMobilityGroupingEnabled
  }

  /// `page_group_by_mobility_disabled` is false when the machine has at least
  /// `pageblock_nr_pages × MIGRATE_TYPES` managed pages.
  var isMobilityGroupingEnabled: Bool {
    layout.zones.reduce(0) { $0 + $1.managed } >= layout.pageblockPages * Self.typeCount
  }

  /// `find_suitable_fallback()`: the first fallback type with a free block at `order`.
  func suitableFallback(zone: Int, order: Int, for type: MigrateType) -> MigrateType? {
    for source in Self.fallbackTable[type.rawValue]
    where hasFreeBlock(zone: zone, order: order, type: source) {
      return source
    }
    return nil
  }

  /// 4.x `__rmqueue_fallback()`: from the largest order down, take the first block of a fallback
  /// type, steal its pageblock when allowed, and split the block for the requester.
  mutating func takeFallbackBlock(zone: Int, order: Int, type: MigrateType) -> PFN? {
    for current in stride(from: layout.maxOrder, through: order, by: -1) {
      guard let source = suitableFallback(zone: zone, order: current, for: type),
        let pfn = firstFree(zone: zone, order: current, type: source)
      else { continue }
      if canStealPageblock(order: current, for: type) && pageblockType(of: pfn) != .highAtomic {
        stealPageblock(containing: pfn, order: current, for: type, wholeBlock: true)
      }
      takeAndSplit(pfn, from: current, to: order, type: type)
      return pfn
    }
    return nil
  }

  /// 5.x+ `__rmqueue_fallback()`: find a fallback block (the smallest one for movable requests
  /// that cannot claim a pageblock), move it (or its whole pageblock) to the requester's lists,
  /// and report whether anything moved; `__rmqueue()` then retries.
  mutating func moveFallbackBlock(zone: Int, order: Int, type: MigrateType, flags: AllocFlags)
    -> Bool
  {
    let minOrder = flags.contains(.noFragment) ? layout.pageblockOrder : order
    guard minOrder <= layout.maxOrder else { return false }
    var found: (order: Int, source: MigrateType)?
    for current in stride(from: layout.maxOrder, through: minOrder, by: -1) {
      if let source = suitableFallback(zone: zone, order: current, for: type) {
        found = (current, source)
        break
      }
    }
    guard var (current, source) = found else { return false }
    var wholeBlock = canStealPageblock(order: current, for: type)
    if !wholeBlock && type == .movable && current > order {
      // find_smallest: the smallest suitable block instead.
      for smaller in order...layout.maxOrder {
        if let smallest = suitableFallback(zone: zone, order: smaller, for: type) {
          (current, source) = (smaller, smallest)
          break
        }
      }
      wholeBlock = false
    }
    guard let pfn = firstFree(zone: zone, order: current, type: source) else { return false }
    stealPageblock(containing: pfn, order: current, for: type, wholeBlock: wholeBlock, flags: flags)
    return true
  }

  /// `steal_suitable_fallback()`: move the block — or all free pages of its pageblock, claiming
  /// the pageblock when enough of it is free or alike — to `type`'s lists.
  mutating func stealPageblock(
    containing pfn: PFN, order: Int, for type: MigrateType, wholeBlock: Bool,
    flags: AllocFlags = []
  ) {
    let zone = zoneIndex(of: pfn)
    let blockType = pageblockType(of: pfn)
    let modern = rules.fallbackMovesThenRetries
    if modern && blockType == .highAtomic {
      moveFreeBlock(pfn, to: type)
      return
    }
    if order >= layout.pageblockOrder {
      let blocks = 1 << (order - layout.pageblockOrder)
      for k in 0..<blocks {
        setPageblockType(of: pfn &+ PFN(k << layout.pageblockOrder), to: type)
      }
      // 4.x only retypes the range: the caller takes the block and splits it for `type`.
      if modern { moveFreeBlock(pfn, to: type) }
      return
    }
    if modern && rules.watermarkBoost && boostWatermark(zone: zone) && flags.contains(.kswapd) {
      settings[zone].wakesKswapdForBoost = true
    }
    if modern && !wholeBlock {
      moveFreeBlock(pfn, to: type)
      return
    }
    let moved = moveFreePages(inPageblockOf: pfn, to: type)
    let alike: Int
    if !modern {
      alike = 0
    } else if type == .movable {
      alike = movablePagesInUse(inPageblockOf: pfn)
    } else if blockType == .movable {
      alike = layout.pageblockPages - moved - movablePagesInUse(inPageblockOf: pfn)
    } else {
      alike = 0
    }
    if modern && moved == 0 {
      moveFreeBlock(pfn, to: type)
      return
    }
    if moved + alike >= layout.pageblockPages / 2 || !isMobilityGroupingEnabled {
      setPageblockType(of: pfn, to: type)
    }
  }

  /// `move_freepages_block()`: moves every free block of the pageblock holding `pfn` to `type`'s
  /// lists and returns how many pages moved.
  @discardableResult
  mutating func moveFreePages(inPageblockOf pfn: PFN, to type: MigrateType) -> Int {
    let start = Int(pfn) & ~(layout.pageblockPages - 1)
    var current = max(start, basePFN)
    let end = start + layout.pageblockPages
    var moved = 0
    while current < end && current - basePFN < frames.count {
      let frame = frames[current - basePFN]
      if frame.stateRaw == FrameState.freeHead.rawValue {
        moveFreeBlock(PFN(current), to: type)
        moved += 1 << Int(frame.order)
        current += 1 << Int(frame.order)
      } else {
        current += 1
      }
    }
    return moved
  }

  /// Pages in use in the pageblock that were allocated as movable: the simulator's stand-in for
  /// "on an LRU and movable" (an **approximation**: every movable allocation counts as on an LRU).
  func movablePagesInUse(inPageblockOf pfn: PFN) -> Int {
    let start = Int(pfn) & ~(layout.pageblockPages - 1)
    var current = max(start, basePFN)
    let end = start + layout.pageblockPages
    var count = 0
    while current < end && current - basePFN < frames.count {
      let frame = frames[current - basePFN]
      let size = frame.blockSpan
      if frame.stateRaw == FrameState.allocatedHead.rawValue
        && frame.listType == UInt8(MigrateType.movable.rawValue)
      {
        count += size
      }
      current += size
    }
    return count
  }

  /// `boost_watermark()`: raises the zone's boost by a pageblock, and says whether it could.
  ///
  /// The boost is capped at high × factor / 10000 (at least a pageblock; `true` also at the
  /// cap); small zones (< 4 pageblocks) are not boosted.
  mutating func boostWatermark(zone: Int) -> Bool {
    guard rules.watermarkBoostFactor > 0,
      layout.zones[zone].managed >= 4 * layout.pageblockPages
    else { return false }
    var marks = settings[zone].watermarks
    let maxBoost = max(marks.high * rules.watermarkBoostFactor / 10000, layout.pageblockPages)
    marks.boost = min(marks.boost + layout.pageblockPages, maxBoost)
    settings[zone].watermarks = marks
    return true
  }
}
