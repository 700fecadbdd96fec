internal import MMCore

/// The LRU lists: allocated blocks that reclaim may free, linked through their frames' list
/// links (an allocated block is on no free list), newest at the head.
///
/// Kernel: `struct lruvec`, `lru_cache_add()`, `del_page_from_lru_list()`, mm/swap.c and
/// mm/vmscan.c.
extension PhysicalMemory {
  @inline(__always)
  func lruIndex(node: Int, list: LRUList) -> Int { node &* LRUList.allCases.count &+ list.rawValue }

  @inline(__always)
  func lruPageIndex(zone: Int, list: LRUList) -> Int {
    zone &* LRUList.allCases.count &+ list.rawValue
  }

  /// Puts an allocated block on `list` at its head (new or rotated) or tail.
  mutating func addToLRU(_ pfn: PFN, list: LRUList, atTail: Bool = false) {
    let i = frameIndex(pfn)
    let zone = Int(frames[i].zone)
    frames[i].lruList = list
    link(
      pfn, heads: lruHeads, tails: lruTails,
      list: lruIndex(node: layout.zones[zone].node, list: list), atTail: atTail)
    frames[i].state = .allocatedHead
    lruPages[lruPageIndex(zone: zone, list: list)] &+= 1 << Int(frames[i].order)
  }

  /// Takes an allocated block off its LRU list.
  mutating func removeFromLRU(_ pfn: PFN) {
    let i = frameIndex(pfn)
    let frame = frames[i]
    let zone = Int(frame.zone)
    unlink(
      pfn, heads: lruHeads, tails: lruTails,
      list: lruIndex(node: layout.zones[zone].node, list: frame.lruList))
    frames[i].state = .allocatedHead
    lruPages[lruPageIndex(zone: zone, list: frame.lruList)] &-= 1 << Int(frame.order)
  }

  /// Pages of `zone` on `list`.
  public func lruPageCount(zone: Int, list: LRUList) -> Int {
    lruPages[lruPageIndex(zone: zone, list: list)]
  }

  /// Pages of a node on `list`.
  public func lruPageCount(node: Int, list: LRUList) -> Int {
    layout.zones.indices.filter { layout.zones[$0].node == node }
      .reduce(0) { $0 + lruPageCount(zone: $1, list: list) }
  }

  /// The oldest block on a node's list, if any.
  func lruTail(node: Int, list: LRUList) -> PFN? {
    let tail = lruTails[lruIndex(node: node, list: list)]
    return tail == noFrame ? nil : tail
  }

  /// Records what an allocated block holds and who holds it, putting it on (or taking it off)
  /// its LRU list; a change within one LRU family (dirtying a file page) keeps its place.
  public mutating func setUse(_ pfn: PFN, _ use: PageUse, owner: UInt32 = 0) {
    let i = frameIndex(pfn)
    precondition(frames[i].state == .allocatedHead, "PFN \(pfn) is not an allocated block")
    accountOwner(of: frames[i], sign: -1)
    defer { accountOwner(of: frames[i], sign: 1) }
    let old = frames[i].use.lru
    frames[i].ownerID = owner
    if old?.isAnon == use.lru?.isAnon && old != nil {
      // Same LRU family (a file page dirtied or cleaned): it keeps its place.
      frames[i].use = use
      return
    }
    if old != nil { removeFromLRU(pfn) }
    frames[i].use = use
    if let list = use.lru { addToLRU(pfn, list: list) }
  }

  /// What an allocated block holds.
  public func use(of pfn: PFN) -> PageUse { frames[frameIndex(pfn)].use }

  /// Whether `pfn` heads an allocated block.
  public func isAllocatedBlock(_ pfn: PFN) -> Bool {
    let i = frameIndex(pfn)
    return i >= 0 && i < frames.count && frames[i].state == .allocatedHead
  }
}
