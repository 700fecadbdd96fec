import Foundation
import MMCore
import MMText
import Testing

/// `oomlab run` as a user runs it.
@Suite(.timeLimit(.minutes(3)))
struct RunCommandTests {
  /// `oomlab` with no arguments plays the seed case: the 4.9 order-10 GFP_ATOMIC|__GFP_COMP
  /// failure report, with CMA holding the free memory.
  @Test func theDefaultIsTheSeedCase() throws {
    let result = try GFPCommandTests().run()
    #expect(result.status == 0, "\(result.stderr)")
    let reports = AllocFailureReport.findAll(in: result.stdout)
    let report = try #require(reports.first?.report)
    #expect(reports.count == 1)
    #expect(report.header?.order == 10 && report.header?.gfpMask == 0x2084020)
    #expect(report.header?.gfpNames == "GFP_ATOMIC|__GFP_COMP")
    #expect(result.stdout.contains("CPU: 0 PID: 179 Comm: AiApp Not tainted 4.9.56 #1"))
    let normal = try #require(report.showMem?.freeAreas.first)
    #expect(normal.orders[10].migrateTypes == [.cma])
    #expect(result.stdout.contains("in CMA pageblocks"))
  }

  /// The same scenario gives byte-identical files.
  @Test func outputIsDeterministic() throws {
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("oomlab-run-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: base) }
    var trees: [[String: Data]] = []
    for run in ["a", "b"] {
      let out = base.appendingPathComponent(run)
      let result = try GFPCommandTests().run("run", "seed-cma-leak", "--out", out.path)
      #expect(result.status == 0, "\(result.stderr)")
      var files: [String: Data] = [:]
      let enumerator = FileManager.default.enumerator(atPath: out.path)
      while let path = enumerator?.nextObject() as? String {
        if let data = FileManager.default.contents(atPath: out.appendingPathComponent(path).path) {
          files[path] = data
        }
      }
      trees.append(files)
    }
    #expect(trees[0] == trees[1])
    for name in ["dmesg.log", "events.jsonl", "timeline.csv", "proc/65.000000-end/meminfo"] {
      #expect(trees[0][name]?.isEmpty == false, "\(name)")
    }
  }

  @Test func aBrokenScenarioIsAClearErrorWithStatus2() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("broken-\(ProcessInfo.processInfo.processIdentifier).yaml")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("name: x\nkernel: 6.1\nmachine:\n  ram: 64 MiB\ntimeline: []\nbogus: 1\n".utf8)
      .write(to: file)
    let result = try GFPCommandTests().run("run", file.path)
    #expect(result.status == 2)
    #expect(result.stderr.contains(file.path + ":6:1: bogus: unknown key"))
    let missing = try GFPCommandTests().run("run", "/nonexistent.yaml")
    #expect(missing.status == 2)
    let kernel = try GFPCommandTests().run("run", "--kernel", "banana")
    #expect(kernel.status == 2 && kernel.stderr.contains("--kernel: 'banana'"))
  }

  @Test func listNamesTheBundledScenarios() throws {
    let result = try GFPCommandTests().run("run", "--list")
    #expect(result.status == 0)
    let names = result.stdout.split(separator: "\n").map { $0.prefix { $0 != ":" } }
    #expect(
      names == [
        "container-memcg-oom", "desktop-oom-score-adj", "drop-caches-before-allocation",
        "fragmentation-compaction", "min-free-kbytes-atomic-burst", "seed-cma-leak",
        "strict-overcommit-malloc",
      ])
    #expect(result.stdout.contains("\nseed-cma-leak: An embedded board (kernel 4.9"))
  }
}
