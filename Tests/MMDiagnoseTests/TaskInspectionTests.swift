import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// `oomlab inspect`'s task check against real kernels: whom the model says a global OOM would
/// kill, from the last snapshot before each run's first kill, beside whom the kernel killed.
@Suite(.timeLimit(.minutes(1)))
struct TaskInspectionTests {
  /// The first kill of a run, from its `oom-summary.txt` (the kernel's own lines).
  struct Kill {
    /// The message before `: Killed process` (`Out of memory`, …).
    var message: String
    var pid: Int
    var comm: String
    /// The task that invoked the OOM killer.
    var invoker: String
  }

  static func firstKill(in summary: String) throws -> Kill? {
    let lines = summary.split(separator: "\n").map(String.init)
    guard let killed = lines.first(where: { $0.contains(": Killed process ") }) else {
      return nil
    }
    let invoked = try #require(lines.first { $0.contains(" invoked oom-killer: ") })
    let afterStamp = try #require(killed.range(of: "] ")).upperBound
    let marker = try #require(killed.range(of: ": Killed process "))
    let rest = killed[marker.upperBound...]
    let open = try #require(rest.firstIndex(of: "("))
    let close = try #require(rest.firstIndex(of: ")"))
    let invokerStart = try #require(invoked.range(of: "] ")).upperBound
    let invokerEnd = try #require(invoked.range(of: " invoked oom-killer")).lowerBound
    return Kill(
      message: String(killed[afterStamp..<marker.lowerBound]),
      pid: try #require(Int(rest[..<open].trimmingCharacters(in: .whitespaces))),
      comm: String(rest[rest.index(after: open)..<close]),
      invoker: String(invoked[invokerStart..<invokerEnd]))
  }

