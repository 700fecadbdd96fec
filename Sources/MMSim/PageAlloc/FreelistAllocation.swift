public import MMCore

/// A block the allocator handed out.
public struct Allocation: Hashable, Sendable {
  /// The first frame.
  public var pfn: PFN
  /// The block's order.
  public var order: Int
  /// The index of the zone it came from (``MachineLayout/zones``).
  public var zone: Int
}

extension PhysicalMemory {
  // MARK: - Zonelist

  /// The index in `lowmem_reserve[]` (the zone kinds the architecture configures) of the highest
  /// zone `gfp_zone()` allows; a kind the architecture does not configure falls back to Normal.
  public func highestZoneIndex(for mask: GFPMask) -> Int? {
    guard let wanted = mask.zone else { return nil }
    let index = zoneKindIndex[wanted.rawValue]
    return index >= 0 ? index : zoneKindIndex[ZoneKind.normal.rawValue]
  }

  /// The zones a request may use, best first (``zonelists``).
  public func zonelist(highestZoneIndex: Int) -> [Int] { zonelists[highestZoneIndex] }

  /// The fast path's alloc flags for a request (``AllocatorRules/fastPathFlags(for:preferredZone:hasPopulatedDMA32:)``
  /// with this machine's zonelist).
  public func fastPathFlags(for mask: GFPMask) -> AllocFlags {
    let preferred = highestZoneIndex(for: mask).flatMap { highest in
      zonelists[highest].first { layout.zones[$0].managed > 0 }
    }
    return rules.fastPathFlags(
      for: mask, preferredZone: preferred.map { layout.zones[$0].kind },
      hasPopulatedDMA32: layout.zones.contains { $0.kind == .dma32 && $0.isPopulated })
  }

  // MARK: - get_page_from_freelist

  /// One pass of `get_page_from_freelist()`; `nil` when every zone fails.
  ///
  /// Walks the zonelist, checks each zone's watermark for `flags` and takes a block from the
  /// first zone that passes; retries once without `ALLOC_NOFRAGMENT`. What follows a failure is
  /// the slow path's business.
  public mutating func allocateFromFreelist(order: Int, mask: GFPMask, flags: AllocFlags)
    -> Allocation?
  {
    precondition(order >= 0 && order <= layout.maxOrder, "order \(order) out of range")
    guard let highest = highestZoneIndex(for: mask), let type = mask.migrateType else { return nil }
    let zones = zonelists[highest]
    var flags = flags
    while true {
      for zone in zones where layout.zones[zone].managed > 0 {
        guard
          flags.contains(.noWatermarks)
            || isWatermarkOK(
              zone: zone, order: order, highestZoneIndex: highest, flags: flags, mask: mask)
        else { continue }
        let block = rmqueue(zone: zone, order: order, type: type, flags: flags, perCPU: true)
        if flags.contains(.kswapd) && settings[zone].wakesKswapdForBoost {
          settings[zone].wakesKswapdForBoost = false
          if !boostedZonesToWake.contains(zone) { boostedZonesToWake.append(zone) }
        }
        if let pfn = block {
          recordAllocation(pfn, order: order, type: type)
          counters[zone].allocatedPages &+= 1 << order
          if order > 0 && earnsHighAtomicReserve(flags) {
            reserveHighAtomicPageblock(containing: pfn, zone: zone)
          }
          return Allocation(pfn: pfn, order: order, zone: zone)
        }
      }
      guard flags.contains(.noFragment) else { return nil }
      flags.remove(.noFragment)
    }
  }

  /// The fast path: ``allocateFromFreelist(order:mask:flags:)`` with ``fastPathFlags(for:)``.
  public mutating func allocateFastPath(order: Int, mask: GFPMask) -> Allocation? {
    allocateFromFreelist(order: order, mask: mask, flags: fastPathFlags(for: mask))
  }

  /// Frees a block allocated by this machine (`__free_pages()`): to the per-cpu lists for small
  /// orders, else to the buddy lists of its pageblock's type.
  ///
  /// - Precondition: `pfn` heads an allocated block of `order` (a double free traps).
  public mutating func free(_ pfn: PFN, order: Int) {
    let i = frameIndex(pfn)
    precondition(i >= 0 && i < frames.count, "PFN \(pfn) is outside the machine")
    precondition(
      frames[i].state == .allocatedHead && Int(frames[i].order) == order,
      "freeing PFN \(pfn) order \(order), which is not an allocated block of that order")
    if frames[i].use.lru != nil { removeFromLRU(pfn) }
    accountOwner(of: frames[i], sign: -1)
    frames[i].owner = 0
    counters[Int(frames[i].zone)].freedPages &+= 1 << order
    if isPerCPUOrder(order) {
      freeToPerCPU(pfn, order: order)
    } else {
      freeToBuddy(pfn, order: order, type: pageblockType(of: pfn))
    }
  }

  // MARK: - Steps

  /// `zone_watermark_fast()` for `zone` (``AllocatorRules/isFastWatermarkOK(_:order:marks:flags:mask:maxOrder:hasFreeBlock:)``
  /// with the zone's counters and free lists).
  func isWatermarkOK(zone: Int, order: Int, highestZoneIndex: Int, flags: AllocFlags, mask: GFPMask)
    -> Bool
  {
    let counters = self.counters[zone]
    let inputs = WatermarkCheckZone(
      freePages: counters.freePages, freeCMAPages: counters.freeCMAPages,
      reservedHighAtomic: counters.reservedHighAtomic,
      lowmemReserve: settings[zone].lowmemReserve(at: highestZoneIndex))
    return rules.isFastWatermarkOK(
      inputs, order: order, marks: settings[zone].watermarks, flags: flags, mask: mask,
      maxOrder: layout.maxOrder
    ) { self.hasFreeBlock(zone: zone, order: $0, type: $1) }
  }

