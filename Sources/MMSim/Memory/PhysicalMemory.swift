public import MMCore

/// The hot per-zone counters the allocator updates on every operation.
///
/// Kernel: `NR_FREE_PAGES`, `NR_FREE_CMA_PAGES`, `nr_reserved_highatomic`, the per-cpu count.
struct ZoneCounters {
  /// Pages on the buddy free lists.
  var freePages = 0
  /// Of those, pages in CMA pageblocks' lists.
  var freeCMAPages = 0
  /// Pages in pageblocks reserved as HighAtomic.
  var reservedHighAtomic = 0
  /// Pages on the per-cpu lists.
  var perCPUPages = 0
  /// Pages handed out from the zone (`pgalloc_<zone>`).
  var allocatedPages = 0
  /// Pages freed in the zone (its share of `pgfree`).
  var freedPages = 0
}

/// The simulated physical memory of one machine: every frame, every pageblock's migratetype, the
/// buddy free lists and the per-cpu lists of every zone.
///
/// Owns its storage in flat unsafe buffers (16 bytes per frame, 1 byte per pageblock); frames are
/// linked into free lists by PFN. Not copyable: one owner mutates it.
///
/// Kernel: `struct zone` free areas and `struct page` of mm/page_alloc.c, include/linux/mmzone.h.
public struct PhysicalMemory: ~Copyable {
  /// The machine's shape.
  public let layout: MachineLayout
  /// The version-dependent allocator behaviour.
  public let rules: AllocatorRules
  /// Number of buddy orders (`NR_PAGE_ORDERS`).
  let orderCount: Int
  /// First PFN covered by ``frames``.
  let basePFN: Int
  /// Every frame from ``basePFN`` to the layout's end.
  let frames: UnsafeMutableBufferPointer<PageFrame>
  /// The migratetype (`MigrateType.rawValue`) of every pageblock from ``basePFN``.
  let pageblockTypes: UnsafeMutableBufferPointer<UInt8>
  /// Buddy list heads and tails, `[zone][order][migratetype]`.
  let freeHeads: UnsafeMutableBufferPointer<PFN>
  let freeTails: UnsafeMutableBufferPointer<PFN>
  /// Blocks on each buddy list.
  let freeCounts: UnsafeMutableBufferPointer<Int32>
  /// Per-cpu list heads and tails, `[zone][order 0…3][unmovable, movable, reclaimable]`.
  let perCPUHeads: UnsafeMutableBufferPointer<PFN>
  let perCPUTails: UnsafeMutableBufferPointer<PFN>
  /// Hot counters per zone.
  let counters: UnsafeMutableBufferPointer<ZoneCounters>
  /// LRU list heads and tails, `[node][LRUList]` (the node's `lruvec`).
  let lruHeads: UnsafeMutableBufferPointer<PFN>
  let lruTails: UnsafeMutableBufferPointer<PFN>
  /// Pages on each LRU list per zone, `[zone][LRUList]` (`nr_zone_inactive_anon` …).
  let lruPages: UnsafeMutableBufferPointer<Int>
  /// Watermarks, lowmem_reserve and per-cpu sizes per zone.
  let settings: UnsafeMutableBufferPointer<ZoneSettings>
  /// For each `lowmem_reserve` index (the zone kinds the architecture configures), the zones a
  /// request with that highest zone walks, best first (node 0's first).
  let zonelists: [[Int]]
  /// The `lowmem_reserve` index of each ``ZoneKind`` (by raw value), or -1 when not configured.
  let zoneKindIndex: [Int]
  /// Zones whose boost an allocation found flagged (`rmqueue()`'s `wakeup_kswapd(zone, 0, 0, …)`),
  /// for the machine to wake kswapd for.
  var boostedZonesToWake: [Int] = []
  /// Each owner's allocated pages by kind, for the owners that have some
  /// (`PhysicalMemory+Owners.swift`).
  var ownerPages: [UInt32: OwnerPages] = [:]

  static let typeCount = MigrateType.allCases.count
  static let perCPUOrders = 4
  static let perCPUTypes = 3

