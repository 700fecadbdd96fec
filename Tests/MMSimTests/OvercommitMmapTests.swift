import MMCore
import MMSim
import Testing

/// The simulated machine's commit accounting: `mmap`, `munmap`, faults, exit and OOM kills
/// against Committed_AS (show-mem-meminfo-overcommit.md §4).
@Suite(.timeLimit(.minutes(2)))
struct OvercommitMmapTests {
  /// A 64 MiB 6.1 machine (16 k pages) with `task` added.
  static func machine(_ task: SimulatedTask) throws -> SimulatedMachine {
    var machine = try SlowPathTests.machine()
    machine.addTask(task)
    return machine
  }

  static func committedKB(_ machine: borrowing SimulatedMachine) -> Int? {
    machine.memInfo().committedAS
  }

  /// The sum of every mm's recorded commitment, in kB: what Committed_AS must show.
  static func recordedKB(_ machine: borrowing SimulatedMachine) -> Int {
    machine.addressSpaces.values.reduce(0) { $0 + $1.committedPages } * 4
  }

  @Test func meminfoShowsCommittedAS() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db"))
    #expect(Self.committedKB(machine) == 0)
    try machine.mmap(pid: 10, pages: 300)
    #expect(Self.committedKB(machine) == 1200)
    #expect(machine.committedASPages == 300)
  }

  @Test func refusedMmapFailsWithENOMEMAndLeavesTheTaskAndCommittedAS() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db", hasSysAdmin: true))
    machine.writeOvercommitMemory(.never)
    try machine.writeOvercommitKbytes(16_000)  // 4000 pages
    let first = try machine.mmap(pid: 10, pages: 1000)
    let task = try #require(machine.tasks[10])
    let space = machine.addressSpaces[10]
    let committed = Self.committedKB(machine)
    let error = try #require(throws: MmapError.self) { try machine.mmap(pid: 10, pages: 3000) }
    guard case .outOfMemory(let refusal) = error else {
      Issue.record("\(error)")
      return
    }
    #expect(machine.tasks[10] == task)
    #expect(machine.addressSpaces[10] == space)
    #expect(Self.committedKB(machine) == committed)
    #expect(machine.overcommit.committed.sum == 1000)
    #expect(machine.commitRefusals == [refusal])
    #expect(refusal.pid == 10 && refusal.pages == 3000 && refusal.mode == .never)
    #expect(refusal.commitLimitPages == 4000 && refusal.committedASPages == 1000)
    // Allowed: 4000 less the user reserve (total_vm 1000 / 32 = 31); 1000 + 3000 is not below.
    guard case .commitLimit(let strict) = refusal.decision.test else {
      Issue.record("\(refusal.decision)")
      return
    }
    #expect(strict.allowedPages == 4000 - 31)
    #expect(error.description.hasPrefix("mmap: Cannot allocate memory (ENOMEM): pid 10"))
    // What fits below the allowed pages is granted.
    try machine.mmap(pid: 10, pages: 2968)
    #expect(machine.tasks[10]?.totalVMPages == 3968)
    #expect(machine.munmap(pid: 10, mapping: first) == 1000)
  }

  @Test func readOnlyAndNoReserveMappingsAreNotAccountedOutsideStrictMode() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db"))
    try machine.mmap(pid: 10, pages: 500, writable: false)
    try machine.mmap(pid: 10, pages: 500, noReserve: true)
    #expect(Self.committedKB(machine) == 0)
    #expect(machine.tasks[10]?.totalVMPages == 1000)
    machine.writeOvercommitMemory(.never)
    try machine.mmap(pid: 10, pages: 500, noReserve: true)
    #expect(Self.committedKB(machine) == 2000)
    #expect(throws: MmapError.invalidLength(pages: 0)) { try machine.mmap(pid: 10, pages: 0) }
  }

  @Test func munmapGivesBackTheCommitmentAndFreesThePagesTouchedInIt() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db"))
    let first = try machine.mmap(pid: 10, pages: 1000)
    let second = try machine.mmap(pid: 10, pages: 2000)
    // Faults inside the mapped pages need no new commitment.
    #expect(machine.fault(pid: 10, pages: 1500).pages == 1500)
    #expect(Self.committedKB(machine) == 12_000)
    #expect(machine.tasks[10]?.totalVMPages == 3000)
    // The first mapping is wholly touched, the second has 500 touched pages.
    #expect(machine.munmap(pid: 10, mapping: first) == 1000)
    #expect(Self.committedKB(machine) == 8000)
    #expect(machine.memoryUsage(ofTask: 10).anonPages == 500)
    #expect(machine.tasks[10]?.totalVMPages == 2000 && machine.tasks[10]?.touchedPages == 500)
    #expect(machine.munmap(pid: 10, mapping: first) == 0)
    #expect(machine.munmap(pid: 10, mapping: second) == 2000)
    #expect(Self.committedKB(machine) == 0)
    #expect(machine.memoryUsage(ofTask: 10).anonPages == 0)
    #expect(machine.memory.invariantViolations() == [])
  }

  @Test func faultsBeyondTheMappedPagesAreAccountedHeapGrowth() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db", hasSysAdmin: true))
    try machine.mmap(pid: 10, pages: 100)
    #expect(machine.fault(pid: 10, pages: 300).pages == 300)
    #expect(Self.committedKB(machine) == 1200)
    #expect(machine.tasks[10]?.totalVMPages == 300)
    #expect(machine.addressSpaces[10]?.regions.map(\.kind) == [.mapping, .heap])
    // Page cache beyond the mapped pages grows total_vm without a commitment.
    #expect(machine.fault(pid: 10, pages: 50, use: .file).pages == 50)
    #expect(Self.committedKB(machine) == 1200 && machine.tasks[10]?.totalVMPages == 350)
    // In strict mode the growth stops at the limit, page by page.
    machine.writeOvercommitMemory(.never)
    try machine.writeOvercommitKbytes(2000)  // 500 pages
    let fault = machine.fault(pid: 10, pages: 1000)
    let refusal = try #require(fault.commitRefusal)
    #expect(refusal.pages == 1 && refusal.mode == .never)
    #expect(machine.commitRefusals == [refusal])
    // The strict test reads the global count, which the per-cpu batch (16 k pages / 256 = 63)
    // lets lag behind: the refused page was the one that folded the delta, and it left
    // Committed_AS at or above the allowed pages.
    guard case .commitLimit(let strict) = refusal.decision.test else {
      Issue.record("\(refusal.decision)")
      return
    }
    let committed = machine.overcommit.committed.sum
    #expect(committed == strict.committedPages - 1)
    #expect(strict.committedPages >= strict.allowedPages)
    #expect(committed < strict.allowedPages + machine.overcommit.committed.batch)
    // Allowed: 500 less the user reserve, the task's total_vm when refused / 32.
    let totalVM = try #require(machine.tasks[10]?.totalVMPages)
    #expect(strict.allowedPages == 500 - totalVM / 32)
    #expect(fault.pages == committed - 300)
    #expect(machine.memoryUsage(ofTask: 10).anonPages == committed)
  }

  @Test func exitGivesBackWhatTheTaskCommitted() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db"))
    machine.addTask(SimulatedTask(pid: 20, comm: "web"))
    var thread = SimulatedTask(pid: 11, comm: "db-worker")
    thread.mm = 10
    machine.addTask(thread)
    try machine.mmap(pid: 11, pages: 700)
    _ = machine.fault(pid: 11, pages: 900)
    try machine.mmap(pid: 20, pages: 300)
    #expect(machine.addressSpaces[10]?.committedPages == 900)
    #expect(Self.committedKB(machine) == 4800)
    machine.releaseMemory(ofTask: 11)
    #expect(machine.addressSpaces[10] == nil)
    #expect(Self.committedKB(machine) == 1200)
  }

  @Test func anOOMKillGivesBackTheVictimsCommitment() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db"))
    let managed = machine.memory.layout.zones.reduce(0) { $0 + $1.managed }
    try machine.mmap(pid: 10, pages: managed / 2)
    #expect(machine.fault(pid: 10, pages: managed / 2).pages == managed / 2)
    machine.addTask(SimulatedTask(pid: 20, comm: "cache"))
    try machine.mmap(pid: 20, pages: 100)
    // A grower whose heap outgrows the machine: the OOM killer takes db, the largest, then the
    // grower itself, killed while it faults.
    machine.addTask(SimulatedTask(pid: 30, comm: "grower"))
    let fault = machine.fault(pid: 30, pages: managed)
    #expect(fault.killed)
    let victims = machine.oomEvents.compactMap { outcome -> Int? in
      guard case .killed(let kill) = outcome else { return nil }
      return kill.victim.task.pid
    }
    #expect(victims == [10, 30])
    #expect(machine.addressSpaces[10] == nil && machine.addressSpaces[30] == nil)
    #expect(Self.committedKB(machine) == 400)
    #expect(Self.recordedKB(machine) == 400)
    #expect(machine.memory.invariantViolations() == [])
  }

  @Test func writingStrictModeFoldsTheDeltaTheStrictTestCannotSee() throws {
    var machine = try Self.machine(SimulatedTask(pid: 10, comm: "db"))
    // A small mapping stays in the cpu's delta; switching to mode 2 folds it into the count
    // the strict test reads and sizes the batch for mode 2 (1/256 of RAM, at least 32).
    let managed = machine.memory.layout.zones.reduce(0) { $0 + $1.managed }
    try machine.mmap(pid: 10, pages: 10)
    #expect(machine.overcommit.committed.count == 0)
    machine.writeOvercommitMemory(.never)
    #expect(machine.overcommit.committed.count == 10)
    #expect(machine.overcommit.committed.batch == max(managed / 256, 32))
  }
}
