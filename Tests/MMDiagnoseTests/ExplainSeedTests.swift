import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import Testing

/// The seed's report and the recorded allocation failures explain to the numbers their logs
/// print, with the kernel's rules for the request.
struct ExplainSeedTests {
  static let seedPath = "corpus/exact/seed-csky-4.9.56-order10-atomic.log"

  static func explain(_ path: String, kernel: KernelVersion? = nil) throws -> [ReportExplanation] {
    let file = Fixtures.root.appendingPathComponent(path)
    return ReportExplanation.explainAll(in: try Fixtures.text(of: file), file: path, kernel: kernel)
  }

  static func finding(_ id: String, in report: ReportExplanation) throws -> Finding {
    try #require(report.findings.first { $0.id == id }, "no \(id) in \(report.findings.map(\.id))")
  }

  @Test func seedHeaderIsDecodedForItsKernel() throws {
    let report = try #require(try Self.explain(Self.seedPath).first)
    #expect(report.kind == .allocfail)
    #expect(report.line == 7)
    #expect(report.kernel == "4.9.56")
    #expect(report.task?.comm == "xxxx")
    #expect(report.task?.pid == 179)
    #expect(report.order == 10)
    #expect(report.gfp?.mask == "0x2084020")
    #expect(report.gfp?.names == "GFP_ATOMIC|__GFP_COMP")
    #expect(report.gfp?.printedNames == "GFP_ATOMIC|__GFP_COMP")
    #expect(report.victim == nil)
  }

  /// 240936 kB of the 248344 kB free is CMA (line 33), and every order-10 block is one of the
  /// 58 CMA blocks of 4096 kB (232 MiB, line 35): the seed's "232 MB of 248 MB".
  @Test func seedCauseIsUnusableCMA() throws {
    let report = try #require(try Self.explain(Self.seedPath).first)
    #expect(report.findings.first?.id == "cma-unusable")
    let cma = try Self.finding("cma-unusable", in: report)
    #expect(cma.title.hasPrefix("240936 kB (235.3 MiB) of the 248344 kB (242.5 MiB) free is CMA"))
    #expect(cma.title.contains("every free block of order ≥ 10 is CMA"))
    #expect(cma.evidence.contains { $0.hasPrefix("line 7: ") && $0.contains("Unmovable") })
    #expect(
      cma.evidence.contains("line 31: free:62086 free_cma:60234 pages (97% of free pages are CMA)"))
    #expect(
      cma.evidence.contains {
        $0.hasPrefix("line 33: Normal free:248344kB free_cma:240936kB: 7408 kB")
      })
    #expect(
      cma.evidence.contains(
        "line 35: Normal blocks of order ≥ 10: 58*4096kB (C): 237568 kB (232.0 MiB) on CMA "
          + "lists, 0 kB (0.0 MiB) the request may use"))
    #expect(cma.remedy.contains("min_free_kbytes"))
    #expect(cma.remedy.contains("mempool"))
  }

  @Test func seedRequestWasAtomicAndCostly() throws {
    let report = try #require(try Self.explain(Self.seedPath).first)
    let atomic = try Self.finding("atomic-context", in: report)
    #expect(
      atomic.evidence.contains(
        "line 7: mode 0x2084020 (GFP_ATOMIC|__GFP_COMP) lacks __GFP_DIRECT_RECLAIM"))
    #expect(
      atomic.evidence.contains(
        "alloc flags (4.9.56 rules): ALLOC_WMARK_MIN|ALLOC_HARDER|ALLOC_HIGH"))
    _ = try Self.finding("costly-order", in: report)
    // 7408 kB of non-CMA free memory, but its largest block is order 9.
    let fragmentation = try Self.finding("fragmentation", in: report)
    #expect(fragmentation.evidence.contains { $0.contains("largest such block: order 9, 2048kB") })
    // 62086 − 1023 − 60234 = 829 usable pages > 611 − 305 − 76 = 230: not a watermark failure.
    #expect(!report.findings.contains { $0.id == "below-watermark" })
  }

  /// The same state with a movable request: CMA counts, the 58 order-10 CMA blocks serve it, and
  /// only the costly order remains.
  @Test func movableRequestMayUseTheCMABlocks() throws {
    let file = Fixtures.root.appendingPathComponent(Self.seedPath)
    let text = try Fixtures.text(of: file).replacingOccurrences(
      of: "mode:0x2084020(GFP_ATOMIC|__GFP_COMP)", with: "mode:0x24200ca(GFP_HIGHUSER_MOVABLE)")
    let report = try #require(ReportExplanation.explainAll(in: text).first)
    #expect(report.gfp?.names == "GFP_HIGHUSER_MOVABLE")
    #expect(report.findings.map(\.id) == ["costly-order"])
  }

  /// The order-0 GFP_ATOMIC drain on Debian 6.1: DMA stops at min 23 → 9 plus lowmem_reserve
  /// 406 = 415 free, DMA32 at 205 free below its boosted min 2028 → 761
  /// (buddy-migratetypes.md §7).
  @Test func atomicDrainIsBelowTheWatermarkInEveryZone() throws {
    let report = try #require(
      try Self.explain("ground-truth/alloc-failure/m512M/reports/04-alloc-failure.txt").first)
    #expect(report.findings.map(\.id) == ["below-watermark", "atomic-context"])
    let below = try Self.finding("below-watermark", in: report)
    #expect(below.title.hasPrefix("every zone the request may use"))
    #expect(
      below.evidence.contains {
        $0.hasPrefix("line 38: Node 0 DMA: free 415 pages")
          && $0.hasSuffix("min for these alloc flags 9 + lowmem_reserve 406 = 415: below")
      })
    #expect(
      below.evidence.contains {
        $0.hasPrefix("line 40: Node 0 DMA32: free 205 pages")
          && $0.hasSuffix("min for these alloc flags 761 + lowmem_reserve 0 = 761: below")
      })
  }

  /// An order-10 GFP_KERNEL request could reclaim and compact: not atomic, still costly.
  @Test func sleepingCostlyRequestIsNotAtomic() throws {
    let report = try #require(
      try Self.explain("ground-truth/alloc-failure/m512M/reports/05-alloc-failure.txt").first)
    let ids = report.findings.map(\.id)
    #expect(ids.contains("costly-order"))
    #expect(!ids.contains("atomic-context"))
    #expect(report.gfp?.names.hasPrefix("GFP_KERNEL") == true)
  }

  @Test func givenKernelIsUsedOnlyWhenTheLogNamesNone() throws {
    let file = Fixtures.root.appendingPathComponent(Self.seedPath)
    let text = try Fixtures.text(of: file)
    let given = ReportExplanation.explainAll(in: text, kernel: KernelVersion(5, 10))
    #expect(given.first?.kernel == "4.9.56")
    let unnamed = text.replacingOccurrences(of: "Not tainted 4.9.56 #53", with: "Not tainted")
    let fallback = ReportExplanation.explainAll(in: unnamed, kernel: KernelVersion(4, 9, 56))
    #expect(fallback.first?.kernel == "4.9.56")
    #expect(fallback.first?.findings.first?.id == "cma-unusable")
  }
}
