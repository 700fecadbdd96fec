import Foundation
import MMCore
import MMSim
import MMTestSupport
import MMText
import Testing

/// The `mmap-probe` runs of `overcommit/m1G` (Debian 6.1.192, 1 GiB, 1 cpu, no swap) played on a
/// simulated machine through its `mmap` API: the machine is rebuilt from the run's boot capture,
/// the step's sysctls are written as the run wrote them, and the probe maps its chunks.
///
/// The rest of the system holds the Committed_AS of the step's meminfo (init's mapping); the
/// probe adds its own writable memory, the difference to the Committed_AS its `before:` line read,
/// and its VmSize is its `total_vm` (the other pages unaccounted: text, libraries).
@Suite(.timeLimit(.minutes(2)))
struct SimulatedOvercommitGroundTruthTests {
  static let run = OvercommitProbes.run

  static func proc(_ step: String) -> URL { run.appendingPathComponent(step + "/proc") }

  static func sysVM(_ folder: URL) throws -> SysVM {
    try SysVM(parsing: Fixtures.sysVMFiles(in: folder))
  }

  static func memInfo(_ folder: URL) throws -> MemInfo {
    try MemInfo(parsing: Fixtures.text(of: folder.appendingPathComponent("meminfo")))
  }

  /// The machine of the run's boot capture with the step's overcommit sysctls written, init
  /// holding the step's Committed_AS.
  static func machine(step: String) throws -> SimulatedMachine {
    let boot = proc("00-boot")
    var machine = try SimulatedMachine(
      zoneInfo: ZoneInfo(parsing: Fixtures.text(of: boot.appendingPathComponent("zoneinfo"))),
      pageTypeInfo: PageTypeInfo(
        parsing: Fixtures.text(of: boot.appendingPathComponent("pagetypeinfo"))),
      sysVM: sysVM(boot), rules: AllocatorRules(kernel: try KernelVersion(parsing: "6.1.0")))
    let folder = proc(step)
    let vm = try sysVM(folder)
    try machine.writeAdminReserveKbytes(try #require(vm.adminReserveKbytes))
    try machine.writeUserReserveKbytes(try #require(vm.userReserveKbytes))
    let kbytes = try #require(vm.overcommitKbytes)
    if kbytes != 0 {
      try machine.writeOvercommitKbytes(kbytes)
    } else {
      try machine.writeOvercommitRatio(try #require(vm.overcommitRatio))
    }
    let committedKB = try #require(try memInfo(folder).committedAS)
    machine.addTask(SimulatedTask(pid: 1, comm: "init", hasSysAdmin: true))
    try machine.mmap(pid: 1, pages: committedKB / 4)
    machine.writeOvercommitMemory(try #require(OvercommitMode(rawValue: vm.overcommitMemory ?? -1)))
    return machine
  }

  /// Starts the probe of `file` as its `mmap-probe:` and `before:` lines describe it.
  static func startProbe(_ file: URL, on machine: inout SimulatedMachine) throws -> Int {
    let header = try OvercommitProbes.fields("mmap-probe:", in: file)
    let before = try OvercommitProbes.fields("before:", in: file)
    let pid = try #require(header["pid"])
    var probe = SimulatedTask(
      pid: pid, comm: "mmap-probe", uid: try #require(header["uid"]),
      hasSysAdmin: header["euid"] == 0)
    let own = (try #require(before["Committed_AS_kb"]) - kilobytes(committedOf: machine)) / 4
    probe.totalVMPages = try #require(before["VmSize_kb"]) / 4 - own
    machine.addTask(probe)
    try machine.mmap(pid: pid, pages: own)
    return pid
  }

  static func kilobytes(committedOf machine: borrowing SimulatedMachine) -> Int {
    machine.memInfo().committedAS ?? -1
  }

  // MARK: - Setup

  static let steps = [
    "01-mode2-ratio50", "02-mode2-ratio80", "03-mode2-kbytes400000", "04-mode0", "05-mode1",
  ]

  /// The simulated /proc/meminfo shows the step's CommitLimit and Committed_AS, and the probe's
  /// start the Committed_AS its `before:` line read.
  @Test(arguments: steps)
  func meminfoShowsTheStepsCommitNumbers(step: String) throws {
    var machine = try Self.machine(step: step)
    let kernel = try Self.memInfo(Self.proc(step))
    #expect(machine.memInfo().commitLimit == kernel.commitLimit)
    #expect(machine.memInfo().committedAS == kernel.committedAS)
    let file = Self.run.appendingPathComponent(step + "/probe-single-max-root.txt")
    let alternative = Self.run.appendingPathComponent(step + "/probe-single-max-root-cap1T.txt")
    let probe = FileManager.default.fileExists(atPath: file.path) ? file : alternative
    let pid = try Self.startProbe(probe, on: &machine)
    #expect(
      Self.kilobytes(committedOf: machine)
        == (try OvercommitProbes.fields("before:", in: probe))["Committed_AS_kb"])
    #expect(
      machine.tasks[pid]?.totalVMPages
        == (try OvercommitProbes.fields("before:", in: probe))["VmSize_kb"].map { $0 / 4 })
    // The probe's exit gives its commitment back.
    machine.releaseMemory(ofTask: pid)
    #expect(machine.memInfo().committedAS == kernel.committedAS)
  }

  // MARK: - grow

  /// `mmap-probe [-M capMB] grow` on the machine: 1 MiB chunks doubling until the first
  /// failure, then halving after each failure down to one page, every mapping held.
  static func grow(pid: Int, on machine: inout SimulatedMachine, capMB: Int)
    -> OvercommitProbes.GrowResult
  {
    var result = OvercommitProbes.GrowResult()
    var chunk = 256
    var total = 0
    let cap = capMB * 256
    while true {
      if cap > 0 && total >= cap { break }
      if cap > 0 && total + chunk > cap { chunk = cap - total }
      do {
        try machine.mmap(pid: pid, pages: chunk)
        total += chunk
        result.mappings += 1
        if result.failures == 0 { chunk *= 2 }
        continue
      } catch {
        result.failures += 1
      }
      if result.failures == 1 {
        result.firstFailTotalKB = total * 4
        result.firstFailChunkKB = chunk * 4
        result.committedAtFirstFailureKB = kilobytes(committedOf: machine)
      }
      if chunk <= 1 { break }
      chunk /= 2
    }
    result.totalPages = total
    result.committedAtEndKB = kilobytes(committedOf: machine)
    return result
  }

  /// Each `grow` run is refused first at the kernel's total and chunk and ends at the kernel's
  /// total to the page, with the kernel's Committed_AS; every refusal is recorded with the mode.
  @Test(arguments: OvercommitProbes.growProbes)
  func growProbeIsRefusedWhereTheKernelRefusedIt(step: String, file: String, capMB: Int) throws {
    let url = Self.run.appendingPathComponent(step).appendingPathComponent(file)
    var machine = try Self.machine(step: step)
    let pid = try Self.startProbe(url, on: &machine)
    let model = Self.grow(pid: pid, on: &machine, capMB: capMB)
    let kernel = try OvercommitProbes.fields("grow: result", in: url)
    let end = try OvercommitProbes.fields("at_end_holding_mappings:", in: url)
    let expected = OvercommitProbes.GrowResult(
      firstFailTotalKB: try #require(kernel["first_fail_total_kb"]),
      firstFailChunkKB: try #require(kernel["first_fail_chunk_kb"]),
      totalPages: try #require(kernel["total_pages"]), mappings: try #require(kernel["mappings"]),
      failures: try #require(kernel["failures"]),
      committedAtFirstFailureKB: kernel["failures"] == 0
        ? nil : try OvercommitProbes.fields("at_first_failure:", in: url)["Committed_AS_kb"],
      committedAtEndKB: try #require(end["Committed_AS_kb"]))
    #expect(model == expected)
    #expect(machine.tasks[pid]?.totalVMPages == (try #require(end["VmSize_kb"])) / 4)
    #expect(machine.commitRefusals.count == model.failures)
    #expect(
      machine.commitRefusals.allSatisfy {
        $0.pid == pid && $0.mode == machine.overcommit.settings.mode
      })
  }

  // MARK: - single-max

  /// The largest single mapping the machine grants, to the page, found as the probe finds it:
  /// the 1 TiB ceiling first, then bisection, each granted mapping unmapped again; mode 1 grants
  /// the ceiling.
  @Test(arguments: OvercommitProbes.singleMaxProbes)
  func singleMaxProbeFindsTheKernelsLargestMapping(step: String, file: String) throws {
    let url = Self.run.appendingPathComponent(step).appendingPathComponent(file)
    var machine = try Self.machine(step: step)
    let pid = try Self.startProbe(url, on: &machine)
    let committed = Self.kilobytes(committedOf: machine)
    func granted(_ pages: Int) -> Bool {
      guard let mapping = try? machine.mmap(pid: pid, pages: pages) else { return false }
      machine.munmap(pid: pid, mapping: mapping)
      return true
    }
    let ceiling = (1 << 20) * 256
    let kernel = try OvercommitProbes.fields("single-max: result", in: url)
    if granted(ceiling) {
      #expect(kernel["max_ok_kb"] == ceiling * 4)
      #expect(kernel["max_ok_pages"] == nil)
    } else {
      var low = 0
      var high = ceiling
      while high - low > 1 {
        let middle = low + (high - low) / 2
        if granted(middle) { low = middle } else { high = middle }
      }
      #expect(low == kernel["max_ok_pages"])
      #expect(high == kernel["first_fail_pages"])
    }
    // Every probe was unmapped again: the commitment is back where it was.
    #expect(Self.kilobytes(committedOf: machine) == committed)
  }

  // MARK: - One mapping larger than RAM + swap

  /// Mode 0 refuses one mapping a page larger than RAM + swap (and grants RAM + swap), recording
  /// the refusal with the mode, CommitLimit and Committed_AS; mode 1 grants it.
  @Test func guessRefusesOneMappingLargerThanRAMPlusSwapAndAlwaysGrantsIt() throws {
    let ramPlusSwap = 236_720
    var guess = try Self.machine(step: "04-mode0")
    guess.addTask(SimulatedTask(pid: 350, comm: "mmap-probe", uid: 65534))
    #expect(throws: MmapError.self) { try guess.mmap(pid: 350, pages: ramPlusSwap + 1) }
    let refusal = try #require(guess.commitRefusals.last)
    #expect(refusal.pid == 350 && refusal.pages == ramPlusSwap + 1 && refusal.mode == .guess)
    #expect(refusal.commitLimitPages == 473_440 / 4 && refusal.committedASPages == 8024 / 4)
    #expect(refusal.decision.test == .singleRequest(limitPages: ramPlusSwap))
    #expect(guess.tasks[350]?.totalVMPages == 0)
    try guess.mmap(pid: 350, pages: ramPlusSwap)
    #expect(guess.tasks[350]?.totalVMPages == ramPlusSwap)

    var always = try Self.machine(step: "05-mode1")
    always.addTask(SimulatedTask(pid: 383, comm: "mmap-probe"))
    try always.mmap(pid: 383, pages: ramPlusSwap + 1)
    #expect(always.commitRefusals.isEmpty)
    #expect(always.memInfo().committedAS == 8024 + (ramPlusSwap + 1) * 4)
  }
}
