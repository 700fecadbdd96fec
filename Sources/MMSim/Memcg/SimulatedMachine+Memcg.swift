internal import MMCore

/// Memory cgroups, cgroup v2 semantics (mm/memcontrol.c): a task's pages are charged to its
/// group and every ancestor; a charge over a `memory.max` reclaims from that group, retries, and
/// then invokes the group's OOM killer (`try_charge_memcg()`, 6.x order); a group left above
/// `memory.high` is reclaimed down by the charging task.
///
/// **Approximations**: no per-cpu charge stock (so `failcnt` counts one failure per page
/// attempt, not per 64-page batch), page cache is uncharged when its task exits (the kernel
/// keeps it charged), swapped-out pages are not charged to `memory.swap.current`.
extension SimulatedMachine {
  /// Adds a memory cgroup below an existing parent, or replaces the limits of an existing one
  /// (keeping what is charged to it).
  ///
  /// - Precondition: the parent exists.
  public mutating func addMemoryCgroup(_ group: MemoryCgroup) {
    if let parent = group.parentPath {
      precondition(memcgs[parent] != nil, "memory cgroup \(parent) does not exist")
    }
    var group = group
    if let existing = memcgs[group.path] {
      group.usage = existing.usage
      group.failcnt = existing.failcnt
      group.events = existing.events
    }
    memcgs[group.path] = group
  }

  /// The memory cgroup a block's owner is charged to, if the owner is a known task.
  func memcgPath(ofOwner owner: UInt32) -> String? {
    owner == 0 ? nil : tasks[Int(owner)].map(\.memcg)
  }

  /// Whether `path` is the root group with neither `memory.max` nor `memory.high`: a charge
  /// there only moves its usage (the fast path of the charge and uncharge below, which the
  /// general path would reach after finding no limit to check).
  private func isUnlimitedRoot(_ path: String) -> Bool {
    guard path == "/", let root = memcgs[path] else { return false }
    return root.max == nil && root.high == nil
  }

  /// The group and its ancestors, the group first.
  func memcgChain(_ path: String) -> [String] {
    var chain: [String] = []
    var current: String? = path
    while let next = current, let group = memcgs[next] {
      chain.append(next)
      current = group.parentPath
    }
    return chain
  }

  /// `try_charge_memcg()` for `pages` pages of `owner`: over a limit, memcg reclaim, 16 (5
  /// before 5.9) fruitless retries, then the memcg OOM killer; returns why the charge failed, or
  /// `nil` (a `__GFP_NOFAIL` or `__GFP_HIGH` charge goes through over the limit).
  mutating func chargeMemcg(owner: UInt32, pages: Int, mask: GFPMask, order: Int, current: Int?)
    -> String?
  {
    guard let path = memcgPath(ofOwner: owner) else { return nil }
    if isUnlimitedRoot(path) {
      memcgs[path]?.usage += pages
      return nil
    }
    let chain = memcgChain(path)
    // MEM_CGROUP_RECLAIM_RETRIES (5) until 5.9 took MAX_RECLAIM_RETRIES (release INFERRED).
    let maxRetries = memory.rules.kernel.isAtLeast(5, 9) ? Self.maxReclaimRetries : 5
    var retries = maxRetries
    var drained = false
    var failure: String?
    while let limited = chain.first(where: { memcgs[$0].map { $0.margin < pages } ?? false }) {
      memcgs[limited]?.failcnt += 1
      let atMax = "memory cgroup \(limited) is at memory.max"
      guard mask.mayDirectReclaim else {
        failure = atMax
        break
      }
      memcgEvent(limited) { $0.max += 1 }
      let reclaimed = reclaimMemcg(
        limited, target: max(pages, ReclaimControl.swapClusterMax), mask: mask)
      if (memcgs[limited]?.margin ?? 0) >= pages { continue }
      if !drained {
        drained = true
        continue
      }
      if mask.noRetry {
        failure = atMax
        break
      }
      if reclaimed > 0 && order <= GFPMask.costlyOrder { continue }
      if retries > 0 {
        retries -= 1
        continue
      }
      guard !mask.retryMayFail && order <= GFPMask.costlyOrder else {
        failure = atMax
        break
      }
      switch oomKiller(.memcg(limited), current: current, mask: mask, order: order) {
      case .killed:
        // A dying task is not given memory past the limit.
        if let current, tasks[current] == nil { failure = atMax }
        retries = maxRetries
      case .waitingForVictim(let pid):
        // The kernel retries until the victim exits; here it would never exit on its own.
        failure = atMax + " while victim \(pid) exits"
      case .panicked(let message): return message
      case .nothingToKill: failure = atMax + " and nothing in it can be killed"
      }
      if failure != nil { break }
    }
    // `nomem:` — __GFP_NOFAIL and (6.x; release INFERRED) __GFP_HIGH charges go through over
    // the limit.
    if let failure, !mask.noFail && !mask.flags.contains(.high) { return failure }
    for group in chain { memcgs[group]?.usage += pages }
    reclaimAboveHigh(chain, mask: mask)
    return nil
  }

