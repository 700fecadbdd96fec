import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing
import _MMUtilities

/// Damaged input never crashes the finder, and a report cut short keeps what it has and says
/// what is missing.
struct DmesgRobustnessTests {
  static let reportFiles: [URL] = DmesgCorpusTests.logs.filter {
    DmesgCorpusTests.expectedCounts[Fixtures.relativePath($0)] != nil
  }

  /// Bytes that steer the parsers into their branches when sprinkled into a log.
  static let alphabet = Array("0123456789 \n:=()*kB[]>#.,-?/\tx".utf8) + [0xFF, 0x00, 0xC3]

  @Test(arguments: 0..<64 as Range<UInt64>)
  func randomCorruptionNeverCrashes(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    let file = Self.reportFiles[Int(seed) % Self.reportFiles.count]
    var bytes = Array(try Fixtures.text(of: file).utf8)
    let snippets = [
      "Mem-Info:\n", "page allocation failure: order:", ", mode:0x", "lowmem_reserve[]:",
      "Node 0 DMA: 1*4kB (U", "= 3D", "cpuset=", "warn_alloc+0x1/0x2\n", "CPU: 1 PID: ",
    ]
    for _ in 0..<Int.random(in: 1...60, using: &random) {
      guard !bytes.isEmpty else { break }
      let at = Int.random(in: 0..<bytes.count, using: &random)
      switch Int.random(in: 0..<4, using: &random) {
      case 0: bytes[at] = Self.alphabet.randomElement(using: &random) ?? 0x20
      case 1:
        bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...200, using: &random)))
      case 2: bytes.insert(contentsOf: (snippets.randomElement(using: &random) ?? "").utf8, at: at)
      default: bytes[at] = UInt8.random(in: 0...255, using: &random)
      }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
    for found in AllocFailureReport.findAll(in: text) {
      #expect(found.lines.lowerBound >= 1)
      #expect(found.lines.upperBound <= lineCount)
      #expect(found.report.headerLines == found.report.headerLines.sorted())
      let rendered = found.report.render()
      _ = AllocFailureReport.findAll(in: rendered, kernel: found.kernel, stripsPrefixes: false)
      _ = try? AllocFailureReport(parsing: rendered)
    }
    for found in ShowMem.findAll(in: text) {
      #expect(found.lines.lowerBound >= 1 && found.lines.upperBound <= lineCount)
      _ = try? ShowMem(parsing: found.showMem.render())
    }
    _ = try? WarnAllocHeader(parsing: text)
  }

  /// The ground-truth report cut at every line: still found, never with more than it had.
  @Test func truncationKeepsWhatWasRead() throws {
    let file = Fixtures.root.appendingPathComponent(
      "ground-truth/alloc-failure/m512M/reports/01-alloc-failure.txt")
    let lines = try Fixtures.lines(of: file).filter { !$0.isEmpty }
    let whole = try #require(AllocFailureReport.findAll(in: lines.joined(separator: "\n")).first)
    for count in 1..<lines.count {
      let found = AllocFailureReport.findAll(in: lines.prefix(count).joined(separator: "\n"))
      #expect(found.count == 1, "cut after \(count) lines")
      guard let report = found.first?.report else { continue }
      #expect(report.header == whole.report.header)
      #expect(report.trace == Array(whole.report.trace.prefix(report.trace.count)))
      let blockLines = report.showMem?.lines ?? []
      #expect(blockLines == Array((whole.report.showMem?.lines ?? []).prefix(blockLines.count)))
      if count < lines.count - 3 {
        #expect(found.first?.problems.isEmpty == false, "cut after \(count) lines")
      }
    }
  }

  /// A header cut anywhere gives a report with what was read and a problem naming what is
  /// missing; numbers that were read are never other than the ones printed.
  @Test func aTruncatedHeaderListsItsProblems() throws {
    let line =
      "cat: page allocation failure: order:5, mode:0x40dc0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO), "
      + "nodemask=(null),cpuset=lxc,mems_allowed=0"
    let task = "CPU: 0 PID: 2034240 Comm: cat Tainted: G         C        5.10.2 #80"
    let utf8 = Array(line.utf8)
    for cut in 30..<utf8.count {
      let text = "[1.0] " + String(decoding: utf8.prefix(cut), as: UTF8.self) + "\n[1.1] " + task
      let found = AllocFailureReport.findAll(in: text)
      #expect(found.count == 1, "cut at \(cut)")
      guard let first = found.first, let header = first.report.header else {
        Issue.record("cut at \(cut): no header")
        continue
      }
      #expect(first.report.task?.comm == "cat")
      #expect(header.comm == "cat" && header.message == .pageAllocationFailure)
      if let order = header.order { #expect(order == 5, "cut at \(cut)") }
      if let names = header.gfpNames { #expect(names == "GFP_KERNEL|__GFP_COMP|__GFP_ZERO") }
      // A cut number is flagged, never passed off as whole.
      let problems = first.problems.filter { !$0.reason.hasPrefix("no Mem-Info") }
      if let mask = header.gfpMask, mask != 0x40dc0 { #expect(!problems.isEmpty, "cut at \(cut)") }
      if header.memsAllowed == nil, header.cpuset != nil || header.nodemask == nil {
        #expect(!problems.isEmpty, "cut at \(cut): \(header)")
      }
    }
    let short = try #require(
      AllocFailureReport.findAll(in: "cat: page allocation failure: ord\n").first)
    #expect(short.report.header?.order == nil && short.report.header?.gfpMask == nil)
    #expect(short.problems.first?.reason == "the header ends here; expected more of the message")
  }

  /// A fragment that is joined and then cut off again is not joined a second time (this looped
  /// without end, growing the problem list, before the fix).
  @Test(.timeLimit(.minutes(1)))
  func aFragmentThatDoesNotFitIsTriedOnce() throws {
    let text = "[1.0] a: page allocation failure: order:1,\n[1.1] , mode:0x1\n"
    let found = try #require(AllocFailureReport.findAll(in: text).first)
    #expect(found.report.header?.order == 1 && found.report.header?.gfpMask == nil)
    #expect(found.problems.map(\.reason).contains("expected ', mode:'"))
  }

  @Test func aShowMemCutShortSaysSo() throws {
    let text = "[1.0] Mem-Info:\n[1.0] Node 0 DMA free:2944kB boost:0kB min:9\n"
    let found = try #require(ShowMem.findAll(in: text).first)
    #expect(found.showMem.zones.first?["min"] == 9)
    #expect(
      found.problems.map(\.reason) == [
        "the line ends before its last field; its last value may be cut short",
        "the Mem-Info block ends before its page totals (cut short?)",
      ])
  }
}
