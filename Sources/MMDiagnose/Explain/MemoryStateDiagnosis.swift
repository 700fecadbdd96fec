internal import MMCore

/// The findings a report's `Mem-Info:` block shows about the machine, with or without a
/// request: lowmem or a DMA zone exhausted while other zones have memory, swap full or absent,
/// hugetlb pages holding RAM, a NUMA policy or cpuset confining the request to exhausted nodes.
///
/// With a request (an allocation failure, or an OOM's `gfp_mask` and order) the zone tests are
/// the request's own watermark check (``AllocFailureDiagnosis/minWatermarkCheck(_:)``); a
/// `showmem` dump has no request, so they compare each zone's free memory with its min.
///
/// Kernel: `gfp_zone()`, `__zone_watermark_ok()` (gfp-flags.md §3, buddy-migratetypes.md §7),
/// `constrained_alloc()` in `mm/oom_kill.c` (oom.md §3), `show_mem()` (show-mem-meminfo-
/// overcommit.md §1).
struct MemoryStateDiagnosis {
  /// The NUMA restrictions a report printed, with their log lines.
  struct NodeConstraint {
    /// `constraint=CONSTRAINT_…` of the 4.19+ `oom-kill:` line.
    var constraint: String?
    /// The request's `nodemask=` (`(null)`: no policy mask).
    var nodemask: String?
    /// The task's cpuset `mems_allowed=`.
    var memsAllowed: String?
    /// The log lines that printed them.
    var lines: [Int] = []
  }

  /// The request, when the report printed one.
  var request: AllocFailureDiagnosis?
  /// The block's zones.
  var zones: [ReportedZone]
  /// The block.
  var showMem: ShowMem
  /// The log line of each of `showMem.lines` (shorter or empty when unknown).
  var sourceLines: [Int]
  /// What confined the request to some nodes.
  var constraint = NodeConstraint()
  /// Whether the report is an OOM kill (its swap and hugetlb findings weigh as causes).
  var isOOM = false
  /// The OOM report's `Unreclaimable slab info:` rows, when it printed them.
  var slabCaches: [SlabCache] = []

  /// Every finding that holds, in catalogue order (the caller sorts by weight).
  var findings: [Finding] {
    [lowmemExhausted, dmaZone, numaPolicy, swapExhausted, hugetlbReserved, kernelMemoryLeak]
      .compactMap { $0 }
  }

  /// `line N: ` for the `Mem-Info:` line at `index`, or nothing.
  func at(index: Int?) -> String {
    guard let index, index < sourceLines.count else { return "" }
    return ReportedZone.at(sourceLines[index])
  }

  /// The index in `showMem.lines` of the first line that `matches`.
  func index(where matches: (ShowMem.Line) -> Bool) -> Int? {
    showMem.lines.firstIndex(where: matches)
  }

  /// The page size in kB the block's free-block lines show (4 without one).
  var pageKilobytes: Int { zones.first { $0.freeArea != nil }?.pageKilobytes ?? 4 }

  /// Whether `zone` could serve the request (its watermark check), or, without a request,
  /// has more free memory than its min watermark; `nil` when the line has no `min:`.
  func check(_ zone: ReportedZone) -> ZoneCheck? {
    if let request { return request.minWatermarkCheck(zone) }
    guard let minKB = zone.state["min"] else { return nil }
    let passes = zone.freeKilobytes > minKB
    return ZoneCheck(
      passes: passes,
      evidence: "\(ReportedZone.at(zone.stateLine))\(zone.name): free \(zone.freeKilobytes)kB, "
        + "min \(minKB)kB: " + (passes ? "above min" : "at or below min"))
  }
}

// MARK: - lowmem-exhausted

extension MemoryStateDiagnosis {
  /// The HighMem zones, and the free kB they hold: printed, or (when the block printed no
  /// HighMem zone line but counts HighMem pages) the global `free` less the printed zones'.
  ///
  /// A HighMem zone exists when one is printed, or when `pages HighMem[/MovableOnly]` is
  /// non-zero on a machine with no DMA32 or Movable zone printed (a 32-bit machine).
  var highmem: (zones: [ReportedZone], freeKB: Int, evidence: String)? {
    let printed = zones.filter { $0.state.kind == .highmem }
    if !printed.isEmpty {
      let free = printed.reduce(0) { $0 &+ $1.freeKilobytes }
      let roomy = printed.filter { zone in zone.freeKilobytes > (zone.state["min"] ?? 0) }
      guard !roomy.isEmpty else { return nil }
      let text = roomy.map {
        "\(ReportedZone.at($0.stateLine))\($0.name) free:\($0.freeKilobytes)kB min:"
          + "\($0.state["min"].map(String.init) ?? "?")kB"
      }
      return (printed, free, text.joined(separator: "; "))
    }
    let kinds = Set(zones.compactMap(\.state.kind))
    guard !kinds.contains(.dma32), !kinds.contains(.movable) else { return nil }
    let pagesIndex = index {
      if case .pages(let count, let label) = $0 {
        return count > 0 && (label == "HighMem" || label == "HighMem/MovableOnly")
      }
      return false
    }
    guard let pagesIndex, case .pages(let count, let label) = showMem.lines[pagesIndex],
      let (freePages, freeIndex) = counter("free")
    else { return nil }
    let free = freePages &* pageKilobytes &- zones.reduce(0) { $0 &+ $1.freeKilobytes }
    guard free > 0 else { return nil }
    return (
      [], free,
      "\(at(index: pagesIndex))\(count) pages \(label); \(at(index: freeIndex))free:\(freePages) "
        + "pages = \(freePages &* pageKilobytes)kB, less the printed zones' free = \(free)kB in "
        + "HighMem (its zone line is not in the log)"
    )
  }

