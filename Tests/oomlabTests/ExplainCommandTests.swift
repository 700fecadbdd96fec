import Foundation
import MMTestSupport
import Testing

/// Runs `oomlab explain` as a user would: files and stdin in, text or JSON out, exit status.
@Suite(.timeLimit(.minutes(2)))
struct ExplainCommandTests {
  typealias Result = OOMLabProcess.Result

  static let seed = Fixtures.root.appendingPathComponent(
    "corpus/exact/seed-csky-4.9.56-order10-atomic.log"
  ).path
  static let memcg = Fixtures.root.appendingPathComponent(
    "ground-truth/memcg-oom/max64M/reports/01-oom.txt"
  ).path
  static let twoOOMs = Fixtures.root.appendingPathComponent(
    "corpus/posted/047-oom-5.10.179-x86_64.log"
  ).path

  func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
    try OOMLabProcess.run(["explain"] + arguments, stdin: stdin)
  }

  func json(_ result: Result) throws -> [[String: Any]] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
  }

  @Test func textNamesTheCauseFirst() throws {
    let result = try run([Self.seed])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "report 1: allocfail, lines 7-40, kernel 4.9.56, at 2161.623563 s")
    #expect(lines.contains("  task: xxxx (pid 179)"))
    // The key numbers: the zone against its watermarks, its CMA and its largest free block.
    #expect(
      lines.contains("    Normal   248344    2444    3052     3660       240936  order 10 (C)"))
    #expect(
      lines.contains(
        "  request: order 10, 0x2084020(GFP_ATOMIC|__GFP_COMP) decoded as 4.9.56 (given)"))
    let findings = lines.filter { $0.hasPrefix("  ") && $0.dropFirst(2).first?.isNumber == true }
    #expect(findings.first?.hasPrefix("  1. [cma-unusable] 240936 kB") == true)
    #expect(findings.contains { $0.hasPrefix("  3. [atomic-context]") })
  }

  @Test func jsonHasTheDocumentedShape() throws {
    let result = try run([Self.seed, "--json"])
    #expect(result.status == 0)
    let reports = try json(result)
    #expect(reports.count == 1)
    let report = try #require(reports.first)
    #expect(report["kind"] as? String == "allocfail")
    #expect(report["line"] as? Int == 7)
    #expect(report["kernel"] as? String == "4.9.56")
    #expect(report["order"] as? Int == 10)
    #expect(report["victim"] == nil)
    #expect((report["time"] as? [String: Any])?["uptime"] as? String == "2161.623563")
    let task = try #require(report["task"] as? [String: Any])
    #expect(task["pid"] as? Int == 179)
    #expect(task["comm"] as? String == "xxxx")
    let gfp = try #require(report["gfp"] as? [String: Any])
    #expect(gfp["mask"] as? String == "0x2084020")
    #expect(gfp["names"] as? String == "GFP_ATOMIC|__GFP_COMP")
    #expect(gfp["printedNames"] as? String == "GFP_ATOMIC|__GFP_COMP")
    let findings = try #require(report["findings"] as? [[String: Any]])
    #expect(
      findings.map { $0["id"] as? String } == [
        "cma-unusable", "fragmentation", "atomic-context", "costly-order",
      ])
    for finding in findings {
      #expect(finding["title"] is String)
      #expect((finding["evidence"] as? [String])?.isEmpty == false)
      #expect(finding["remedy"] is String)
    }
  }

  @Test func jsonGivesTheVictimOfAnOOM() throws {
    let reports = try json(try run([Self.memcg, "--json"]))
    let report = try #require(reports.first)
    #expect(report["kind"] as? String == "memcg")
    let victim = try #require(report["victim"] as? [String: Any])
    #expect(victim["pid"] as? Int == 262)
    #expect(victim["comm"] as? String == "hog")
    #expect(victim["anonRssKB"] as? Int == 65148)
    #expect(victim["fileRssKB"] as? Int == 4)
    #expect(victim["shmemRssKB"] as? Int == 700)
    let ids = (report["findings"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
    #expect(ids?.first == "memcg-limit")
    #expect(ids?.contains("victim-choice") == true)
  }

  @Test func readsStandardInputAndSeveralFiles() throws {
    let text = try Data(contentsOf: URL(fileURLWithPath: Self.seed))
    let piped = try json(try run(["--json"], stdin: text))
    #expect(piped.count == 1)
    #expect(piped.first?["file"] as? String == "-")
    let both = try json(try run([Self.seed, Self.twoOOMs, "--json"]))
    #expect(both.map { $0["kind"] as? String } == ["allocfail", "oom", "oom"])
    let text2 = try run([Self.seed, Self.twoOOMs])
    #expect(text2.stdout.contains("report 3: oom"))
  }

  /// Several reports: a summary first; `--report N` prints the Nth alone, with its number.
  @Test func summaryAndOneReport() throws {
    let all = try run([Self.twoOOMs])
    #expect(all.status == 0)
    let lines = all.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first == "2 reports: oom ×2")
    let killed = try #require(lines.first { $0.hasPrefix("  killed: ") })
    #expect(killed == "  killed: dhclient")
    #expect(all.stdout.contains("\nreport 1: oom") && all.stdout.contains("\nreport 2: oom"))

    let second = try run([Self.twoOOMs, "--report", "2"])
    #expect(second.status == 0)
    #expect(second.stdout.hasPrefix("report 2: oom, lines "))
    #expect(!second.stdout.contains("report 1:") && !second.stdout.contains("2 reports"))
    let secondJSON = try json(try run([Self.twoOOMs, "--report", "2", "--json"]))
    let allJSON = try json(try run([Self.twoOOMs, "--json"]))
    #expect(secondJSON.count == 1)
    #expect(secondJSON.first?["line"] as? Int == allJSON.last?["line"] as? Int)

    for bad in ["3", "0"] {
      let result = try run([Self.twoOOMs, "--report", bad])
      #expect(result.status == 2, "--report \(bad)")
      #expect(result.stderr.contains("--report \(bad): the input holds 2 report(s)"))
    }
    let none = try run(["--report", "1", "-"], stdin: Data("quiet\n".utf8))
    #expect(none.status == 2)
  }

  @Test func logWithoutReportsSucceedsEmpty() throws {
    let quiet = Data("[    0.000000] Linux version 6.1.0\n".utf8)
    let result = try run(["--json", "-"], stdin: quiet)
    #expect(result.status == 0)
    #expect(try json(result).isEmpty)
    #expect(try run([], stdin: quiet).stdout == "no allocation-failure or OOM report found\n")
  }

  @Test func missingFileExitsOne() throws {
    let result = try run(["/nonexistent/kern.log"])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("oomlab: cannot read /nonexistent/kern.log"))
  }

  @Test func badKernelExitsTwo() throws {
    let result = try run([Self.seed, "--kernel", "banana"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("oomlab: "))
  }
}
