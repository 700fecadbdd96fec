import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import Testing

/// The findings about the machine's state (`lowmem-exhausted`, `dma-zone`, `swap-exhausted`,
/// `hugetlb-reserved`, `numa-policy`): the corpus cases with their numbers, synthetic cases
/// made by editing one corpus line where the corpus has none, and no finding where the logs
/// do not show one.
struct ExplainMachineFindingTests {
  /// The ids this suite covers.
  static let machineIDs: Set<String> = [
    "lowmem-exhausted", "dma-zone", "swap-exhausted", "hugetlb-reserved", "numa-policy",
  ]

  /// The machine findings each corpus file's reports give, read off the files by hand.
  ///
  /// 004/005 (i386, order-2/1 GFP_KERNEL: DMA below min + lowmem_reserve, Normal's order-0
  /// pages leave the pre-4.4 per-order check below half of min, HighMem 93/99 MB free);
  /// 049/050 (ppc32 GFP_KERNEL: DMA 56/… kB free below a min of 11208 kB, 327680 HighMem pages);
  /// 025 (GFP_DMA order 10 with 160 kB in DMA); archlinux (84 kB of 24 GiB swap free), rhel7
  /// (0 of 8 GiB free), 059 (no swap, anon 92 % of RAM). Every other file: none (no HighMem,
  /// no DMA request, swap with room or anon under half of RAM, no hugetlb pool, no NUMA
  /// restriction).
  static let expected: [String: [Set<String>]] = [
    "corpus/exact/oomanalyser-archlinux_6_1_1.log": [["swap-exhausted"]],
    "corpus/exact/oomanalyser-rhel7.log": [["swap-exhausted"]],
    "corpus/posted/004-oom-2.6.31-i386.log": [["lowmem-exhausted"]],
    "corpus/posted/005-oom-2.6.31-i386.log": [["lowmem-exhausted"]],
    "corpus/posted/025-allocfail-5.14.21-150400.22-default-x86_64.log": [["dma-zone"]],
    "corpus/posted/049-allocfail-6.9.0-ppc32.log": [["lowmem-exhausted"]],
    "corpus/posted/050-allocfail-6.9.0-ppc32.log": [["lowmem-exhausted"]],
    "corpus/posted/059-oom-6.8.0-1030-aws-x86_64.log": [["swap-exhausted"]],
  ]