  /// Lays out the machine with every managed page free, as `memblock_free_all()` leaves it.
  ///
  /// Free pages are in maximal aligned blocks in `MIGRATE_MOVABLE` pageblocks (CMA areas in CMA
  /// pageblocks). A zone's trailing hole (``ZoneLayout/holeStartPFN``) ends it and its other unmanaged
  /// pages come first; neither is ever freed.
  public init(layout: MachineLayout, rules: AllocatorRules) {
    self.init(layout: layout, rules: rules, allFree: true)
  }

  /// Lays out the machine; with `allFree` false every frame starts unavailable (for seeding).
  init(layout: MachineLayout, rules: AllocatorRules, allFree: Bool) {
    precondition(layout.zones.count < 256, "at most 255 zones")
    self.layout = layout
    self.rules = rules
    orderCount = layout.maxOrder + 1
    basePFN = layout.startPFN & ~((1 << layout.maxOrder) - 1)
    let frameCount = max(0, layout.endPFN - basePFN)
    precondition(frameCount < Int(UInt32.max), "too many frames for 32-bit PFN links")
    frames = .allocate(capacity: frameCount)
    frames.initialize(repeating: .unavailable)
    let blockCount = (frameCount + layout.pageblockPages - 1) / layout.pageblockPages
    pageblockTypes = .allocate(capacity: max(blockCount, 1))
    pageblockTypes.initialize(repeating: UInt8(MigrateType.movable.rawValue))
    let listCount = layout.zones.count * orderCount * Self.typeCount
    freeHeads = .allocate(capacity: max(listCount, 1))
    freeHeads.initialize(repeating: noFrame)
    freeTails = .allocate(capacity: max(listCount, 1))
    freeTails.initialize(repeating: noFrame)
    freeCounts = .allocate(capacity: max(listCount, 1))
    freeCounts.initialize(repeating: 0)
    let perCPUCount = layout.zones.count * Self.perCPUOrders * Self.perCPUTypes
    perCPUHeads = .allocate(capacity: max(perCPUCount, 1))
    perCPUHeads.initialize(repeating: noFrame)
    perCPUTails = .allocate(capacity: max(perCPUCount, 1))
    perCPUTails.initialize(repeating: noFrame)
    counters = .allocate(capacity: max(layout.zones.count, 1))
    counters.initialize(repeating: ZoneCounters())
    let lruCount = ((layout.zones.map(\.node).max() ?? 0) + 1) * LRUList.allCases.count
    lruHeads = .allocate(capacity: lruCount)
    lruHeads.initialize(repeating: noFrame)
    lruTails = .allocate(capacity: lruCount)
    lruTails.initialize(repeating: noFrame)
    lruPages = .allocate(capacity: max(layout.zones.count, 1) * LRUList.allCases.count)
    lruPages.initialize(repeating: 0)
    settings = .allocate(capacity: max(layout.zones.count, 1))
    for (index, zone) in layout.zones.enumerated() {
      settings.initializeElement(
        at: index, to: ZoneSettings(zone: zone, layout: layout, rules: rules))
    }
    let kinds = layout.zoneKinds
    zoneKindIndex = ZoneKind.allCases.map { kinds.firstIndex(of: $0) ?? -1 }
    zonelists = kinds.indices.map { Self.buildZonelist(layout: layout, kinds: kinds, highest: $0) }
    for area in layout.cmaAreas {
      for pfn in stride(
        from: area.startPFN, to: area.startPFN + area.pages, by: layout.pageblockPages)
      {
        setPageblockType(of: PFN(pfn), to: .cma)
      }
    }
    for (index, zone) in layout.zones.enumerated() where zone.managed > 0 {
      // Present pages come first, holes after them; the unmanaged present pages (reserved at
      // boot) precede the managed ones.
      let presentEnd = zone.holeStartPFN
      for pfn in zone.startPFN..<zone.endPFN { frames[pfn - basePFN].zone = UInt8(index) }
      if allFree {
        freeRange(from: presentEnd - zone.managed, to: presentEnd)
      } else {
        for pfn in zone.startPFN..<zone.endPFN { frames[pfn - basePFN].state = .tail }
      }
    }
  }