  /// A 32-bit HighMem machine whose lowmem zones cannot serve a request that may not use
  /// HighMem, while HighMem has free memory.
  var lowmemExhausted: Finding? {
    let highest = request.map { $0.mask.zone } ?? .normal
    guard highest == .normal, let highmem else { return nil }
    let lowmem = zones.filter { ($0.state.kind ?? .highmem) <= .normal }
    let checks = lowmem.compactMap(check)
    guard !checks.isEmpty, checks.count == lowmem.count, checks.allSatisfy({ !$0.passes })
    else { return nil }
    let lowFree = lowmem.reduce(0) { $0 &+ $1.freeKilobytes }
    var evidence: [String] = []
    if let request {
      evidence.append(
        "\(request.headerAt)\(request.requestText): highest zone Normal (no __GFP_HIGHMEM), so "
          + "HighMem may not serve it")
    } else {
      evidence.append(
        "kernel allocations (slab, page tables, GFP_KERNEL) may use lowmem only, not HighMem")
    }
    evidence += checks.map(\.evidence)
    evidence.append(highmem.evidence)
    let who = request.map { "the \($0.requestText) request" } ?? "a lowmem request"
    return Finding(
      id: "lowmem-exhausted",
      title: "lowmem is exhausted on a 32-bit HighMem machine: "
        + "\(lowmem.map(\.name).joined(separator: ", ")) (\(kilobytesText(lowFree)) free) "
        + "cannot serve \(who), while HighMem has \(kilobytesText(highmem.freeKB)) free that "
        + "it may not use",
      evidence: evidence,
      remedy: "Run a 64-bit kernel (no HighMem split); otherwise use HighMem-capable "
        + "allocations (vmalloc, __GFP_HIGHMEM for user/page-cache pages), reduce the lowmem "
        + "consumers (slab caches, page tables of many processes, kernel buffers), choose a "
        + "VMSPLIT that gives the kernel more lowmem (CONFIG_VMSPLIT_2G), and lower "
        + "vm.lowmem_reserve_ratio only if you understand the protection it removes.",
      weight: 93)
  }
}

// MARK: - dma-zone

extension MemoryStateDiagnosis {
  /// A request for ZONE_DMA or ZONE_DMA32 that its small zone(s) could not serve, while a
  /// higher zone had memory (or the log printed no higher zone).
  var dmaZone: Finding? {
    guard let request, let highest = request.mask.zone, highest == .dma || highest == .dma32
    else { return nil }
    let usable = zones.filter { ($0.state.kind ?? .normal) <= highest }
    let checks = usable.compactMap(check)
    guard !checks.isEmpty, checks.count == usable.count, checks.allSatisfy({ !$0.passes })
    else { return nil }
    let others = zones.filter { ($0.state.kind ?? .normal) > highest }
    let roomy = others.filter { $0.freeKilobytes > ($0.state["min"] ?? Int.max) }
    guard others.isEmpty || !roomy.isEmpty else { return nil }
    let name = highest == .dma ? "GFP_DMA" : "GFP_DMA32"
    var evidence = [
      "\(request.headerAt)\(request.requestText): \(name), so only "
        + "\(usable.map(\.name).joined(separator: ", ")) may serve it"
    ]
    evidence += checks.map(\.evidence)
    if others.isEmpty {
      evidence.append("the log prints no zone above \(highest.kernelName)")
    }
    for zone in roomy {
      evidence.append(
        "\(ReportedZone.at(zone.stateLine))\(zone.name) free:\(zone.freeKilobytes)kB: memory "
          + "the request may not use")
    }
    let free = usable.reduce(0) { $0 &+ $1.freeKilobytes }
    return Finding(
      id: "dma-zone",
      title: "the \(request.requestText) request is confined to \(highest.kernelName), "
        + "which could not serve it (\(kilobytesText(free)) free there)"
        + (roomy.isEmpty
          ? "" : "; other zones had \(kilobytesText(roomy.reduce(0) { $0 &+ $1.freeKilobytes }))"),
      evidence: evidence,
      remedy: "Drop GFP_DMA where the device can address more (use GFP_DMA32, or the DMA API "
        + "with the device's dma_mask so an IOMMU/SWIOTLB maps ordinary memory); allocate "
        + "device buffers with dma_alloc_coherent()/dma_pool or from CMA, pre-allocate them "
        + "at boot or probe time, and enlarge the atomic DMA pool (coherent_pool=) when it "
        + "is the pool that ran dry.",
      weight: 94)
  }
}
