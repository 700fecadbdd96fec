internal import MMCore

extension PhysicalMemory {
  /// The simulator's `CONFIG_DEBUG_VM`: every broken invariant, empty when all hold.
  ///
  /// Debug builds also assert the local invariants on every list operation (a block is aligned,
  /// never queued twice, only unlinked from a list it is on); this full walk is for tests to call
  /// between operations.
  ///
  /// Checks every free list, per-cpu list and counter against the frames, that each managed
  /// frame belongs to exactly one block, and each owner's page counts against its blocks.
  ///
  /// - Complexity: O(frames).
  public func invariantViolations() -> [String] {
    var problems: [String] = []
    for zone in layout.zones.indices {
      var pages = 0, cmaPages = 0
      for order in 0..<orderCount {
        for type in MigrateType.allCases {
          let list = listIndex(zone: zone, order: order, type: type.rawValue)
          var count: Int32 = 0
          var previous = noFrame
          var pfn = freeHeads[list]
          while pfn != noFrame && count <= freeCounts[list] {
            let frame = frames[frameIndex(pfn)]
            if frame.state != .freeHead || Int(frame.order) != order
              || Int(frame.listType) != type.rawValue || Int(frame.zone) != zone
              || frame.prev != previous
            {
              problems.append(
                "zone \(zone) order \(order) \(type.kernelName): bad entry PFN \(pfn)")
            }
            if pfn & ((1 << PFN(order)) - 1) != 0 {
              problems.append("free block PFN \(pfn) is not aligned to order \(order)")
            }
            count += 1
            previous = pfn
            pfn = frame.next
          }
          if count != freeCounts[list] || freeTails[list] != previous {
            problems.append(
              "zone \(zone) order \(order) \(type.kernelName): list has \(count) blocks, count says \(freeCounts[list])"
            )
          }
          pages += Int(count) << order
          if type == .cma { cmaPages += Int(count) << order }
        }
      }
      if pages != counters[zone].freePages {
        problems.append(
          "zone \(zone): free lists hold \(pages) pages, NR_FREE_PAGES is \(counters[zone].freePages)"
        )
      }
      if cmaPages != counters[zone].freeCMAPages {
        problems.append(
          "zone \(zone): CMA lists hold \(cmaPages) pages, NR_FREE_CMA_PAGES is \(counters[zone].freeCMAPages)"
        )
      }
      problems += perCPUViolations(zone: zone)
      problems += lruViolations(zone: zone)
      problems += coverageViolations(zone: zone)
    }
    return problems + ownerViolations()
  }

  /// Each owner's kept page counts equal the counts of its blocks in the frames.
  private func ownerViolations() -> [String] {
    let counted = ownerPagesFromFrames()
    return Set(counted.keys).union(ownerPages.keys).sorted().compactMap { owner in
      let kept = ownerPages[owner] ?? OwnerPages()
      let actual = counted[owner] ?? OwnerPages()
      return kept == actual
        ? nil
        : "owner \(owner): counts say \(kept), its blocks hold \(actual)"
    }
  }

  /// Every block on the zone's node's LRU lists is allocated with a use of that list's family,
  /// and the per-zone counts add up.
  private func lruViolations(zone: Int) -> [String] {
    let node = layout.zones[zone].node
    for list in LRUList.allCases {
      var pages = 0
      var pfn = lruHeads[lruIndex(node: node, list: list)]
      var steps = 0
      while pfn != noFrame && steps <= frames.count {
        let frame = frames[frameIndex(pfn)]
        if frame.state != .allocatedHead || frame.use.lru?.isAnon != list.isAnon
          || frame.lruList != list
        {
          return [
            "\(list) entry PFN \(pfn) is not an allocated \(list.isAnon ? "anon" : "file") block"
          ]
        }
        if Int(frame.zone) == zone { pages += 1 << Int(frame.order) }
        steps += 1
        pfn = frame.next
      }
      if pages != lruPageCount(zone: zone, list: list) {
        return [
          "zone \(zone) \(list): list holds \(pages) pages, count says \(lruPageCount(zone: zone, list: list))"
        ]
      }
    }
    return []
  }

  private func perCPUViolations(zone: Int) -> [String] {
    var pages = 0
    for order in 0..<Self.perCPUOrders {
      for list in 0..<Self.perCPUTypes {
        var pfn = perCPUHeads[perCPUIndex(zone: zone, order: order, type: list)]
        var steps = 0
        while pfn != noFrame && steps <= frames.count {
          let frame = frames[frameIndex(pfn)]
          if frame.state != .perCPUHead || Int(frame.order) != order {
            return [
              "zone \(zone): per-cpu list entry PFN \(pfn) is not a per-cpu block of order \(order)"
            ]
          }
          pages += 1 << order
          steps += 1
          pfn = frame.next
        }
      }
    }
    return pages == counters[zone].perCPUPages
      ? []
      : [
        "zone \(zone): per-cpu lists hold \(pages) pages, count says \(counters[zone].perCPUPages)"
      ]
  }

  /// Walks the zone's frames: each block head must be followed by exactly its tails, and the
  /// frames outside blocks must be exactly the unmanaged ones.
  private func coverageViolations(zone: Int) -> [String] {
    let span = layout.zones[zone]
    var pfn = span.startPFN
    var unavailable = 0
    while pfn < span.endPFN {
      let frame = frames[pfn - basePFN]
      if frame.state == .unavailable {
        unavailable += 1
        pfn += 1
        continue
      }
      guard frame.state == .freeHead || frame.state == .allocatedHead || frame.state == .perCPUHead
      else { return ["zone \(zone): PFN \(pfn) belongs to no block"] }
      let size = 1 << Int(frame.order)
      if frame.state == .freeHead && Int(frame.order) < layout.maxOrder
        && isMergeableBuddy(PFN(pfn) ^ PFN(size), order: Int(frame.order), zone: zone)
        && !isMergeBarrier(PFN(pfn), PFN(pfn) ^ PFN(size), order: Int(frame.order))
      {
        return [
          "zone \(zone): free buddies at \(pfn) and \(pfn ^ size) (order \(frame.order)) are not merged"
        ]
      }
      for tail in (pfn + 1)..<min(pfn + size, span.endPFN)
      where frames[tail - basePFN].state != .tail {
        return ["zone \(zone): PFN \(tail) inside the block at \(pfn) is a block head"]
      }
      pfn += size
    }
    guard unavailable == span.spanned - span.managed else {
      return [
        "zone \(zone): \(unavailable) unavailable frames, spanned − managed is \(span.spanned - span.managed)"
      ]
    }
    return []
  }
}