  deinit {
    frames.deallocate()
    pageblockTypes.deallocate()
    freeHeads.deallocate()
    freeTails.deallocate()
    freeCounts.deallocate()
    perCPUHeads.deallocate()
    perCPUTails.deallocate()
    counters.deallocate()
    settings.deallocate()
    lruHeads.deallocate()
    lruTails.deallocate()
    lruPages.deallocate()
  }

  /// Frees `[start, end)` into the buddy lists in the largest aligned blocks that fit
  /// (`__free_pages_core` over memblock ranges).
  mutating func freeRange(from start: Int, to end: Int) {
    for pfn in start..<end { frames[pfn - basePFN].state = .tail }
    var pfn = start
    while pfn < end {
      var order = layout.maxOrder
      while order > 0 && (pfn & ((1 << order) - 1) != 0 || pfn + (1 << order) > end) { order -= 1 }
      let head = PFN(pfn)
      frames[pfn - basePFN].state = .allocatedHead
      frames[pfn - basePFN].order = UInt8(order)
      freeToBuddy(head, order: order, type: pageblockType(of: head))
      pfn += 1 << order
    }
  }

  /// The zones a request whose highest zone is `kinds[highest]` may use, best first: node 0's
  /// zones from that kind down, then the other nodes' (`build_zonelists()`, node order).
  private static func buildZonelist(layout: MachineLayout, kinds: [ZoneKind], highest: Int)
    -> [Int]
  {
    let nodes = Set(layout.zones.map(\.node)).sorted()
    var list: [Int] = []
    for node in nodes {
      for kind in kinds[...highest].reversed() {
        if let zone = layout.zones.firstIndex(where: { $0.node == node && $0.kind == kind }) {
          list.append(zone)
        }
      }
    }
    return list
  }

  // MARK: - Indexing

  @inline(__always)
  func frameIndex(_ pfn: PFN) -> Int { Int(pfn) &- basePFN }

  @inline(__always)
  func listIndex(zone: Int, order: Int, type: Int) -> Int {
    (zone &* orderCount &+ order) &* Self.typeCount &+ type
  }

  @inline(__always)
  func perCPUIndex(zone: Int, order: Int, type: Int) -> Int {
    (zone &* Self.perCPUOrders &+ order) &* Self.perCPUTypes &+ type
  }

  /// The zone index of a frame.
  @inline(__always)
  func zoneIndex(of pfn: PFN) -> Int { Int(frames[frameIndex(pfn)].zone) }

  /// The migratetype of the pageblock holding `pfn` (`get_pageblock_migratetype()`).
  @inline(__always)
  public func pageblockType(of pfn: PFN) -> MigrateType {
    MigrateType(rawValue: Int(pageblockTypes[frameIndex(pfn) >> layout.pageblockOrder])) ?? .movable
  }

  /// Sets the migratetype of the pageblock holding `pfn` (`set_pageblock_migratetype()`).
  @inline(__always)
  mutating func setPageblockType(of pfn: PFN, to type: MigrateType) {
    pageblockTypes[frameIndex(pfn) >> layout.pageblockOrder] = UInt8(type.rawValue)
  }

  // MARK: - Buddy free lists

  /// Puts a free block on its list (`add_to_free_list` / `add_to_free_list_tail`).
  @inline(__always)
  mutating func addToFreeList(_ pfn: PFN, order: Int, type: MigrateType, atTail: Bool = false) {
    let zone = zoneIndex(of: pfn)
    let list = listIndex(zone: zone, order: order, type: type.rawValue)
    let i = frameIndex(pfn)
    assert(pfn & ((1 << PFN(order)) - 1) == 0, "free block \(pfn) not aligned to order \(order)")
    assert(frames[i].state != .freeHead, "PFN \(pfn) is already on a free list")
    frames[i].state = .freeHead
    frames[i].order = UInt8(order)
    frames[i].listType = UInt8(type.rawValue)
    link(pfn, heads: freeHeads, tails: freeTails, list: list, atTail: atTail)
    freeCounts[list] &+= 1
    counters[zone].freePages &+= 1 << order
    if type == .cma { counters[zone].freeCMAPages &+= 1 << order }
  }

