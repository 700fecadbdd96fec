internal import MMCore

/// The findings for one allocation-failure report, computed with the rules of the kernel the
/// mask was decoded for.
///
/// Kernel: `__zone_watermark_ok()` (buddy-migratetypes.md §7), `gfp_zone()`,
/// `gfp_migratetype()`, `gfp_to_alloc_flags()` (gfp-flags.md §3–5), `__alloc_pages_may_oom()`
/// (slowpath-reclaim-compaction.md §6).
struct AllocFailureDiagnosis {
  /// The request's mask.
  var mask: GFPMask
  /// The request's order.
  var order: Int
  /// The zones of the report's `Mem-Info:` block.
  var zones: [ReportedZone]
  /// The `Mem-Info:` counter line holding `free_cma`, and its log line.
  var counters: (values: [NamedValue], line: Int?)?
  /// The 1-based log lines of the header.
  var headerLines: [Int]

  /// Reads the zones and the free-page counters of a report's `Mem-Info:` block (none without
  /// one); `sourceLines[i]` is the log line of `showMem.lines[i]`.
  init(mask: GFPMask, order: Int, showMem: ShowMem?, sourceLines: [Int], headerLines: [Int]) {
    self.mask = mask
    self.order = order
    self.headerLines = headerLines
    zones = showMem.map { ReportedZone.zones(of: $0, sourceLines: sourceLines) } ?? []
    for (index, line) in (showMem?.lines ?? []).enumerated() {
      guard case .counters(let values) = line, values.contains(where: { $0.name == "free" })
      else { continue }
      counters = (values, index < sourceLines.count ? sourceLines[index] : nil)
      break
    }
  }

  /// The zones the request may allocate from: those at or below `gfp_zone()`'s zone; none for
  /// an order no kernel allocates (above 20: a damaged header), so no zone rule runs.
  var usableZones: [ReportedZone] {
    guard let highest = mask.zone, (0...20).contains(order) else { return [] }
    return zones.filter { ($0.state.kind ?? .normal) <= highest }
  }

  /// The slow path's alloc flags for the request.
  var allocFlags: AllocFlags { mask.slowPathAllocFlags(order: order) }

  /// Whether the request may take pages from CMA pageblocks.
  var mayUseCMA: Bool { allocFlags.contains(.cma) }

  /// Whether a free list of `type` counts for the request at step 7 of the watermark check.
  func counts(_ type: MigrateType) -> Bool {
    switch type {
    case .unmovable, .movable, .reclaimable, .reserve: true
    case .cma: mayUseCMA
    case .highAtomic: WatermarkCheckRules(kernel: mask.kernel).mayUseHighAtomicList(allocFlags)
    case .isolate: false
    }
  }

  /// `lowmem_reserve[highest_zoneidx]` of `zone`, with the zone index of the request's highest
  /// zone inferred from the zones the report prints (DMA, DMA32 and HighMem counted when
  /// printed; Normal and Movable always configured).
  func lowmemReserve(of zone: ReportedZone) -> Int {
    guard let reserve = zone.lowmemReserve, !reserve.isEmpty, let highest = mask.zone else {
      return 0
    }
    let printed = Set(zones.compactMap(\.state.kind))
    let configured = ZoneKind.allCases.filter {
      $0 == .normal || $0 == .movable || printed.contains($0)
    }
    let index = configured.firstIndex(of: highest) ?? configured.filter { $0 < highest }.count
    return reserve[min(index, reserve.count - 1)]
  }

  /// The text `order:N, mode:0x…(names)` for titles.
  var requestText: String {
    "order-\(order) \(mask.names.isEmpty ? "0x" + String(mask.rawValue, radix: 16) : mask.names)"
  }

  /// `line N: ` for the header.
  var headerAt: String { ReportedZone.at(headerLines.first) }

  /// Every finding that holds, heaviest first.
  var findings: [Finding] {
    Finding.byWeight(
      [cmaUnusable, fragmentation, belowWatermark, atomicContext, costlyOrder].compactMap { $0 })
  }
}

// MARK: - cma-unusable

