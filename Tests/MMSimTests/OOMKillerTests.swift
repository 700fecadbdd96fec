import Foundation
import MMCore
import MMSim
import MMTestSupport
import MMText
import Testing

/// The simulated OOM killer: who is killed, by which policy, and when the kernel panics instead
/// (oom.md §2–§6).
@Suite(.timeLimit(.minutes(2)))
struct OOMKillerTests {
  /// A 64 MiB 6.1 machine without swap: `holders` (comm, pages, adj) fault in their memory, then
  /// a hog grows until the OOM killer has killed it.
  static func run(
    holders: [(String, Int, Int)], policy: OOMPolicy = OOMPolicy(), kernel: String = "6.1.0"
  ) throws -> SimulatedMachine {
    var machine = try SlowPathTests.machine(kernel: kernel)
    machine.oomPolicy = policy
    for (index, (comm, pages, adj)) in holders.enumerated() {
      let pid = 200 + index
      machine.addTask(SimulatedTask(pid: pid, comm: comm, oomScoreAdj: adj))
      #expect(machine.fault(pid: pid, pages: pages).pages == pages)
    }
    machine.addTask(SimulatedTask(pid: 475, comm: "hog"))
    _ = machine.fault(pid: 475, pages: 1 << 20)
    return machine
  }

  static func victims(_ machine: borrowing SimulatedMachine) -> [String] {
    machine.oomEvents.compactMap {
      if case .killed(let kill) = $0 { return kill.victim.task.comm }
      return nil
    }
  }

  @Test func theHighestBadnessDiesFirstAndAdjMinus1000Never() throws {
    let machine = try Self.run(holders: [
      ("holder0", 2000, 0), ("holder1", 1000, 500), ("holder3", 4000, -1000),
    ])
    // holder1: 1000 pages + 500 × (totalpages / 1000) beats the hog's ~8000 pages at the first
    // OOM; at the second the hog is the largest.
    #expect(Self.victims(machine) == ["holder1", "hog"])
    guard case .killed(let first)? = machine.oomEvents.first else {
      Issue.record("no kill")
      return
    }
    #expect(first.reason == .selected)
    #expect(first.invokedBy == 475)
    // The task table lists every process, the unkillable one too.
    #expect(first.tasks.map(\.comm) == ["holder0", "holder1", "holder3", "hog"])
    #expect(first.runnerUp?.task.comm == "hog")
    #expect(first.freedPages == 1000 + 2)
    #expect(machine.tasks.values.map(\.comm).sorted() == ["holder0", "holder3"])
    #expect(machine.memory.invariantViolations() == [])
  }

  /// `/proc/PID/oom_score` of simulated tasks, 5.9+ scale: (1000 + badness × 1000 / totalpages)
  /// × 2 / 3; adj −1000 shows 0, a thread its process's score.
  @Test func oomScoresFollowTheTasksMemoryAndAdj() throws {
    var machine = try SlowPathTests.machine()
    machine.addTask(SimulatedTask(pid: 10, comm: "big"))
    machine.addTask(SimulatedTask(pid: 11, comm: "shielded", oomScoreAdj: -1000))
    _ = machine.fault(pid: 10, pages: 4000)
    _ = machine.fault(pid: 11, pages: 4000)
    var thread = SimulatedTask(pid: 12, comm: "big-worker")
    thread.mm = 10
    machine.addTask(thread)
    let total = machine.memory.layout.zones.reduce(0) { $0 + $1.managed }
    let badness = 4000 + 8  // pages + page-table pages
    #expect(machine.oomScore(ofTask: 10) == (1000 + badness * 1000 / total) * 2 / 3)
    #expect(machine.oomScore(ofTask: 12) == machine.oomScore(ofTask: 10))
    #expect(machine.oomScore(ofTask: 11) == 0)
    #expect(machine.oomScore(ofTask: 99) == nil)
  }