  /// Takes a free block off its list (`del_page_from_free_list`); the frame becomes a tail.
  @inline(__always)
  mutating func removeFromFreeList(_ pfn: PFN) {
    let frame = frames[frameIndex(pfn)]
    assert(frame.state == .freeHead, "PFN \(pfn) is not on a free list")
    let order = Int(frame.order)
    let zone = Int(frame.zone)
    let list = listIndex(zone: zone, order: order, type: Int(frame.listType))
    unlink(pfn, heads: freeHeads, tails: freeTails, list: list)
    freeCounts[list] &-= 1
    counters[zone].freePages &-= 1 << order
    if frame.listType == UInt8(MigrateType.cma.rawValue) {
      counters[zone].freeCMAPages &-= 1 << order
    }
  }

  /// Links a frame into a doubly linked PFN list at its head or tail (`list_add` /
  /// `list_add_tail` on `page->lru`).
  @inline(__always)
  func link(
    _ pfn: PFN, heads: UnsafeMutableBufferPointer<PFN>, tails: UnsafeMutableBufferPointer<PFN>,
    list: Int, atTail: Bool
  ) {
    let i = frameIndex(pfn)
    if atTail {
      let tail = tails[list]
      frames[i].prev = tail
      frames[i].next = noFrame
      if tail == noFrame { heads[list] = pfn } else { frames[frameIndex(tail)].next = pfn }
      tails[list] = pfn
    } else {
      let head = heads[list]
      frames[i].next = head
      frames[i].prev = noFrame
      if head == noFrame { tails[list] = pfn } else { frames[frameIndex(head)].prev = pfn }
      heads[list] = pfn
    }
  }

  /// Unlinks a frame from its PFN list (`list_del`); the frame becomes a tail.
  @inline(__always)
  func unlink(
    _ pfn: PFN, heads: UnsafeMutableBufferPointer<PFN>, tails: UnsafeMutableBufferPointer<PFN>,
    list: Int
  ) {
    let i = frameIndex(pfn)
    let frame = frames[i]
    if frame.prev == noFrame {
      heads[list] = frame.next
    } else {
      frames[frameIndex(frame.prev)].next = frame.next
    }
    if frame.next == noFrame {
      tails[list] = frame.prev
    } else {
      frames[frameIndex(frame.next)].prev = frame.prev
    }
    frames[i].state = .tail
  }

  /// Moves a free block to another type's list, at the tail in 5.x+ (`move_to_free_list`), at
  /// the head in 4.x (`list_move`).
  @inline(__always)
  mutating func moveFreeBlock(_ pfn: PFN, to type: MigrateType) {
    let order = Int(frames[frameIndex(pfn)].order)
    removeFromFreeList(pfn)
    addToFreeList(pfn, order: order, type: type, atTail: rules.fallbackMovesThenRetries)
  }

  /// The first block on a list, or `nil`.
  @inline(__always)
  func firstFree(zone: Int, order: Int, type: MigrateType) -> PFN? {
    let head = freeHeads[listIndex(zone: zone, order: order, type: type.rawValue)]
    return head == noFrame ? nil : head
  }

  /// Whether a buddy list is non-empty.
  @inline(__always)
  func hasFreeBlock(zone: Int, order: Int, type: MigrateType) -> Bool {
    freeCounts[listIndex(zone: zone, order: order, type: type.rawValue)] != 0
  }

  /// Free blocks on one list.
  public func freeBlockCount(zone: Int, order: Int, type: MigrateType) -> Int {
    Int(freeCounts[listIndex(zone: zone, order: order, type: type.rawValue)])
  }

  // MARK: - Split and merge

  /// Takes `pfn` (a free block of order `high`) off its list and splits it down to `low`, the
  /// upper halves going to `type`'s lists (`expand()`).
  @inline(__always)
  mutating func takeAndSplit(_ pfn: PFN, from high: Int, to low: Int, type: MigrateType) {
    removeFromFreeList(pfn)
    var size = 1 << high
    var order = high
    while order > low {
      order &-= 1
      size &>>= 1
      addToFreeList(pfn &+ PFN(size), order: order, type: type)
    }
  }