extension AllocFailureDiagnosis {
  /// Free memory is mostly CMA, or the only free blocks of the order are CMA, and the request
  /// is not movable, so `ALLOC_CMA` is not set and the CMA free lists do not count.
  var cmaUnusable: Finding? {
    guard !mayUseCMA else { return nil }
    let zones = usableZones
    let free = zones.reduce(0) { $0 &+ $1.freeKilobytes }
    let cma = zones.reduce(0) { $0 &+ $1.freeCMAKilobytes }
    let anyBlocks = zones.reduce(0) { $0 &+ $1.blockKilobytes(from: order) { _ in true } }
    let usableBlocks = zones.reduce(0) { $0 &+ $1.blockKilobytes(from: order, usable: counts) }
    let cmaBlocks = zones.reduce(0) {
      $0 &+ $1.blockKilobytes(from: order) { $0 == .cma }
    }
    let onlyCMABlocks = anyBlocks > 0 && usableBlocks == 0 && cmaBlocks > 0
    guard cma > 0, cma > free &- cma || onlyCMABlocks else { return nil }
    var evidence = [
      "\(headerAt)\(requestText): migratetype \(mask.migrateType?.kernelName ?? "invalid"), "
        + "so no ALLOC_CMA (only movable requests may use CMA pageblocks)"
    ]
    if let counters, let pages = counters.values.first(where: { $0.name == "free" })?.value,
      let cmaPages = counters.values.first(where: { $0.name == "free_cma" })?.value
    {
      evidence.append(
        "\(ReportedZone.at(counters.line))free:\(pages) free_cma:\(cmaPages) pages "
          + "(\(percent(cmaPages, of: pages))% of free pages are CMA)")
    }
    for zone in zones {
      evidence.append(
        "\(ReportedZone.at(zone.stateLine))\(zone.name) free:\(zone.freeKilobytes)kB "
          + "free_cma:\(zone.freeCMAKilobytes)kB: "
          + "\(kilobytesText(zone.freeKilobytes &- zone.freeCMAKilobytes)) not CMA")
      if zone.freeArea != nil, order > 0 {
        let zoneCMA = zone.blockKilobytes(from: order) { $0 == .cma }
        let zoneUsable = zone.blockKilobytes(from: order, usable: counts)
        evidence.append(
          "\(ReportedZone.at(zone.freeAreaLine))\(zone.name) blocks of order ≥ \(order): "
            + "\(zone.blockTerms(from: order)): \(kilobytesText(zoneCMA)) on CMA lists, "
            + "\(kilobytesText(zoneUsable)) the request may use")
      }
    }
    let title =
      "\(kilobytesText(cma)) of the \(kilobytesText(free)) free is CMA, and the "
      + "\(mask.migrateType?.kernelName ?? "non-movable") \(requestText) request cannot use CMA"
      + (onlyCMABlocks ? "; every free block of order ≥ \(order) is CMA" : "")
    return Finding(
      id: "cma-unusable", title: title, evidence: evidence,
      remedy: "Size CMA to what its users need (cma= / CONFIG_CMA_SIZE_MBYTES) so more RAM "
        + "stays in ordinary pageblocks; allocate the buffer from CMA (dma_alloc_coherent / a "
        + "CMA heap) or make it movable (__GFP_MOVABLE) if it can migrate; pre-allocate it at "
        + "probe time or keep a mempool; raise vm.min_free_kbytes, which counts non-CMA pages "
        + "only for such requests; fix whatever leaks the non-CMA pageblocks.",
      weight: 100)
  }
}

// MARK: - fragmentation

extension AllocFailureDiagnosis {
  /// Enough free memory the request may use, but no free block of its order in any zone it
  /// may use.
  var fragmentation: Finding? {
    guard order > 0 else { return nil }
    let zones = usableZones.filter { $0.freeArea != nil }
    guard !zones.isEmpty else { return nil }
    let needed = (1 << order) &* (zones.first?.pageKilobytes ?? 4)
    let usableFree = zones.reduce(0) {
      $0 &+ $1.freeKilobytes &- (mayUseCMA ? 0 : $1.freeCMAKilobytes)
    }
    let blocks = zones.reduce(0) { $0 &+ $1.blockKilobytes(from: order, usable: counts) }
    guard blocks == 0, usableFree >= needed else { return nil }
    var evidence = [
      "\(headerAt)\(requestText) needs one free block of \(kilobytesText(needed))"
    ]
    for zone in zones {
      let usable = zone.freeKilobytes &- (mayUseCMA ? 0 : zone.freeCMAKilobytes)
      var largest = "none"
      for (o, entry) in (zone.freeArea?.orders ?? []).enumerated() where entry.count > 0 {
        if entry.migrateTypes?.contains(where: counts) ?? true {
          largest = "order \(o), \(entry.blockKilobytes)kB"
        }
      }
      evidence.append(
        "\(ReportedZone.at(zone.freeAreaLine))\(zone.name): \(kilobytesText(usable)) free the "
          + "request may use, largest such block: \(largest); "
          + "order ≥ \(order): \(zone.blockTerms(from: order))")
    }
    return Finding(
      id: "fragmentation",
      title: "\(kilobytesText(usableFree)) free that the request may use, but no free block of "
        + "order \(order) or higher in any zone it may use: free memory is fragmented",
      evidence: evidence,
      remedy: "Ask for smaller orders (≤ 3) or use kvmalloc()/vmalloc() for large buffers; "
        + "allocate big blocks early and keep them (mempool); make long-lived allocations "
        + "movable (__GFP_MOVABLE) so compaction can move them; enable CONFIG_COMPACTION and "
        + "compact proactively (vm.compaction_proactiveness, echo 1 > "
        + "/proc/sys/vm/compact_memory); raise vm.min_free_kbytes to keep more free pageblocks.",
      weight: 80)
  }
}

// MARK: - below-watermark

