public import MMCore

/// What one reclaim pass may do and how much it wants (`struct scan_control`).
public struct ReclaimControl: Hashable, Sendable {
  /// Pages to reclaim before stopping (`nr_to_reclaim`; `SWAP_CLUSTER_MAX` = 32 for direct
  /// reclaim).
  public var target: Int
  /// Whether dirty file pages may be written back: the request has `__GFP_IO` and `__GFP_FS`.
  public var mayWriteback: Bool
  /// Whether anonymous and shmem pages may be swapped out: the request has `__GFP_IO` (and
  /// swap space is left, checked when scanning).
  public var maySwap: Bool

  /// The control for a request: what its GFP mask allows.
  public init(mask: GFPMask, target: Int = Self.swapClusterMax) {
    self.target = target
    mayWriteback = mask.mayIO && mask.mayFS
    maySwap = mask.mayIO
  }

  /// The control kswapd uses: everything allowed.
  public static func kswapd(target: Int) -> ReclaimControl {
    ReclaimControl(target: target, mayWriteback: true, maySwap: true)
  }

  /// Creates a control from its parts.
  public init(target: Int, mayWriteback: Bool, maySwap: Bool) {
    self.target = target
    self.mayWriteback = mayWriteback
    self.maySwap = maySwap
  }

  /// `SWAP_CLUSTER_MAX`.
  public static let swapClusterMax = 32
}

/// What a reclaim pass did.
public struct ReclaimResult: Hashable, Sendable {
  /// Pages looked at.
  public var scanned = 0
  /// Pages freed (clean page cache dropped, anon swapped out).
  public var reclaimed = 0
  /// Dirty pages whose writeback was started (freed by a later pass).
  public var writebackStarted = 0
  /// Of the reclaimed pages, those written to swap.
  public var swappedOut = 0

  /// Adds another pass's counts.
  mutating func add(_ other: ReclaimResult) {
    scanned += other.scanned
    reclaimed += other.reclaimed
    writebackStarted += other.writebackStarted
    swappedOut += other.swappedOut
  }
}

/// Reclaim over the LRU lists, an **approximation** of mm/vmscan.c (docs/fidelity.md): what can
/// be freed under a GFP mask is the kernel's rule; the scan order, rates and timing are not.
///
/// One pass: writeback started by the previous pass completes; the active lists are aged into
/// the inactive ones while they are longer; the inactive file list is scanned from its oldest
/// page (clean pages freed, dirty ones put under writeback when the request may do IO and FS
/// calls, else rotated), then, while short of the target, the inactive anon list (swapped out
/// when the request may do IO and swap has room).
extension SimulatedMachine {
  /// One reclaim pass over a node (`shrink_node()`).
  public mutating func shrinkNode(_ node: Int, _ control: ReclaimControl) -> ReclaimResult {
    completeWriteback()
    ageActiveList(node: node, inactive: .inactiveFile, active: .activeFile)
    var result = ReclaimResult()
    scanFile(node: node, control, into: &result)
    if result.reclaimed < control.target && control.maySwap && swap.freePages > 0 {
      ageActiveList(node: node, inactive: .inactiveAnon, active: .activeAnon)
      scanAnon(node: node, control, into: &result)
    }
    if result.reclaimed > 0 { kswapdFailures[node] = nil }
    return result
  }

  /// Pages reclaim could free in a zone (`zone_reclaimable_pages()`): its file pages, and its
  /// anon and shmem pages while swap has room — whatever the request may do itself
  /// (`can_reclaim_anon_pages()` looks at swap space only).
  public func reclaimablePages(zone: Int) -> Int {
    var pages =
      memory.lruPageCount(zone: zone, list: .inactiveFile)
      + memory.lruPageCount(zone: zone, list: .activeFile)
    if swap.freePages > 0 {
      pages +=
        memory.lruPageCount(zone: zone, list: .inactiveAnon)
        + memory.lruPageCount(zone: zone, list: .activeAnon)
    }
    return pages
  }

  // MARK: - Steps

  /// Writeback started earlier has finished: those pages are clean now.
  private mutating func completeWriteback() {
    for pfn in pendingWriteback where memory.use(of: pfn) == .fileWriteback {
      memory.setUse(pfn, .file, owner: memory.frames[memory.frameIndex(pfn)].ownerID)
    }
    pendingWriteback.removeAll(keepingCapacity: true)
  }

  /// `shrink_active_list()`: while the active list is longer, move up to 32 of its oldest
  /// pages to the inactive list's head.
  private mutating func ageActiveList(node: Int, inactive: LRUList, active: LRUList) {
    var moved = 0
    while moved < ReclaimControl.swapClusterMax
      && memory.lruPageCount(node: node, list: inactive)
        < memory.lruPageCount(node: node, list: active),
      let pfn = memory.lruTail(node: node, list: active)
    {
      memory.removeFromLRU(pfn)
      memory.addToLRU(pfn, list: inactive)
      moved += 1
    }
  }

  private mutating func scanFile(
    node: Int, _ control: ReclaimControl, into result: inout ReclaimResult
  ) {
    var budget = memory.lruPageCount(node: node, list: .inactiveFile)
    while result.reclaimed < control.target && budget > 0,
      let pfn = memory.lruTail(node: node, list: .inactiveFile)
    {
      let frame = memory.frames[memory.frameIndex(pfn)]
      let pages = 1 << Int(frame.order)
      budget -= pages
      result.scanned += pages
      switch frame.use {
      case .file:
        freeBlock(pfn, order: Int(frame.order))
        result.reclaimed += pages
      case .fileDirty where control.mayWriteback:
        memory.setUse(pfn, .fileWriteback, owner: frame.ownerID)
        pendingWriteback.append(pfn)
        result.writebackStarted += pages
        rotate(pfn, list: .inactiveFile)
      default:
        rotate(pfn, list: .inactiveFile)
      }
    }
  }

  private mutating func scanAnon(
    node: Int, _ control: ReclaimControl, into result: inout ReclaimResult
  ) {
    var budget = memory.lruPageCount(node: node, list: .inactiveAnon)
    while result.reclaimed < control.target && budget > 0 && swap.freePages > 0,
      let pfn = memory.lruTail(node: node, list: .inactiveAnon)
    {
      let frame = memory.frames[memory.frameIndex(pfn)]
      let order = Int(frame.order)
      let pages = 1 << order
      budget -= pages
      result.scanned += pages
      guard swap.freePages >= pages else {
        rotate(pfn, list: .inactiveAnon)
        continue
      }
      swap.usedPages += pages
      if frame.use == .anon && frame.ownerID != 0 {
        swap.entries[frame.ownerID, default: 0] += pages
      }
      freeBlock(pfn, order: order)
      result.reclaimed += pages
      result.swappedOut += pages
    }
  }

  /// Puts a scanned page back at the head of its list.
  private mutating func rotate(_ pfn: PFN, list: LRUList) {
    memory.removeFromLRU(pfn)
    memory.addToLRU(pfn, list: list)
  }
}