  /// Whether `buddy` is the head of a free block of `order` that may merge with its partner
  /// (`page_is_buddy()` plus the isolate/CMA merge restriction across pageblocks).
  @inline(__always)
  func isMergeableBuddy(_ buddy: PFN, order: Int, zone: Int) -> Bool {
    let i = frameIndex(buddy)
    guard i >= 0, i < frames.count else { return false }
    let frame = frames[i]
    return frame.stateRaw == FrameState.freeHead.rawValue && Int(frame.order) == order
      && Int(frame.zone) == zone
  }

  /// Frees a block into the buddy lists, merging with free buddies (`__free_one_page()`).
  ///
  /// `type` is the list the merged block goes to: the pageblock's type at free time, or the type
  /// a per-cpu page remembered.
  mutating func freeToBuddy(_ pfn: PFN, order startOrder: Int, type: MigrateType) {
    let zone = zoneIndex(of: pfn)
    frames[frameIndex(pfn)].state = .tail
    var pfn = pfn
    var order = startOrder
    let pageblockOrder = layout.pageblockOrder
    while order < layout.maxOrder {
      let buddy = pfn ^ (1 << PFN(order))
      guard isMergeableBuddy(buddy, order: order, zone: zone) else { break }
      if order >= pageblockOrder {
        // Merging across pageblocks: refuse isolate/non-isolate and CMA/non-CMA pairs.
        let mine = pageblockType(of: pfn), theirs = pageblockType(of: buddy)
        if mine != theirs
          && (mine == .isolate || theirs == .isolate || mine == .cma || theirs == .cma)
        {
          break
        }
      }
      removeFromFreeList(buddy)
      pfn &= buddy
      order &+= 1
    }
    addToFreeList(
      pfn, order: order, type: type, atTail: isMergeLikely(pfn, order: order, zone: zone))
  }

  /// Whether two free buddies of `order` must stay apart: across pageblocks, isolate/non-isolate
  /// and CMA/non-CMA pairs do not merge.
  @inline(__always)
  func isMergeBarrier(_ pfn: PFN, _ buddy: PFN, order: Int) -> Bool {
    guard order >= layout.pageblockOrder else { return false }
    let mine = pageblockType(of: pfn), theirs = pageblockType(of: buddy)
    return mine != theirs
      && (mine == .isolate || theirs == .isolate || mine == .cma || theirs == .cma)
  }

  /// Whether the next-higher buddy is free, so that this block is likely to merge soon and is
  /// better queued at the tail (`buddy_merge_likely()`).
  @inline(__always)
  func isMergeLikely(_ pfn: PFN, order: Int, zone: Int) -> Bool {
    guard order < layout.maxOrder - 1 else { return false }
    let higherHead = pfn & ~(1 << PFN(order))
    let higherBuddy = higherHead ^ (1 << PFN(order + 1))
    return isMergeableBuddy(higherBuddy, order: order + 1, zone: zone)
  }

  // MARK: - Counters

  /// `NR_FREE_PAGES` of a zone.
  public func freePages(zone: Int) -> Int { counters[zone].freePages }
  /// `NR_FREE_CMA_PAGES` of a zone.
  public func freeCMAPages(zone: Int) -> Int { counters[zone].freeCMAPages }
  /// `nr_reserved_highatomic` of a zone.
  public func reservedHighAtomic(zone: Int) -> Int { counters[zone].reservedHighAtomic }
  /// Pages on a zone's per-cpu lists (`free_pcp`).
  public func perCPUPages(zone: Int) -> Int { counters[zone].perCPUPages }
}

extension PhysicalMemory {
  /// Pages allocated from a zone so far (`pgalloc_<zone>`).
  public func allocatedPages(zone: Int) -> Int { counters[zone].allocatedPages }
  /// Pages freed into a zone so far (its share of `pgfree`).
  public func freedPages(zone: Int) -> Int { counters[zone].freedPages }
}
