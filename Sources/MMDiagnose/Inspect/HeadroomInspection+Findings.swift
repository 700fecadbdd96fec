internal import MMCore

/// The findings `oomlab inspect` makes about a live or captured machine (docs/inspect.md):
/// `below-min-watermark`, `below-low-watermark`, `cma-free`, `commit-headroom`,
/// `fragmentation`, `movable-exhausted`, `min-free-below-default`.
extension HeadroomInspection {
  static func findings(memInfo: MemInfo?, sysVM: SysVM, watermarks: WatermarkInspection?)
    -> [Finding]
  {
    var findings: [Finding] = []
    for zone in watermarks?.zones ?? [] where zone.managed > 0 {
      guard let headroom = zone.headroom else { continue }
      findings += watermarkFindings(zone: "\(zone.node)/\(zone.zone)", headroom)
      if let blocks = headroom.movableBlockPages, blocks > 0, headroom.movableFreePages == 0 {
        findings.append(
          Finding(
            id: "movable-exhausted",
            title: "\(zone.node)/\(zone.zone): Movable pageblocks exhausted: no free page on the "
              + "Movable lists",
            evidence: [
              "pagetypeinfo: \(blocks) pages in Movable pageblocks, 0 free on their lists; "
                + "\(headroom.freePages) free pages are in other types' pageblocks"
            ],
            remedy: "movable allocations now steal other types' pageblocks, which fragments "
              + "memory; reclaim (kswapd) and compaction give Movable blocks back",
            weight: 60))
      }
      if let finding = fragmentationFinding(zone, threshold: sysVM.extfragThreshold ?? 500) {
        findings.append(finding)
      }
    }
    if let memFree = memInfo?.memFree, memFree > 0, let cma = memInfo?.cmaFree,
      percent(cma, of: memFree) >= 50
    {
      findings.append(
        Finding(
          id: "cma-free",
          title: "free memory is \(percent(cma, of: memFree)) % CMA: only movable requests can "
            + "use it",
          evidence: ["meminfo: MemFree \(kilobytesText(memFree)), CmaFree \(kilobytesText(cma))"],
          remedy: "kernel and other unmovable requests see only \(kilobytesText(memFree &- cma)); "
            + "a smaller CMA area (cma= on the kernel command line) leaves them more",
          weight: 80))
    }
    // Without the boot log, the model's default counts the initrd and `__init` pages freed
    // after the boot computation (a few percent more); only a clearly lower value stands out.
    if let watermarks,
      watermarks.minFreeKbytes.kernel &* 100 < watermarks.minFreeKbytes.modelDefault
        &* (watermarks.lateFreedPages == nil ? 95 : 100)
    {
      let kernel = watermarks.minFreeKbytes.kernel
      let standard = watermarks.minFreeKbytes.modelDefault
      findings.append(
        Finding(
          id: "min-free-below-default",
          title: "min_free_kbytes \(kernel) is below the kernel's default \(standard)",
          evidence: [
            "sys/vm/min_free_kbytes \(kernel); calculate_min_free_kbytes() gives \(standard) "
              + "for these zones"
          ],
          remedy: "sysctl vm.min_free_kbytes=\(standard): a smaller reserve leaves atomic "
            + "requests less to take from under bursts",
          weight: 50))
    }
    return findings
  }

  /// `below-min-watermark` or `below-low-watermark` for one zone.
  private static func watermarkFindings(zone: String, _ headroom: ZoneHeadroom) -> [Finding] {
    let evidence = [
      "zoneinfo: pages free \(headroom.freePages), min \(headroom.minPages), "
        + "low \(headroom.lowPages), high \(headroom.highPages) (boost included)"
    ]
    if headroom.freePages <= headroom.minPages {
      return [
        Finding(
          id: "below-min-watermark",
          title: "\(zone): free \(headroom.freeMB) MiB is at or below the min watermark "
            + "\(headroom.minMB) MiB",
          evidence: evidence,
          remedy: "only requests with reserves (atomic, __GFP_HIGH) allocate here; others "
            + "reclaim directly or fall back to lower zones: free memory or stop the consumer",
          weight: 90)
      ]
    }
    if headroom.freePages <= headroom.lowPages {
      return [
        Finding(
          id: "below-low-watermark",
          title: "\(zone): free \(headroom.freeMB) MiB is at or below the low watermark "
            + "\(headroom.lowMB) MiB",
          evidence: evidence,
          remedy: "kswapd is reclaiming up to the high watermark; the fast path skips this zone",
          weight: 40)
      ]
    }
    return []
  }

  /// `fragmentation`: the lowest costly order (4 and up) with no free block whose extfrag
  /// index is above `vm.extfrag_threshold` (compaction, not reclaim, would help).
  private static func fragmentationFinding(_ zone: WatermarkInspection.Zone, threshold: Int)
    -> Finding?
  {
    guard let extfrag = zone.extfragIndex else { return nil }
    let costly = GFPMask.costlyOrder + 1
    guard costly < extfrag.count,
      let order = (costly..<extfrag.count).first(where: {
        extfrag[$0] * 1000 > Double(threshold)
      })
    else { return nil }
    return Finding(
      id: "fragmentation",
      title: "\(zone.node)/\(zone.zone): no free block of order \(order) or more, and free "
        + "memory is fragmented (extfrag index \(extfrag[order]) > \(Double(threshold) / 1000))",
      evidence: [
        "buddyinfo: \((zone.freeBlocks ?? []).map(String.init).joined(separator: " "))",
        "extfrag_index = 1000 − (1000 + free × 1000 / 2^order) / blocks (mm/vmstat.c)",
      ],
      remedy: "compaction, not reclaim, would make the block: echo 1 > "
        + "/proc/sys/vm/compact_memory, or let kcompactd (vm.compaction_proactiveness) do it",
      weight: 55)
  }

  /// `commit-headroom`: mode 2 with less than 5 % of CommitLimit left.
  static func commitFindings(headroom: Int, memInfo: MemInfo?) -> [Finding] {
    guard let limit = memInfo?.commitLimit, limit > 0, headroom &* 20 < limit else { return [] }
    return [
      Finding(
        id: "commit-headroom",
        title: "overcommit mode 2 leaves \(kilobytesText(max(headroom, 0))) to commit "
          + "(\(percent(max(headroom, 0), of: limit)) % of CommitLimit)",
        evidence: [
          "meminfo: CommitLimit \(limit) kB, Committed_AS \(memInfo?.committedAS ?? 0) kB"
        ],
        remedy: "mmap and brk fail with ENOMEM past the limit: raise vm.overcommit_ratio or "
          + "vm.overcommit_kbytes, add swap, or stop the largest committers",
        weight: 70)
    ]
  }
}
