import Foundation
import MMDiagnose
import MMTestSupport
import Testing
import _MMUtilities

/// Damaged logs (cut, shuffled, overwritten, padded with huge lines and binary garbage) are
/// explained without a crash or a hang, and what is found stays inside the text.
///
/// Serialized: the cases are CPU-bound and would crowd out other suites' time limits.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ExplainRobustnessTests {
  static let logs: [URL] =
    Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }
    + Fixtures.files(under: "ground-truth").filter { $0.path.contains("/reports/") }

  /// One mutation of a log's lines, chosen by `random`.
  static func mutate(_ lines: [String], _ random: inout SplitMix64) -> [String] {
    var lines = lines
    guard !lines.isEmpty else { return lines }
    let at = Int(random.next() % UInt64(lines.count))
    switch random.next() % 7 {
    case 0:  // cut the log at a line, and that line in the middle
      let line = lines[at]
      lines = Array(lines[..<at]) + [String(line.prefix(Int(random.next() % 40)))]
    case 1:  // drop a run of lines
      lines.removeSubrange(at..<min(lines.count, at + 1 + Int(random.next() % 8)))
    case 2:  // swap two lines
      lines.swapAt(at, Int(random.next() % UInt64(lines.count)))
    case 3:  // overwrite bytes of a line
      var bytes = Array(lines[at].utf8)
      for _ in 0..<4 where !bytes.isEmpty {
        bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
      }
      lines[at] = String(decoding: bytes, as: UTF8.self)
    case 4:  // a 100 KB line
      lines.insert(String(repeating: "free:1 ", count: 100_000 / 7), at: at)
    case 5:  // binary garbage
      let garbage = (0..<512).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      lines.insert(String(decoding: garbage, as: UTF8.self), at: at)
    default:  // digits turned into numbers near Int.max
      lines[at] = lines[at].replacingOccurrences(of: "0", with: "999999999999999999")
    }
    return lines
  }

  @Test(arguments: logs)
  func mutatedLogsNeverCrash(file: URL) throws {
    var random = SplitMix64(seed: UInt64(truncatingIfNeeded: file.path.utf8.count) &* 7919)
    var lines = try Fixtures.lines(of: file)
    // Two rounds of two mutations each, explained after every round.
    for _ in 0..<2 {
      lines = Self.mutate(Self.mutate(lines, &random), &random)
      let text = lines.joined(separator: "\n")
      // Garbage may hold newlines of its own.
      let lineCount = text.utf8.count { $0 == UInt8(ascii: "\n") } + 1
      for report in ReportExplanation.explainAll(in: text) {
        #expect(1 <= report.line && report.line <= report.lastLine)
        #expect(report.lastLine <= lineCount)
        for finding in report.findings {
          #expect(!finding.id.isEmpty && !finding.evidence.isEmpty && !finding.remedy.isEmpty)
        }
      }
    }
  }

  /// Numbers up to Int.max in every field the rules add, multiply or compare.
  @Test func hugeNumbersDoNotOverflow() throws {
    let max = String(Int.max)
    let seed = try Fixtures.text(
      of: Fixtures.root.appendingPathComponent("corpus/exact/seed-csky-4.9.56-order10-atomic.log"))
    let alloc =
      seed
      .replacingOccurrences(of: "free:248344kB", with: "free:\(max)kB")
      .replacingOccurrences(of: "free_cma:240936kB", with: "free_cma:\(max)kB")
      .replacingOccurrences(of: "min:2444kB", with: "min:\(max)kB")
      .replacingOccurrences(
        of: "lowmem_reserve[]: 0 0 0", with: "lowmem_reserve[]: \(max) \(max) \(max)"
      )
      .replacingOccurrences(of: "58*4096kB", with: "\(max)*4096kB")
      .replacingOccurrences(
        of: "free:62086 free_pcp:199 free_cma:60234",
        with: "free:\(max) free_pcp:199 free_cma:\(max)")
    #expect(ReportExplanation.explainAll(in: alloc).count == 1)
    let order63 = seed.replacingOccurrences(of: "order:10,", with: "order:63,")
    let report = try #require(ReportExplanation.explainAll(in: order63).first)
    #expect(report.order == 63)
    #expect(report.findings.map(\.id) == ["atomic-context", "costly-order"])
    let oom = try Fixtures.text(
      of: Fixtures.root.appendingPathComponent(
        "ground-truth/oom-victim/default/reports/02-oom.txt"))
    let huge =
      oom
      .replacingOccurrences(
        of: "15628    15539   159744        0", with: "15628 \(max) \(max) \(max)"
      )
      .replacingOccurrences(
        of: "42508    42269   376832        0", with: "42508 \(max) \(max) \(max)"
      )
      .replacingOccurrences(of: "130942 pages RAM", with: "\(max) pages RAM")
    #expect(ReportExplanation.explainAll(in: huge).count == 1)
  }

  @Test func emptyAndUnrelatedTextHoldNoReports() {
    #expect(ReportExplanation.explainAll(in: "").isEmpty)
    #expect(ReportExplanation.explainAll(in: "[    0.000000] Linux version 6.1.0\n").isEmpty)
  }
}