  static let corpus: [URL] = Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }

  static func explain(_ path: String, edit: (String) -> String = { $0 }) throws
    -> [ReportExplanation]
  {
    let text = try Fixtures.text(of: Fixtures.root.appendingPathComponent(path))
    return ReportExplanation.explainAll(in: edit(text), file: path)
  }

  static func finding(_ id: String, in report: ReportExplanation?) throws -> Finding {
    let report = try #require(report)
    return try #require(
      report.findings.first { $0.id == id }, "no \(id) in \(report.findings.map(\.id))")
  }

  /// Replaces `old` (which must occur) with `new`.
  static func replacing(_ old: String, with new: String) -> (String) -> String {
    { text in
      #expect(text.contains(old), "the edit's text is not in the log: \(old)")
      return text.replacingOccurrences(of: old, with: new)
    }
  }

  @Test(arguments: corpus)
  func machineFindingsFireOnlyWhereTheLogShowsThem(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let reports = ReportExplanation.explainAll(in: try Fixtures.text(of: file), file: name)
    let fired = reports.map { Set($0.findings.map(\.id)).intersection(Self.machineIDs) }
    let expected = Self.expected[name] ?? reports.map { _ in [] }
    #expect(fired == expected, "\(name)")
  }

  /// 2.6.31 i386: the order-2 GFP_KERNEL request may use DMA and Normal only.
  ///
  /// DMA: 872 free
  /// pages − 3 ≤ 16 + lowmem_reserve[Normal] 865; Normal: 10506 − 3 pages pass min 932, but
  /// without the 10419 order-0 pages 84 remain ≤ 932 / 2 (the pre-4.4 loop). HighMem has
  /// 93428 kB free above its min of 512 kB.
  @Test func i386LowmemIsExhaustedWhileHighMemIsFree() throws {
    let report = try Self.explain("corpus/posted/004-oom-2.6.31-i386.log").first
    #expect(report?.findings.first?.id == "lowmem-exhausted")
    let lowmem = try Self.finding("lowmem-exhausted", in: report)
    #expect(lowmem.title.contains("DMA, Normal (45512 kB (44.4 MiB) free)"))
    #expect(lowmem.title.contains("HighMem has 93428 kB (91.2 MiB) free"))
    #expect(
      lowmem.evidence.contains {
        $0.hasPrefix(
          "line 58: DMA: free 872 pages, min 16 for these alloc flags + "
            + "lowmem_reserve 865; order-2 check (pre-4.4 rule") && $0.hasSuffix("fails")
      })
    #expect(
      lowmem.evidence.contains {
        $0.hasPrefix("line 60: Normal: free 10506 pages, min 932")
          && $0.hasSuffix(
            "without the free pages of order 0, 84 remain ≤ min halved 1×, 466): fails")
      })
    #expect(lowmem.evidence.contains("line 62: HighMem free:93428kB min:512kB"))
    #expect(lowmem.remedy.contains("64-bit kernel"))
    #expect(lowmem.weight == 93)
  }

  /// The same state with a HighMem-capable request (`__GFP_HIGHMEM` set: 0x44d2) is no lowmem
  /// problem: HighMem may serve it.
  @Test func aHighMemRequestIsNotLowmemExhausted() throws {
    let report = try Self.explain(
      "corpus/posted/004-oom-2.6.31-i386.log",
      edit: Self.replacing("gfp_mask=0x44d0,", with: "gfp_mask=0x44d2,")
    ).first
    #expect(report?.gfp?.mask == "0x44d2")
    #expect(report?.findings.contains { $0.id == "lowmem-exhausted" } == false)
  }

  /// Numbers near Int.max in every field the zone checks add or compare (4.4+ and pre-4.4
  /// rules, HighMem's free inferred from the counters, a showmem dump, two NUMA nodes) give
  /// findings, not a trap.
  @Test(arguments: [
    "corpus/posted/004-oom-2.6.31-i386.log", "corpus/posted/049-allocfail-6.9.0-ppc32.log",
    "corpus/posted/022-showmem-6.x-riscv64.log", "corpus/exact/oomanalyser-rhel7.log",
  ])
  func hugeNumbersInTheZoneChecksDoNotOverflow(path: String) throws {
    let max = String(Int.max)
    var text = try Fixtures.text(of: Fixtures.root.appendingPathComponent(path))
    for field in ["free", "min", "free_cma", "reserved_highatomic", "boost"] {
      text = text.replacing(try Regex(" \(field):[0-9]+"), with: " \(field):\(max)")
    }
    text = text.replacing(
      /lowmem_reserve\[\]: [0-9]+ [0-9]+/, with: "lowmem_reserve[]: \(max) \(max)")
    text = text.replacing(try Regex(#" [0-9]+\*4kB"#), with: " \(max)*4kB")
    #expect(text.contains("min:\(max)kB") && text.contains("\(max)*4kB"))
    let reports = ReportExplanation.explainAll(in: text, file: path)
    #expect(reports.count == 1)
  }

  /// 6.9 ppc32 prints only its DMA zone (all of lowmem): 14 pages against a min of 2802; the
  /// HighMem zone line is missing, so its free memory is the global free (1141 pages) less
  /// DMA's 56 kB.
  @Test func ppc32LowmemIsExhaustedWithHighMemInferred() throws {
    let report = try Self.explain("corpus/posted/049-allocfail-6.9.0-ppc32.log").first
    #expect(report?.findings.map(\.id) == ["lowmem-exhausted", "below-watermark"])
    let lowmem = try Self.finding("lowmem-exhausted", in: report)
    #expect(lowmem.title.contains("HighMem has 4508 kB (4.4 MiB) free"))
    #expect(
      lowmem.evidence.contains {
        $0.hasPrefix("line 71: DMA: free 14 pages, min 2802 for these alloc flags")
          && $0.contains("4.4+ rule") && $0.hasSuffix("fails")
      })
    #expect(
      lowmem.evidence.contains {
        $0.hasPrefix("line 79: 327680 pages HighMem/MovableOnly; line 69: free:1141 pages")
      })
  }

  /// 5.14's boot-time atomic DMA pool: order 10 GFP_KERNEL|GFP_DMA with 160 kB (40 pages) in
  /// DMA, no order-10 block.
  @Test func aGFPDMARequestIsConfinedToTheDMAZone() throws {
    let report = try Self.explain(
      "corpus/posted/025-allocfail-5.14.21-150400.22-default-x86_64.log"
    ).first
    #expect(report?.findings.map(\.id) == ["dma-zone", "below-watermark", "costly-order"])
    let dma = try Self.finding("dma-zone", in: report)
    #expect(dma.title.contains("confined to DMA"))
    #expect(dma.title.contains("160 kB (0.2 MiB) free there"))
    #expect(
      dma.evidence.contains {
        $0.hasPrefix("line 31: Node 0 DMA: free 40 pages, min 0") && $0.hasSuffix("fails")
      })
    #expect(dma.evidence.contains("the log prints no zone above DMA"))
    #expect(dma.remedy.contains("dma_alloc_coherent"))
  }

  /// Synthetic (the corpus has no GFP_DMA32 failure with zones): an order-0 `__GFP_DMA32` OOM.
  ///
  /// RHEL 7's OOM request made 0x4 (3.10 numbering). As printed, DMA passes (3968 pages above
  /// min 10 + lowmem_reserve[DMA32] 2780), so nothing fires; with DMA cut to 1000 kB and DMA32
  /// to 5000 kB (1250 pages, below the atomic min of 1469) both fail while the Normal zones
  /// keep their memory.
  @Test func aGFPDMA32RequestWhoseZonesAreExhausted() throws {
    let path = "corpus/exact/oomanalyser-rhel7.log"
    let request = Self.replacing("gfp_mask=0x201da, order=0", with: "gfp_mask=0x4, order=0")
    let passes = try Self.explain(path, edit: request)
    #expect(passes.first?.gfp?.mask == "0x4")
    #expect(passes.first?.findings.contains { $0.id == "dma-zone" } == false)
    let fails = try Self.explain(path) {
      let dma = Self.replacing("Node 0 DMA free:15872kB", with: "Node 0 DMA free:1000kB")
      let dma32 = Self.replacing("Node 0 DMA32 free:59728kB", with: "Node 0 DMA32 free:5000kB")
      return request(dma(dma32($0)))
    }
    #expect(fails.first?.findings.first?.id == "dma-zone")
    let dma = try Self.finding("dma-zone", in: fails.first)
    #expect(dma.title.contains("confined to DMA32"))
    #expect(
      dma.evidence.contains {
        $0.hasPrefix("line 41: Node 0 DMA32: free 1250 pages, min 1469") && $0.hasSuffix("fails")
      })
    #expect(
      dma.evidence.contains(
        "line 45: Node 1 Normal free:49436kB: memory the request may not use"))
  }

  /// Swap configured and full: 84 kB of 25165820 kB free (archlinux 6.1), 0 of 8388604 kB
  /// (RHEL 7); no swap with anon 7634819 of 8248331 pages RAM (6.8 AWS).
  @Test func fullOrAbsentSwap() throws {
    let arch = try Self.finding(
      "swap-exhausted", in: try Self.explain("corpus/exact/oomanalyser-archlinux_6_1_1.log").first)
    #expect(arch.title.hasPrefix("swap is full: 84 kB (0.1 MiB) free of 25165820 kB"))
    #expect(arch.evidence.first?.hasPrefix("line ") == true)
    #expect(arch.evidence.first?.contains("Free swap = 84kB of line ") == true)
    let rhel = try Self.finding(
      "swap-exhausted", in: try Self.explain("corpus/exact/oomanalyser-rhel7.log").first)
    #expect(
      rhel.evidence.first
        == "line 58: Free swap = 0kB of line 59: Total swap = 8388604kB (100% used)")
    let aws = try Self.explain("corpus/posted/059-oom-6.8.0-1030-aws-x86_64.log").first
    let none = try Self.finding("swap-exhausted", in: aws)
    #expect(none.title.hasPrefix("no swap, and anonymous memory holds 92% of RAM"))
    #expect(none.evidence.contains { $0.hasSuffix("Total swap = 0kB: no swap configured") })
    #expect(
      none.evidence.contains { $0.contains("active_anon + inactive_anon = 7634819 pages, 92%") })
    #expect(none.weight == 65)
  }

  /// Synthetic (every corpus pool is empty): 059's 2 MB pool set to 8192 pages, 8000 free:
  /// 16 GiB of the 8248331 pages RAM (50 %).
  @Test func aLargeIdleHugetlbPool() throws {
    let report = try Self.explain(
      "corpus/posted/059-oom-6.8.0-1030-aws-x86_64.log",
      edit: Self.replacing(
        "hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
        with: "hugepages_total=8192 hugepages_free=8000 hugepages_surp=0 hugepages_size=2048kB")
    ).first
    #expect(report?.findings.first?.id == "hugetlb-reserved")
    let hugetlb = try Self.finding("hugetlb-reserved", in: report)
    #expect(hugetlb.title.hasPrefix("the hugetlb pool holds 16777216 kB (16384.0 MiB), 50% of RAM"))
    #expect(hugetlb.title.contains("(16384000 kB (16000.0 MiB) of it free and idle)"))
    #expect(
      hugetlb.evidence.contains {
        $0.contains("8192 × 2048kB huge pages") && $0.contains("8000 free")
      })
    #expect(hugetlb.remedy.contains("vm.nr_hugepages"))
    #expect(hugetlb.weight == 85)
  }

  /// Synthetic (no corpus OOM is confined to some nodes): a cpuset on an exhausted node.
  ///
  /// RHEL 7's two-node OOM with the cpuset line narrowed to node 0, whose zones all fail the request (Normal 36692 kB below
  /// its min of 36784 kB, DMA32 and DMA below min + lowmem_reserve) while node 1's Normal has
  /// 49436 kB above its min. The unedited report (mems_allowed=0-1) gives no finding.
  @Test func aCpusetConfinedToAnExhaustedNode() throws {
    let path = "corpus/exact/oomanalyser-rhel7.log"
    #expect(try Self.explain(path).first?.findings.contains { $0.id == "numa-policy" } == false)
    let report = try Self.explain(
      path,
      edit: Self.replacing("sed cpuset=/ mems_allowed=0-1", with: "sed cpuset=/ mems_allowed=0")
    ).first
    #expect(report?.findings.first?.id == "numa-policy")
    let numa = try Self.finding("numa-policy", in: report)
    #expect(numa.title.hasPrefix("the request was confined to node(s) 0 (mems_allowed=0)"))
    #expect(numa.title.hasSuffix("other nodes had 49436 kB (48.3 MiB) free"))
    #expect(numa.evidence.first?.hasPrefix("line 7, line 8: mems_allowed=0") == true)
    #expect(
      numa.evidence.contains {
        $0.hasPrefix("line 43: Node 0 Normal: free 9173 pages, min 9196") && $0.hasSuffix("fails")
      })
    #expect(
      numa.evidence.contains(
        "line 45: Node 1 Normal free:49436kB min:45444kB: outside the allowed nodes"))
    #expect(numa.remedy.contains("numactl"))
  }

  /// Synthetic allocation failure bound to an exhausted node.
  ///
  /// 023's two-node vmalloc failure with `nodemask=1` (a strict bind to node 1) and node 1's Normal cut to 40000 kB, below its min of 45432 kB, while
  /// node 0 keeps 14.9 GB free. Unedited (`nodemask=(null)`, `mems_allowed=0-1`): none.
  @Test func anAllocationBoundToAnExhaustedNode() throws {
    let path = "corpus/posted/023-vmalloc-4.10.0-x86_64-numa.log"
    #expect(try Self.explain(path).first?.findings.contains { $0.id == "numa-policy" } == false)
    let report = try Self.explain(path) {
      let bind = Self.replacing("__GFP_ZERO), nodemask=(null)", with: "__GFP_ZERO), nodemask=1")
      let cut = Self.replacing("Node 1 Normal free:14864424kB", with: "Node 1 Normal free:40000kB")
      return bind(cut($0))
    }.first
    #expect(report?.findings.first?.id == "numa-policy")
    let numa = try Self.finding("numa-policy", in: report)
    #expect(numa.title.hasPrefix("the request was confined to node(s) 1 (nodemask=1)"))
    #expect(
      numa.evidence.first?.hasPrefix("line 7, line 8: nodemask=1: the request may use") == true)
    #expect(
      numa.evidence.contains {
        $0.hasPrefix("line 54: Node 1 Normal: free 10000 pages, min 11358") && $0.hasSuffix("fails")
      })
  }

  /// Synthetic 4.19+ form: RHEL 7's report with a 4.19-style `oom-kill:` line inserted
  /// before the kill, saying `CONSTRAINT_MEMORY_POLICY` with nodemask 0: the summary names the
  /// constraint and the node.
  @Test func aMemoryPolicyConstraintFromTheSummaryLine() throws {
    let summary =
      "oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0,cpuset=/,mems_allowed=0-1,"
      + "global_oom,task_memcg=/,task=mysqld,pid=6576,uid=27\n"
    let report = try Self.explain(
      "corpus/exact/oomanalyser-rhel7.log",
      edit: Self.replacing(
        "Out of memory: Kill process 6576", with: summary + "Out of memory: Kill process 6576")
    ).first
    let numa = try Self.finding("numa-policy", in: report)
    #expect(
      numa.title.hasPrefix(
        "the request was confined to node(s) 0 (constraint=CONSTRAINT_MEMORY_POLICY, "
          + "nodemask=0)"))
    #expect(numa.evidence.first?.contains("line 149: constraint=CONSTRAINT_MEMORY_POLICY") == true)
  }

  /// Synthetic 4.19+ form: 047's summary line says `CONSTRAINT_MEMORY_POLICY` with nodemask 1
  /// but the report holds no zone lines, so the finding cannot be shown and does not fire.
  @Test func aPolicyConstraintWithoutZonesDoesNotFire() throws {
    let reports = try Self.explain(
      "corpus/posted/047-oom-5.10.179-x86_64.log",
      edit: Self.replacing(
        "constraint=CONSTRAINT_NONE,nodemask=(null)",
        with: "constraint=CONSTRAINT_MEMORY_POLICY,nodemask=1"))
    #expect(!reports.isEmpty)
    #expect(reports.allSatisfy { !$0.findings.contains { $0.id == "numa-policy" } })
  }
}