  /// `rmqueue()` / `rmqueue_buddy()`: per-cpu lists for small orders, else the buddy lists with
  /// the high-atomic reserve tried first or last as the version allows.
  mutating func rmqueue(zone: Int, order: Int, type: MigrateType, flags: AllocFlags, perCPU: Bool)
    -> PFN?
  {
    if perCPU && isPerCPUOrder(order) && type.rawValue < Self.perCPUTypes
      && (flags.contains(.cma) || type != .movable || !rules.cmaBalance)
    {
      if let pfn = rmqueuePerCPU(zone: zone, order: order, type: type, flags: flags) { return pfn }
      // Before 5.13 a failed per-cpu refill ends the attempt; later kernels try the buddy lists.
      if rules.perCPUMaxOrder == 0 { return nil }
    }
    let modern = rules.watermarks == .reserveFlags6_3
    let highAtomicFirst =
      modern ? flags.contains(.highAtomic) : order > 0 && flags.contains(.harder)
    if highAtomicFirst, let pfn = rmqueueSmallest(zone: zone, order: order, type: .highAtomic) {
      return pfn
    }
    if let pfn = rmqueue(zone: zone, order: order, type: type, flags: flags) { return pfn }
    let lastResort =
      modern
      && (flags.contains(.oom) || (rules.order0AtomicUsesHighAtomic && flags.contains(.harder)))
    if lastResort, let pfn = rmqueueSmallest(zone: zone, order: order, type: .highAtomic) {
      return pfn
    }
    return nil
  }

  /// Marks a block as allocated as `type`.
  @inline(__always)
  mutating func recordAllocation(_ pfn: PFN, order: Int, type: MigrateType) {
    let i = frameIndex(pfn)
    frames[i].state = .allocatedHead
    frames[i].order = UInt8(order)
    frames[i].listType = UInt8(type.rawValue)
    frames[i].owner = 0
  }

  /// Whether a successful order > 0 allocation reserves a high-atomic pageblock: `ALLOC_HARDER`
  /// before 6.3, `ALLOC_HIGHATOMIC` from 6.3.
  func earnsHighAtomicReserve(_ flags: AllocFlags) -> Bool {
    rules.watermarks == .reserveFlags6_3 ? flags.contains(.highAtomic) : flags.contains(.harder)
  }

  /// `reserve_highatomic_pageblock()`: turn the block's pageblock into a HighAtomic reserve while
  /// the zone holds less than 1% of its managed pages plus one pageblock in reserve.
  mutating func reserveHighAtomicPageblock(containing pfn: PFN, zone: Int) {
    let limit = layout.zones[zone].managed / 100 + layout.pageblockPages
    guard counters[zone].reservedHighAtomic < limit else { return }
    let type = pageblockType(of: pfn)
    guard type != .highAtomic && type != .isolate && type != .cma else { return }
    counters[zone].reservedHighAtomic += layout.pageblockPages
    setPageblockType(of: pfn, to: .highAtomic)
    moveFreePages(inPageblockOf: pfn, to: .highAtomic)
  }

  /// `unreserve_highatomic_pageblock()`: gives a high-atomic pageblock to the requester's type.
  ///
  /// The pageblock is that of the first free block on a HighAtomic list, in the request's zones,
  /// lowest order first; unless `force`, zones holding one pageblock of reserve or less keep it.
  /// Returns whether free pages moved.
  mutating func unreserveHighAtomicPageblock(zones: [Int], for type: MigrateType, force: Bool)
    -> Bool
  {
    for zone in zones {
      if !force && counters[zone].reservedHighAtomic <= layout.pageblockPages { continue }
      for order in 0...layout.maxOrder {
        guard let pfn = firstFree(zone: zone, order: order, type: .highAtomic) else { continue }
        if pageblockType(of: pfn) == .highAtomic {
          counters[zone].reservedHighAtomic -= min(
            layout.pageblockPages, counters[zone].reservedHighAtomic)
        }
        setPageblockType(of: pfn, to: type)
        if moveFreePages(inPageblockOf: pfn, to: type) > 0 { return true }
      }
    }
    return false
  }

  /// `__zone_watermark_ok()` for `zone` against an explicit mark, with the zone's free pages or
  /// `freePages` in their place (`should_reclaim_retry()` adds what reclaim could free).
  func isWatermarkOK(
    zone: Int, order: Int, highestZoneIndex: Int, mark: Int, flags: AllocFlags,
    freePages: Int? = nil
  ) -> Bool {
    let counters = self.counters[zone]
    let inputs = WatermarkCheckZone(
      freePages: freePages ?? counters.freePages, freeCMAPages: counters.freeCMAPages,
      reservedHighAtomic: counters.reservedHighAtomic,
      lowmemReserve: settings[zone].lowmemReserve(at: highestZoneIndex))
    return rules.watermarks.isOK(
      inputs, order: order, mark: mark, flags: flags, maxOrder: layout.maxOrder
    ) { self.hasFreeBlock(zone: zone, order: $0, type: $1) }
  }
}