  /// The model's inspection of one captured `/proc` folder.
  static func inspect(_ folder: URL) throws -> TaskInspection? {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    let processes = try names.compactMap(Int.init).map { pid in
      let directory = folder.appendingPathComponent(String(pid))
      var files: [String: String] = [:]
      for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
        files[name] = try Fixtures.text(of: directory.appendingPathComponent(name))
      }
      return try ProcessEntry(pid: pid, parsing: files)
    }
    let sysctls = folder.appendingPathComponent("sys/vm")
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: sysctls.path) {
      files[name] = try Fixtures.text(of: sysctls.appendingPathComponent(name))
    }
    let banner = try Fixtures.text(of: folder.appendingPathComponent("version"))
    return TaskInspection(
      processes: processes,
      memInfo: try MemInfo(parsing: Fixtures.text(of: folder.appendingPathComponent("meminfo"))),
      sysVM: try SysVM(parsing: files), kernel: try #require(KernelVersion.find(inLogLine: banner)))
  }

  /// `oom_kill` of the snapshot's `vmstat`: kills so far.
  static func kills(_ folder: URL) throws -> Int {
    let text = try Fixtures.text(of: folder.appendingPathComponent("vmstat"))
    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("oom_kill ") })
    return try #require(Int(line.dropFirst("oom_kill ".count)))
  }

  /// Every run that recorded a kill and has a snapshot with tasks taken before it (its vmstat
  /// `oom_kill` still 0): the latest such snapshot predicts the kernel's first victim.
  @Test func predictedVictimIsTheKernelsFirstVictim() throws {
    let summaries = Fixtures.files(under: "ground-truth").filter {
      $0.lastPathComponent == "oom-summary.txt"
    }
    var checked: [String] = []
    for summary in summaries {
      guard let kill = try Self.firstKill(in: Fixtures.text(of: summary)) else { continue }
      let run = summary.deletingLastPathComponent()
      let before = try Fixtures.procFolders(holding: "meminfo")
        .filter { $0.path.hasPrefix(run.path + "/") }
        .filter { folder in
          try FileManager.default.contentsOfDirectory(atPath: folder.path).contains {
            Int($0) != nil
          }
        }
        .filter { try Self.kills($0) == 0 }
      guard let snapshot = before.last else { continue }
      let name = Fixtures.relativePath(snapshot)
      let inspection = try #require(try Self.inspect(snapshot), "\(name)")
      let captured = inspection.tasks.contains { $0.pid == kill.pid }
      if kill.message == "Out of memory (oom_kill_allocating_task)" {
        #expect(inspection.oomDecision == .killAllocatingTask, "\(name)")
        #expect(kill.comm == kill.invoker, "\(name)")
      } else if captured {
        #expect(inspection.oomDecision == .killVictim, "\(name)")
        #expect(inspection.oomVictim?.pid == kill.pid, "\(name): kernel killed \(kill.pid)")
        #expect(inspection.oomVictim?.comm == kill.comm, "\(name)")
      } else {
        // The victim was started after the snapshot; no captured task may be eligible.
        #expect(inspection.oomVictim == nil, "\(name): kernel killed \(kill.pid) (\(kill.comm))")
      }
      checked.append(name)
    }
    #expect(
      checked == [
        "ground-truth/cma-arm64/movable-cma0/01-near-oom/proc",
        "ground-truth/cma-arm64/movable-cma256M-holder-unkillable/01-near-oom/proc",
        "ground-truth/cma-arm64/movable-cma256M/01-near-oom/proc",
        "ground-truth/oom-kill-allocating-task/hog-killable/01-holders-ready/proc",
        "ground-truth/oom-victim/default/01-holders-ready/proc",
      ])
  }

  @Test func holdersReadyNamesVictimRunnerUpAndWhy() throws {
    let folder = Fixtures.groundTruth.appendingPathComponent(
      "oom-victim/default/01-holders-ready/proc")
    let inspection = try #require(try Self.inspect(folder))
    #expect(inspection.oomTotalPages == 107_888)
    #expect(inspection.tasks.map(\.pid) == [249, 253, 258, 264])
    #expect(inspection.tasks.map(\.badnessPages) == [15578, 76749, -22578, nil])
    #expect(inspection.differences.isEmpty)
    #expect(inspection.oomVictim?.pid == 253)
    #expect(inspection.oomVictim?.badnessPages == 76749)
    #expect(inspection.oomRunnerUp?.pid == 249)
    let text = inspection.text
    #expect(
      text.contains("253  23195     0        54    500    76749       1140   1140  holder1\n"))
    #expect(text.contains("holder3 (never: oom_score_adj -1000)"))
    #expect(text.contains("model agrees with your kernel: every task's oom_score"))
    #expect(
      text.contains(
        "OOM killer would kill now: 253 (holder1), rss 23195 + swap 0 + page tables 54 + adj "
          + "500 × 107 (totalpages / 1000) = 76749 pages\n"))
    #expect(text.contains("runner-up: 249 (holder0)"))
  }

  @Test func aDifferenceIsShownWithBothValues() throws {
    let status = ProcessStatus(
      name: "x", vmRSS: 4000, rssAnon: 4000, rssFile: 0, rssShmem: 0, vmPTE: 0, vmSwap: 0)
    let entry = ProcessEntry(pid: 5, status: status, comm: "x", oomScore: 700, oomScoreAdj: 0)
    let inspection = try #require(
      TaskInspection(
        processes: [entry], memInfo: MemInfo(fields: [.init(name: "MemTotal", value: 400_000)]),
        sysVM: SysVM(panicOnOOM: 1), kernel: KernelVersion(6, 1)))
    #expect(inspection.tasks.first?.oomScore.model == 673)
    #expect(inspection.differences.map(\.pid) == [5])
    #expect(inspection.oomDecision == .panic)
    #expect(inspection.text.contains("- 5 (x): oom_score kernel 700, model 673"))
    #expect(inspection.text.contains("would panic"))
  }

  @Test func noMemTotalOrNoStatusGivesNoSection() {
    let entry = ProcessEntry(pid: 5, comm: "x", oomScore: 0)
    #expect(
      TaskInspection(
        processes: [entry], memInfo: MemInfo(fields: [.init(name: "MemTotal", value: 1000)]),
        sysVM: SysVM(), kernel: KernelVersion(6, 1)) == nil)
    #expect(
      TaskInspection(
        processes: [ProcessEntry(pid: 5, status: ProcessStatus(name: "x"))],
        memInfo: MemInfo(fields: []), sysVM: SysVM(), kernel: KernelVersion(6, 1)) == nil)
  }
}