  /// `mem_cgroup_handle_over_high()`: a group left above `memory.high` counts a `high` event
  /// and has the excess reclaimed by the charging task (best effort; the throttling delay the
  /// kernel adds when reclaim falls short is not modelled).
  private mutating func reclaimAboveHigh(_ chain: [String], mask: GFPMask) {
    for path in chain {
      guard let group = memcgs[path], let high = group.high, group.usage > high else { continue }
      memcgEvent(path) { $0.high += 1 }
      if mask.mayDirectReclaim {
        _ = reclaimMemcg(
          path, target: max(group.usage - high, ReclaimControl.swapClusterMax), mask: mask)
      }
    }
  }

  /// Gives back what a block of `owner` had charged.
  mutating func unchargeMemcg(owner: UInt32, pages: Int) {
    guard let path = memcgPath(ofOwner: owner) else { return }
    if isUnlimitedRoot(path), let usage = memcgs[path]?.usage {
      assert(usage >= pages, "uncharging \(pages) pages from / holding \(usage)")
      memcgs[path]?.usage = usage - min(pages, usage)
      return
    }
    for path in memcgChain(path) {
      guard var group = memcgs[path] else { continue }
      assert(group.usage >= pages, "uncharging \(pages) pages from \(path) holding \(group.usage)")
      group.usage -= min(pages, group.usage)
      memcgs[path] = group
    }
  }

  /// Frees a block, uncharging its owner's memory cgroup first.
  mutating func freeBlock(_ pfn: PFN, order: Int) {
    let owner = memory.frames[memory.frameIndex(pfn)].ownerID
    if owner != 0 { unchargeMemcg(owner: owner, pages: 1 << order) }
    memory.free(pfn, order: order)
  }

  /// Counts an event on a group and its ancestors below the root (v2 hierarchical events).
  mutating func memcgEvent(_ path: String, _ bump: (inout MemoryCgroup.Events) -> Void) {
    for group in memcgChain(path) where group != "/" {
      if var events = memcgs[group]?.events {
        bump(&events)
        memcgs[group]?.events = events
      }
    }
  }

  /// `try_to_free_mem_cgroup_pages()`: frees up to `target` pages of the group's subtree.
  ///
  /// Oldest first: clean page cache, then (with swap room and a request that may do IO)
  /// anonymous pages swapped out. Returns the pages freed.
  private mutating func reclaimMemcg(_ path: String, target: Int, mask: GFPMask) -> Int {
    guard let group = memcgs[path] else { return 0 }
    var freed = 0
    let nodes = Set(memory.layout.zones.map(\.node)).sorted()
    for node in nodes {
      for list in [LRUList.inactiveFile, .activeFile, .inactiveAnon, .activeAnon]
      where freed < target {
        if list.isAnon && (!mask.mayIO || swap.freePages == 0) { continue }
        var cursor = memory.lruTail(node: node, list: list)
        while let pfn = cursor, freed < target {
          let frame = memory.frames[memory.frameIndex(pfn)]
          cursor = memory.lruPrevious(pfn)
          guard let owner = memcgPath(ofOwner: frame.ownerID), group.contains(owner) else {
            continue
          }
          let pages = 1 << Int(frame.order)
          switch frame.use {
          case .file:
            freeBlock(pfn, order: Int(frame.order))
            freed += pages
          case .anon where swap.freePages >= pages:
            swap.usedPages += pages
            swap.entries[frame.ownerID, default: 0] += pages
            freeBlock(pfn, order: Int(frame.order))
            freed += pages
          default:
            break
          }
        }
      }
    }
    return freed
  }
}

extension PhysicalMemory {
  /// The block before `pfn` on its LRU list (toward the head), if any.
  func lruPrevious(_ pfn: PFN) -> PFN? {
    let previous = frames[frameIndex(pfn)].prev
    return previous == noFrame ? nil : previous
  }
}
