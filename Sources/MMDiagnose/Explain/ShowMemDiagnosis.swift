internal import MMCore

/// The findings for a `showmem` dump: the machine's state with no request to test against.
///
/// Zones at or below their min watermark (kswapd cannot keep up; only `ALLOC_HIGH`/atomic
/// requests may dig further), free memory that is mostly CMA (unusable for every non-movable
/// request), and free memory with no block above `PAGE_ALLOC_COSTLY_ORDER` (every costly
/// request must compact first), plus the ``MemoryStateDiagnosis`` findings.
struct ShowMemDiagnosis {
  /// The machine-state findings shared with the reports.
  var state: MemoryStateDiagnosis

  /// Every finding that holds, heaviest first.
  var findings: [Finding] {
    Finding.byWeight([belowWatermark, cmaShare, fragmentation].compactMap { $0 } + state.findings)
  }

  /// Zones whose free memory is at or below their min watermark.
  var belowWatermark: Finding? {
    var evidence: [String] = []
    var below: [String] = []
    for zone in state.zones {
      guard let check = state.check(zone) else { continue }
      evidence.append(check.evidence)
      if !check.passes { below.append(zone.name) }
    }
    guard !below.isEmpty else { return nil }
    return Finding(
      id: "below-watermark",
      title: "\(below.joined(separator: ", ")) at or below the min watermark: ordinary "
        + "requests there must reclaim directly, and only high-priority ones may dig further",
      evidence: evidence,
      remedy: "Find what holds the memory (the Mem-Info counters: anon, slab, page cache) and "
        + "reduce or limit it; raise vm.min_free_kbytes / vm.watermark_scale_factor so kswapd "
        + "starts earlier.",
      weight: below.count == evidence.count ? 70 : 40)
  }

  /// Most free memory is CMA, which only movable requests may take.
  var cmaShare: Finding? {
    let free = state.zones.reduce(0) { $0 &+ $1.freeKilobytes }
    let cma = state.zones.reduce(0) { $0 &+ $1.freeCMAKilobytes }
    guard cma > 0, cma > free &- cma else { return nil }
    let evidence = state.zones.filter { $0.freeCMAKilobytes > 0 }.map {
      "\(ReportedZone.at($0.stateLine))\($0.name) free:\($0.freeKilobytes)kB free_cma:"
        + "\($0.freeCMAKilobytes)kB: \(kilobytesText($0.freeKilobytes &- $0.freeCMAKilobytes)) "
        + "not CMA"
    }
    return Finding(
      id: "cma-unusable",
      title: "\(kilobytesText(cma)) of the \(kilobytesText(free)) free is CMA "
        + "(\(percent(cma, of: free))%): only movable requests may use it, every other request "
        + "sees \(kilobytesText(free &- cma))",
      evidence: evidence,
      remedy: "Size CMA to what its users need (cma= / CONFIG_CMA_SIZE_MBYTES) so more RAM "
        + "stays in ordinary pageblocks; make large kernel buffers movable or allocate them "
        + "from CMA; raise vm.min_free_kbytes, which counts non-CMA pages for such requests.",
      weight: 60)
  }

  /// Free memory above the zones' high watermarks, but no free block above
  /// `PAGE_ALLOC_COSTLY_ORDER` in any zone.
  var fragmentation: Finding? {
    let zones = state.zones.filter { $0.freeArea != nil }
    guard !zones.isEmpty else { return nil }
    let free = zones.reduce(0) { $0 &+ $1.freeKilobytes }
    let high = zones.reduce(0) { $0 &+ ($1.state["high"] ?? 0) }
    let order = GFPMask.costlyOrder + 1
    let large = zones.reduce(0) { $0 &+ $1.blockKilobytes(from: order) { $0 != .cma } }
    guard free > high, high > 0, large == 0 else { return nil }
    let evidence = zones.map {
      "\(ReportedZone.at($0.freeAreaLine))\($0.name): \(kilobytesText($0.freeKilobytes)) free; "
        + "order ≥ \(order): \($0.blockTerms(from: order))"
    }
    return Finding(
      id: "fragmentation",
      title: "\(kilobytesText(free)) free, above the zones' high watermarks (\(high) kB), but "
        + "no free block of order \(order) or higher outside CMA: free memory is fragmented",
      evidence: evidence,
      remedy: "Compact (echo 1 > /proc/sys/vm/compact_memory, vm.compaction_proactiveness); "
        + "make long-lived allocations movable; ask for order ≤ 3 or use kvmalloc(); raise "
        + "vm.min_free_kbytes to keep more free pageblocks.",
      weight: 55)
  }
}