  @Test func oomKillAllocatingTaskKillsTheHogAtOnce() throws {
    var policy = OOMPolicy()
    policy.killAllocatingTask = true
    let machine = try Self.run(holders: [("holder1", 1000, 500)], policy: policy)
    #expect(Self.victims(machine) == ["hog"])
    guard case .killed(let kill)? = machine.oomEvents.first else { return }
    #expect(kill.reason == .allocatingTask)
    #expect(kill.reason.message == "Out of memory (oom_kill_allocating_task)")
  }

  @Test(arguments: [
    (1, "Out of memory: system-wide panic_on_oom is enabled"),
    (2, "Out of memory: compulsory panic_on_oom is enabled"),
  ])
  func panicOnOOMPanicsInsteadOfKilling(setting: Int, message: String) throws {
    var policy = OOMPolicy()
    policy.panicOnOOM = setting
    let machine = try Self.run(holders: [("holder1", 1000, 500)], policy: policy)
    #expect(machine.oomEvents == [.panicked(message)])
    #expect(machine.tasks.count == 2)
  }

  @Test(arguments: [
    ("6.1.0", "System is deadlocked on memory"),
    ("4.19.0", "Out of memory and no killable processes..."),
  ])
  func nothingKillableIsAPanic(kernel: String, message: String) throws {
    var machine = try SlowPathTests.machine(kernel: kernel)
    // Faults beyond the mapped pages are accounted heap growth; before 5.2 the mode-0 heuristic
    // would refuse it once free memory runs low, so overcommit is unlimited here.
    machine.writeOvercommitMemory(.always)
    machine.addTask(SimulatedTask(pid: 300, comm: "sshd", oomScoreAdj: -1000))
    let fault = machine.fault(pid: 300, pages: 1 << 20)
    #expect(fault.stoppedBy?.outcome == .panicked(message))
    #expect(machine.oomEvents == [.panicked(message)])
  }
}

/// The ground-truth OOM runs (Debian 6.1.192, 512 MiB, no swap) played again: the same holders
/// with the RSS and `oom_score_adj` their /proc showed, then a hog that grows.
extension OOMKillerTests {
  /// A holder of a captured run: pid, comm, resident anonymous pages, oom_score_adj.
  static func holders(_ run: String) throws -> [(Int, String, Int, Int)] {
    let proc = Fixtures.groundTruth.appendingPathComponent(run)
      .appendingPathComponent("01-holders-ready/proc")
    let pids = try FileManager.default.contentsOfDirectory(atPath: proc.path)
      .compactMap(Int.init).sorted()
    return try pids.map { pid in
      let folder = proc.appendingPathComponent(String(pid))
      var files: [String: String] = [:]
      for name in ["status", "oom_score_adj"] {
        files[name] = try Fixtures.text(of: folder.appendingPathComponent(name))
      }
      let entry = try ProcessEntry(pid: pid, parsing: files, directory: folder.path)
      let status = try #require(entry.status)
      return (
        pid, try #require(status.name), try #require(status.rssAnon) / 4,
        try #require(entry.oomScoreAdj)
      )
    }
  }

  /// The run played again; returns the machine after the hog's end.
  static func replayMachine(_ run: String, policy: OOMPolicy) throws -> SimulatedMachine {
    var machine = SimulatedMachine(
      layout: .fromRAM(512 << 20, architecture: .x86_64),
      rules: AllocatorRules(kernel: try KernelVersion(parsing: "6.1.0")))
    machine.oomPolicy = policy
    for (pid, comm, pages, adj) in try holders(run) {
      machine.addTask(SimulatedTask(pid: pid, comm: comm, oomScoreAdj: adj))
      #expect(machine.fault(pid: pid, pages: pages).pages == pages)
    }
    machine.addTask(SimulatedTask(pid: 475, comm: "hog"))
    _ = machine.fault(pid: 475, pages: 1 << 20)
    return machine
  }

  static func replay(_ run: String, policy: OOMPolicy) throws -> [String] {
    victims(try replayMachine(run, policy: policy))
  }

  /// The kinds of a report's lines, without the lines kept as text (stack frames, registers).
  static func shape(_ report: OOMReport) -> [String] {
    report.lines.compactMap { line in
      if case .text = line { return nil }
      return String(describing: line).prefix { $0 != "(" }.description
    }
  }

