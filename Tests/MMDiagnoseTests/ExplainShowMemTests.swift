import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import Testing

/// `showmem` reports: a `Mem-Info:` dump of no other report (SysRq-m) explains to its zones and
/// the machine-state findings, in log order, and a block that belongs to a report never
/// becomes one.
struct ExplainShowMemTests {
  static let sysrqPath = "corpus/posted/022-showmem-6.x-riscv64.log"

  static func text(_ path: String) throws -> String {
    try Fixtures.text(of: Fixtures.root.appendingPathComponent(path))
  }

  /// 022's dump (after `echo m > /proc/sysrq-trigger`): a healthy 4 GiB machine with 1.1 GiB
  /// free in DMA32, Normal above its min, 23 % of free memory CMA, no swap with anon at 13 % of
  /// RAM, and blocks up to order 11: no request, no finding.
  @Test func sysrqDumpIsAShowmemReportWithItsZones() throws {
    let reports = ReportExplanation.explainAll(
      in: try Self.text(Self.sysrqPath), file: Self.sysrqPath)
    #expect(reports.map(\.kind) == [.showmem])
    let report = try #require(reports.first)
    #expect(report.line == 8 && report.lastLine == 34)
    #expect(report.task == nil && report.order == nil && report.gfp == nil && report.victim == nil)
    #expect(report.zones?.map(\.zone) == ["DMA32", "Normal"])
    #expect(report.zones?.map(\.freeKB) == [1_134_516, 32544])
    #expect(report.zones?.map(\.freeCmaKB) == [270004, 0])
    #expect(report.zones?.first?.freeAreas?.count == 12)
    #expect(report.findings.isEmpty, "\(report.findings.map(\.id))")
    #expect(
      report.text(number: 1).hasPrefix(
        "report 1: showmem, lines 8-34, kernel unknown, at 5091.850787 s\n"
          + "    zone    free kB  min kB  low kB  high kB  free_cma kB  largest free\n"
          + "    DMA32   1134516   24436   30544    36652       270004  order 11 (MC)\n"
          + "    Normal    32544   20616   25768    30920            0  order 8 (M)\n"
          + "  no findings: nothing in the machine state the rules flag\n"))
  }

  /// The same dump after a `sysrq: Show Memory` line, edited: Normal down to 12544 kB (below
  /// its min of 20616 kB) and DMA32's free CMA up to 1000000 kB of its 1134516 kB.
  @Test func machineStateFindingsOfAnEditedDump() throws {
    var text = try Self.text(Self.sysrqPath)
    text = text.replacingOccurrences(
      of: "echo m > /proc/sysrq-trigger", with: "[ 5091.850780] sysrq: Show Memory")
    text = text.replacingOccurrences(of: "Normal free:32544kB", with: "Normal free:12544kB")
    text = text.replacingOccurrences(of: "free_cma:270004kB", with: "free_cma:1000000kB")
    let report = try #require(ReportExplanation.explainAll(in: text).first)
    #expect(report.kind == .showmem)
    #expect(report.findings.map(\.id) == ["cma-unusable", "below-watermark"])
    let below = try #require(report.findings.last)
    #expect(below.title.hasPrefix("Normal at or below the min watermark"))
    #expect(below.evidence.contains("line 20: Normal: free 12544kB, min 20616kB: at or below min"))
    #expect(
      below.evidence.contains("line 18: DMA32: free 1134516kB, min 24436kB: above min"))
    #expect(below.weight == 40)
    let cma = try #require(report.findings.first)
    #expect(
      cma.title.hasPrefix("1000000 kB (976.6 MiB) of the 1147060 kB (1120.2 MiB) free is CMA"))
  }

  /// The dump edited to hold two free 1 GiB huge pages (2 GiB of the 4 GiB RAM) and a full
  /// 1 GiB swap: the machine-state findings of the reports apply to a dump too.
  @Test func hugetlbAndSwapInADump() throws {
    var text = try Self.text(Self.sysrqPath)
    text = text.replacingOccurrences(
      of: "hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB",
      with: "hugepages_total=2 hugepages_free=2 hugepages_surp=0 hugepages_size=1048576kB")
    text = text.replacingOccurrences(of: "Total swap = 0kB", with: "Total swap = 1048576kB")
    let report = try #require(ReportExplanation.explainAll(in: text).first)
    #expect(report.findings.map(\.id) == ["hugetlb-reserved", "swap-exhausted"])
    #expect(report.findings.first?.title.contains("50% of RAM") == true)
    #expect(report.findings.first?.weight == 85)
    #expect(
      report.findings.last?.evidence.first
        == "line 29: Free swap = 0kB of line 30: Total swap = 1048576kB (100% used)")
    #expect(report.findings.last?.weight == 50)
  }

  /// The dump with every free block split into pages: 1.1 GiB free, above the high
  /// watermarks, and nothing of order 4 or more.
  @Test func fragmentedFreeMemory() throws {
    var lines = try Self.text(Self.sysrqPath).split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .map(String.init)
    let zeros = (1...11).map { "0*\(4 << $0)kB" }.joined(separator: " ")
    #expect(lines[21].hasPrefix("[ 5091.850887] DMA32: "))
    lines[21] = "[ 5091.850887] DMA32: 283629*4kB (UME) \(zeros) = 1134516kB"
    #expect(lines[22].hasPrefix("[ 5091.850950] Normal: "))
    lines[22] = "[ 5091.850950] Normal: 8136*4kB (UME) \(zeros) = 32544kB"
    let report = try #require(
      ReportExplanation.explainAll(in: lines.joined(separator: "\n")).first)
    #expect(report.findings.map(\.id) == ["fragmentation"])
    #expect(report.findings.first?.title.contains("no free block of order 4 or higher") == true)
  }

  /// A log with an OOM report and a SysRq-m dump after it: two reports in log order, the
  /// OOM's own block not repeated as a `showmem`.
  @Test func showmemAfterAnOOMReportInLogOrder() throws {
    let oom = try Self.text("corpus/posted/004-oom-2.6.31-i386.log")
    let dump = try Self.text(Self.sysrqPath)
    let reports = ReportExplanation.explainAll(in: oom + "\n" + dump)
    #expect(reports.map(\.kind) == [.oom, .showmem])
    #expect(reports.first?.zones?.map(\.zone) == ["DMA", "Normal", "HighMem"])
    let oomLines = oom.split(separator: "\n", omittingEmptySubsequences: false).count
    #expect(reports.last?.line == oomLines + 8)
    #expect(reports.last?.zones?.map(\.zone) == ["DMA32", "Normal"])
  }

  /// 008's quoted OOM report is cut by the replier's comment after its header: the block after
  /// the stack dump belongs to that report, so it is no `showmem`.
  @Test func aBlockAfterAStackDumpIsNoShowmem() throws {
    let path = "corpus/posted/008-oom-4.7.0-x86_64.log"
    let reports = ReportExplanation.explainAll(in: try Self.text(path), file: path)
    #expect(reports.map(\.kind) == [.oom, .oom])
  }
}
