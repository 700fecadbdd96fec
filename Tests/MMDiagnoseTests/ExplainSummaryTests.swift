import Foundation
import MMDiagnose
import MMTestSupport
import Testing

/// The summary above a log's reports: kinds, first and last, causes, requests and victims.
struct ExplainSummaryTests {
  func explain(_ path: String) throws -> [ReportExplanation] {
    let file = Fixtures.root.appendingPathComponent(path)
    return ReportExplanation.explainAll(in: try Fixtures.text(of: file), file: path)
  }

  /// Three CPUs failing order-0 GFP_ATOMIC requests at once (Debian 4.9): one cause, three
  /// requests, stamped a few microseconds apart.
  @Test func threeAtomicFailures() throws {
    let summary = ExplainSummary(
      try explain("corpus/posted/034-allocfail-4.9.0-5-amd64-x86_64.log"))
    #expect(summary.reportCount == 3)
    #expect(summary.kinds == [.init(name: "allocfail", count: 3)])
    #expect(summary.causes == [.init(name: "atomic-context", count: 3)])
    #expect(
      summary.requests.map(\.name) == [
        "? order 0 GFP_ATOMIC", "swapper/20 order 0 GFP_ATOMIC", "swapper/12 order 0 GFP_ATOMIC",
      ])
    #expect(summary.victims.isEmpty)
    #expect(summary.first == "line 7, uptime 2836069.534658 s")
    #expect(summary.last == "line 11, uptime 2836069.534672 s")
  }

  /// Reports from several inputs: kinds in catalogue order, places name their file, the
  /// victims are counted by name.
  @Test func severalFilesAndKinds() throws {
    let oom = "corpus/posted/047-oom-5.10.179-x86_64.log"
    let seed = "corpus/exact/seed-csky-4.9.56-order10-atomic.log"
    let summary = ExplainSummary(try explain(oom) + explain(seed) + explain(oom))
    #expect(summary.reportCount == 5)
    #expect(summary.kinds == [.init(name: "allocfail", count: 1), .init(name: "oom", count: 4)])
    #expect(summary.causes.contains(.init(name: "cma-unusable", count: 1)))
    #expect(summary.victims == [.init(name: "dhclient", count: 2)])
    #expect(summary.first == "\(oom) line 14")
    #expect(summary.last?.hasPrefix("\(oom) line 18, uptime 244.953740 s") == true)
    #expect(summary.text.hasPrefix("5 reports: allocfail, oom ×4\n"))
    #expect(summary.text.contains("  killed: dhclient ×2\n"))
  }
}