  /// A memcg line's kind and name: `counter:memory`, `stats`, `stat:anon`.
  static func memcgKind(_ line: MemcgOOMLine) -> String {
    switch line {
    case .counter(let counter): "counter:\(counter.name)"
    case .stats: "stats"
    case .stat(let value): "stat:\(value.name)"
    case .taskIn: "taskIn"
    }
  }

  /// The first report the kernel printed in a run.
  static func kernelReport(_ run: String, number: Int = 1) throws -> OOMReport {
    let text = try Fixtures.text(
      of: Fixtures.groundTruth.appendingPathComponent(run)
        .appendingPathComponent("reports/0\(number)-oom.txt"))
    return try #require(OOMReport.findAll(in: text).first?.report)
  }

  /// The kernel killed holder1 (adj 500), then the hog (oom-victim/default/oom-summary.txt).
  @Test func theOOMVictimRunKillsTheKernelsVictims() throws {
    let holders = try Self.holders("oom-victim/default")
    #expect(holders.map(\.1) == ["holder0", "holder1", "holder2", "holder3"])
    #expect(try Self.replay("oom-victim/default", policy: OOMPolicy()) == ["holder1", "hog"])
  }

  /// With `oom_kill_allocating_task` the kernel killed the hog at once
  /// (oom-kill-allocating-task/hog-killable/oom-summary.txt).
  @Test func theAllocatingTaskRunKillsTheHog() throws {
    var policy = OOMPolicy()
    policy.killAllocatingTask = true
    #expect(
      try Self.replay("oom-kill-allocating-task/hog-killable", policy: policy) == ["hog"])
  }

  /// The simulator's report of the first kill against the kernel's: the same header, the same
  /// lines in the same order, a task table with the same columns and tasks, the same summary,
  /// and a kill line for the same process; it parses back into the same value.
  @Test func theOOMVictimReportMatchesTheKernels() throws {
    let machine = try Self.replayMachine("oom-victim/default", policy: OOMPolicy())
    let ours = try #require(machine.oomReports.first)
    let theirs = try Self.kernelReport("oom-victim/default")
    #expect(ours.header == theirs.header)
    #expect(Self.shape(ours) == Self.shape(theirs))
    #expect(ours.taskTableLayout == theirs.taskTableLayout)
    #expect(ours.tasks.map(\.name) == theirs.tasks.map(\.name))
    #expect(ours.tasks.map(\.pid) == theirs.tasks.map(\.pid))
    #expect(ours.tasks.map(\.oomScoreAdj) == theirs.tasks.map(\.oomScoreAdj))
    #expect(ours.summary == theirs.summary)
    #expect(ours.killed?.pid == theirs.killed?.pid)
    #expect(ours.killed?.comm == theirs.killed?.comm)
    #expect(ours.killed?.message == theirs.killed?.message)
    #expect(ours.killed?.oomScoreAdj == theirs.killed?.oomScoreAdj)
    #expect(try OOMReport(parsing: ours.render()).withoutSourceLines == ours)
  }

  /// The memcg run's reports have the kernel's shape: the memcg counters and stats instead of
  /// `Mem-Info:`, the group's tasks only, and for `/t3` the `memory.oom.group` kills.
  @Test(arguments: [1, 4])
  func theMemcgReportsMatchTheKernelsShape(number: Int) throws {
    var machine = try MemcgTests.machine()
    try MemcgTests.playTheGroundTruthRun(&machine)
    let ours = machine.oomReports[number - 1]
    let theirs = try Self.kernelReport("memcg-oom/max64M", number: number)
    #expect(Self.shape(ours) == Self.shape(theirs))
    #expect(ours.header == theirs.header)
    #expect(ours.summary == theirs.summary)
    #expect(ours.memcg.map(Self.memcgKind) == theirs.memcg.map(Self.memcgKind))
    #expect(ours.memcgCounter("memory")?.limitKilobytes == 65536)
    #expect(ours.tasks.map(\.name) == theirs.tasks.map(\.name))
    #expect(try OOMReport(parsing: ours.render()).withoutSourceLines == ours)
  }
}
