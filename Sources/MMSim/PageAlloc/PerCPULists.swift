internal import MMCore

/// The per-cpu page lists of one simulated CPU.
///
/// Simplifications (named in docs/fidelity.md): one CPU; a drain returns `batch` pages taken
/// from the lists' tails in list order (the kernel round-robins across lists and scales the count
/// with its free factor); no 6.7+ high auto-tuning.
///
/// Kernel: `rmqueue_pcplist()`, `rmqueue_bulk()`, `free_unref_page()`, `free_pcppages_bulk()`.
extension PhysicalMemory {
  /// Whether `order` is kept on per-cpu lists (`pcp_allowed_order()`).
  @inline(__always)
  func isPerCPUOrder(_ order: Int) -> Bool { order <= rules.perCPUMaxOrder }

  /// Pushes a block on a per-cpu list; `type` is the buddy type it returns to when drained.
  @inline(__always)
  mutating func pushPerCPU(_ pfn: PFN, order: Int, list: Int, type: MigrateType, atTail: Bool) {
    let zone = zoneIndex(of: pfn)
    let index = perCPUIndex(zone: zone, order: order, type: list)
    let i = frameIndex(pfn)
    frames[i].state = .perCPUHead
    frames[i].order = UInt8(order)
    frames[i].listType = UInt8(type.rawValue)
    link(pfn, heads: perCPUHeads, tails: perCPUTails, list: index, atTail: atTail)
    counters[zone].perCPUPages &+= 1 << order
  }

  /// Unlinks a block from its per-cpu list.
  @inline(__always)
  mutating func unlinkPerCPU(_ pfn: PFN, index: Int) {
    let frame = frames[frameIndex(pfn)]
    unlink(pfn, heads: perCPUHeads, tails: perCPUTails, list: index)
    counters[Int(frame.zone)].perCPUPages &-= 1 << Int(frame.order)
  }

  /// `rmqueue_pcplist()`: a block from the per-cpu list, refilled from the buddy lists with
  /// `batch` pages (orders 1–3: max(batch >> order, 2) blocks, 1 when batch is 1) when empty.
  mutating func rmqueuePerCPU(zone: Int, order: Int, type: MigrateType, flags: AllocFlags) -> PFN? {
    let index = perCPUIndex(zone: zone, order: order, type: type.rawValue)
    if perCPUHeads[index] == noFrame {
      let batch = settings[zone].perCPUBatch
      let count = order == 0 ? batch : (batch == 1 ? 1 : max(batch >> order, 2))
      for _ in 0..<count {
        guard let pfn = rmqueue(zone: zone, order: order, type: type, flags: flags) else { break }
        let source = MigrateType(rawValue: Int(frames[frameIndex(pfn)].listType)) ?? type
        pushPerCPU(pfn, order: order, list: type.rawValue, type: source, atTail: true)
      }
    }
    let pfn = perCPUHeads[index]
    guard pfn != noFrame else { return nil }
    unlinkPerCPU(pfn, index: index)
    return pfn
  }

  /// `free_unref_page()`: puts a freed block on the per-cpu list of its pageblock's type
  /// (HighAtomic and CMA blocks on the movable list, isolated blocks straight to the buddy lists),
  /// draining `batch` pages when the list count reaches `high`.
  mutating func freeToPerCPU(_ pfn: PFN, order: Int) {
    let type = pageblockType(of: pfn)
    if type == .isolate {
      freeToBuddy(pfn, order: order, type: type)
      return
    }
    let list = type.rawValue < Self.perCPUTypes ? type.rawValue : MigrateType.movable.rawValue
    pushPerCPU(pfn, order: order, list: list, type: type, atTail: false)
    let zone = zoneIndex(of: pfn)
    if counters[zone].perCPUPages >= settings[zone].perCPUHigh {
      drainPerCPU(zone: zone, pages: settings[zone].perCPUBatch)
    }
  }

  /// `free_pcppages_bulk()`: returns at least `pages` pages (all when fewer) from the zone's
  /// per-cpu lists to the buddy lists, oldest first.
  mutating func drainPerCPU(zone: Int, pages: Int) {
    var freed = 0
    while freed < pages && counters[zone].perCPUPages > 0 {
      for order in 0..<Self.perCPUOrders {
        for list in 0..<Self.perCPUTypes where freed < pages {
          let index = perCPUIndex(zone: zone, order: order, type: list)
          let pfn = perCPUTails[index]
          guard pfn != noFrame else { continue }
          let type = MigrateType(rawValue: Int(frames[frameIndex(pfn)].listType)) ?? .movable
          unlinkPerCPU(pfn, index: index)
          freeToBuddy(pfn, order: order, type: type)
          freed += 1 << order
        }
      }
    }
  }

  /// `drain_all_pages()`: every per-cpu page of the zone back to the buddy lists.
  public mutating func drainAllPerCPU(zone: Int) {
    drainPerCPU(zone: zone, pages: counters[zone].perCPUPages)
  }
}