extension AllocFailureDiagnosis {
  /// A zone's free pages the request may count are at or below its min watermark (after the
  /// request's reductions) plus `lowmem_reserve` for the request's highest zone.
  var belowWatermark: Finding? {
    let rules = WatermarkCheckRules(kernel: mask.kernel)
    let flags = allocFlags
    var evidence: [String] = []
    var below: [String] = []
    let zones = usableZones
    for zone in zones {
      guard let minKB = zone.state["min"] else { continue }
      let page = zone.pageKilobytes
      let inputs = zone.watermarkInputs
      let usable = rules.usableFreePages(inputs, order: order, flags: flags)
      let min = rules.effectiveMin(mark: minKB / page, flags: flags)
      let reserve = lowmemReserve(of: zone)
      let lowText = zone.state["low"].map { ", low \($0 / page)" } ?? ""
      let limit = min &+ reserve
      let fails = usable <= limit
      if fails { below.append(zone.name) }
      evidence.append(
        "\(ReportedZone.at(zone.stateLine))\(zone.name): free \(inputs.freePages) pages − "
          + "\((1 << order) &- 1) (order) − \(flags.contains(.cma) ? 0 : inputs.freeCMAPages) "
          + "(CMA) − highatomic = \(usable) usable; min \(minKB / page)\(lowText) pages, "
          + "min for these alloc flags \(min) + lowmem_reserve \(reserve) = \(limit): "
          + (fails ? "below" : "above"))
    }
    guard !below.isEmpty else { return nil }
    let all = below.count == zones.count
    return Finding(
      id: "below-watermark",
      title: all
        ? "every zone the request may use is at or below its min watermark + lowmem_reserve: "
          + "out of memory for this request (\(below.joined(separator: ", ")))"
        : "\(below.joined(separator: ", ")) at or below min watermark + lowmem_reserve for "
          + "this request; other zones it may use are above theirs",
      evidence: evidence + [
        "alloc flags (\(mask.kernel) rules): "
          + flags.names(kernel: mask.kernel).joined(separator: "|")
      ],
      remedy: "Raise vm.min_free_kbytes (and vm.watermark_scale_factor) so kswapd keeps more "
        + "free memory ahead of atomic demand; find what holds the memory (the Mem-Info "
        + "counters: slab, anon, page cache) and reduce or limit it; drop caches only as a "
        + "diagnostic (echo 3 > /proc/sys/vm/drop_caches).",
      weight: all ? 90 : 30)
  }
}

// MARK: - atomic-context

extension AllocFailureDiagnosis {
  /// The request could not sleep, so direct reclaim and compaction never ran.
  var atomicContext: Finding? {
    guard !mask.mayDirectReclaim else { return nil }
    let flag = mask.dialect.era == .upTo4_3 ? "__GFP_WAIT" : "__GFP_DIRECT_RECLAIM"
    return Finding(
      id: "atomic-context",
      title: "the \(requestText) request could not sleep (no \(flag)): direct reclaim and "
        + "compaction never ran, it failed as soon as the free lists could not serve it",
      evidence: [
        "\(headerAt)mode 0x\(String(mask.rawValue, radix: 16)) (\(mask.names)) lacks \(flag)",
        mask.mayWakeKswapd
          ? "kswapd was woken to reclaim in the background; the request did not wait for it"
          : "kswapd was not woken either",
        "alloc flags (\(mask.kernel) rules): "
          + allocFlags.names(kernel: mask.kernel).joined(separator: "|"),
      ],
      remedy: "Allocate in process context (GFP_KERNEL) where the caller can sleep; otherwise "
        + "pre-allocate the buffer (at probe/open time) or keep a mempool and fall back to it; "
        + "raise vm.min_free_kbytes so the atomic reserve below min is larger.",
      weight: 70)
  }
}

// MARK: - costly-order

extension AllocFailureDiagnosis {
  /// Order above `PAGE_ALLOC_COSTLY_ORDER` without `__GFP_RETRY_MAYFAIL`/`__GFP_NOFAIL`: the
  /// slow path gives up after bounded retries and never invokes the OOM killer.
  var costlyOrder: Finding? {
    guard order > GFPMask.costlyOrder, !mask.retryMayFail, !mask.noFail,
      !mask.flags.contains(.repeatAlloc)
    else { return nil }
    let size = (1 << order) &* (zones.first?.pageKilobytes ?? 4)
    return Finding(
      id: "costly-order",
      title: "order \(order) (\(kilobytesText(size)) contiguous) is above "
        + "PAGE_ALLOC_COSTLY_ORDER \(GFPMask.costlyOrder): the allocator retries little, never "
        + "OOM-kills, and fails",
      evidence: [
        "\(headerAt)order:\(order) > \(GFPMask.costlyOrder); no __GFP_RETRY_MAYFAIL, "
          + "__GFP_REPEAT or __GFP_NOFAIL in \(mask.names.isEmpty ? "the mask" : mask.names)",
        "__alloc_pages_may_oom() bails out for costly orders: nothing is killed to make room",
      ],
      remedy: "Use smaller orders (≤ 3) or kvmalloc()/vmalloc() when physical contiguity is not "
        + "needed; for DMA use dma_alloc_coherent()/CMA or a scatter-gather list; allocate "
        + "large buffers once, early, and reuse them.",
      weight: 40)
  }
}
