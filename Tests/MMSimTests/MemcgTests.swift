import MMCore
import MMSim
import Testing

/// Memory cgroups: charging, memcg reclaim, the memcg OOM killer (oom.md §3, §8).
@Suite(.timeLimit(.minutes(2)))
struct MemcgTests {
  /// A 512 MiB 6.1 machine without swap, with cgroups `/t1` … `/t3` of 64 MiB each (`/t3` with
  /// `memory.oom.group`), as the ground-truth memcg-oom run set them up.
  static func machine() throws -> SimulatedMachine {
    var machine = SimulatedMachine(
      layout: .fromRAM(512 << 20, architecture: .x86_64),
      rules: AllocatorRules(kernel: try KernelVersion(parsing: "6.1.0")))
    for (path, oomGroup) in [("/t1", false), ("/t2", false), ("/t3", true)] {
      machine.addMemoryCgroup(MemoryCgroup(path: path, max: 16384, oomGroup: oomGroup))
    }
    return machine
  }

  static func start(
    _ machine: inout SimulatedMachine, pid: Int, comm: String, in memcg: String, adj: Int = 0,
    pages: Int
  ) -> TaskFault {
    var task = SimulatedTask(pid: pid, comm: comm, oomScoreAdj: adj)
    task.memcg = memcg
    machine.addTask(task)
    return machine.fault(pid: pid, pages: pages)
  }

  @Test func chargesFollowTheTasksPagesUpTheHierarchyAndBack() throws {
    var machine = try Self.machine()
    machine.addMemoryCgroup(MemoryCgroup(path: "/t1/inner"))
    _ = Self.start(&machine, pid: 10, comm: "worker", in: "/t1/inner", pages: 1000)
    _ = machine.fault(pid: 10, pages: 300, use: .file)
    // 1300 pages and three page-table pages.
    #expect(machine.memcgs["/t1/inner"]?.usage == 1303)
    #expect(machine.memcgs["/t1"]?.usage == 1303)
    #expect(machine.memcgs["/t2"]?.usage == 0)
    machine.releaseMemory(ofTask: 10)
    #expect(machine.memcgs["/t1/inner"]?.usage == 0 && machine.memcgs["/t1"]?.usage == 0)
  }

  @Test func reclaimDropsTheGroupsCacheBeforeAnyOOM() throws {
    var machine = try Self.machine()
    machine.addMemoryCgroup(MemoryCgroup(path: "/small", max: 1000))
    _ = Self.start(&machine, pid: 20, comm: "reader", in: "/small", pages: 800)  // anon
    let cache = machine.fault(pid: 20, pages: 600, use: .file)
    #expect(cache.pages == 600 && cache.stoppedBy == nil && !cache.killed)
    let group = try #require(machine.memcgs["/small"])
    #expect(group.usage <= 1000)
    #expect(group.failcnt > 0 && group.events.max > 0 && group.events.oom == 0)
    #expect(machine.oomEvents.isEmpty)
    #expect(machine.memoryUsage(ofTask: 20).filePages < 600)
  }

  @Test func aGroupAboveMemoryHighReclaimsItsCacheWithoutAnOOM() throws {
    var machine = try Self.machine()
    machine.addMemoryCgroup(MemoryCgroup(path: "/web", high: 500))
    let fault = Self.start(&machine, pid: 30, comm: "nginx", in: "/web", pages: 2000)
    _ = machine.fault(pid: 30, pages: 1500, use: .file)
    #expect(fault.pages == 2000)
    let group = try #require(machine.memcgs["/web"])
    // The anonymous 2000 pages (and their page tables) cannot be reclaimed without swap; the
    // cache above high can.
    #expect(group.events.high > 0 && group.events.max == 0 && group.events.oom == 0)
    #expect(machine.memoryUsage(ofTask: 30).filePages < 1500)
    #expect(group.usage < 2004 + 1500)
  }

  /// A charge that finds nothing to reclaim retries 16 times from 5.9 (5 before) after the
  /// first failure and the drain, then the memcg OOM: the report's failcnt counts the attempts.
  @Test(arguments: [("6.1.0", 18), ("5.4.0", 7)])
  func chargeRetriesPerVersion(kernel: String, failures: Int) throws {
    var machine = SimulatedMachine(
      layout: .fromRAM(256 << 20, architecture: .x86_64),
      rules: AllocatorRules(kernel: try KernelVersion(parsing: kernel)))
    machine.addMemoryCgroup(MemoryCgroup(path: "/t1", max: 2048))
    #expect(Self.start(&machine, pid: 40, comm: "hog", in: "/t1", pages: 1 << 20).killed)
    let report = try #require(machine.oomReports.first)
    #expect(report.memcgCounter("memory")?.failcnt == failures)
    #expect(machine.memcgs["/t1"]?.events.max == failures)
  }

  /// `__GFP_HIGH` (GFP_ATOMIC) charges go through over the limit at once, `__GFP_NOFAIL` ones
  /// after reclaim and an OOM that finds nothing to kill; a non-blocking charge without them
  /// fails, with no reclaim, no `max` event and no OOM.
  @Test func atomicAndNoFailChargesGoThroughTheLimit() throws {
    var machine = try Self.machine()
    machine.addMemoryCgroup(MemoryCgroup(path: "/small", max: 100))
    _ = Self.start(&machine, pid: 50, comm: "driver", in: "/small", adj: -1000, pages: 99)
    #expect(machine.memcgs["/small"]?.usage == 100)
    let atomic = machine.allocate(
      order: 0, mask: try SlowPathTests.mask(.atomic), owner: 50, current: 50)
    #expect(atomic.allocation != nil)
    #expect(machine.memcgs["/small"]?.events.max == 0)
    let noFail = machine.allocate(
      order: 0, mask: try SlowPathTests.mask(.kernel, extra: [.noFail]), owner: 50, current: 50)
    #expect(noFail.allocation != nil)
    #expect(machine.memcgs["/small"]?.usage == 102)
    #expect(machine.oomEvents == [.nothingToKill])
    let events = machine.memcgs["/small"]?.events.max
    let noWait = machine.allocate(
      order: 0, mask: try SlowPathTests.mask(.noWait), owner: 50, current: 50)
    #expect(noWait.allocation == nil)
    #expect(machine.memcgs["/small"]?.usage == 102)
    #expect(machine.memcgs["/small"]?.events.max == events)
  }

  @Test func theLegacyOOMAdjSetsOOMScoreAdj() {
    var task = SimulatedTask(pid: 1, comm: "init")
    #expect(task.writeLegacyOOMAdj(-17) && task.oomScoreAdj == -1000)
    #expect(task.writeLegacyOOMAdj(8) && task.oomScoreAdj == 470)
    #expect(!task.writeLegacyOOMAdj(16) && task.oomScoreAdj == 470)
  }

  /// The ground-truth run's steps (memcg-oom/max64M dmesg.txt), a bystander outside the groups.
  static func playTheGroundTruthRun(_ machine: inout SimulatedMachine) throws {
    _ = Self.start(&machine, pid: 100, comm: "bystander", in: "/", pages: 5000)
    let first = Self.start(&machine, pid: 262, comm: "hog", in: "/t1", pages: 1 << 20)
    #expect(first.killed)
    _ = Self.start(&machine, pid: 283, comm: "t2a", in: "/t2", pages: 5120)
    _ = Self.start(&machine, pid: 285, comm: "t2b", in: "/t2", adj: 500, pages: 4096)
    let second = Self.start(&machine, pid: 316, comm: "hog", in: "/t2", pages: 1 << 20)
    #expect(second.killed)
    _ = Self.start(&machine, pid: 339, comm: "t3a", in: "/t3", pages: 5120)
    let third = Self.start(&machine, pid: 363, comm: "hog", in: "/t3", pages: 1 << 20)
    #expect(third.killed)
  }

  /// The ground-truth run (memcg-oom/max64M): a hog alone in /t1 is killed.
  ///
  /// In /t2 the holder with adj 500 goes first, then the hog, the other holder stays; in /t3
  /// (`memory.oom.group`) the hog's kill takes the holder with it.
  @Test func theMemcgOOMRunKillsTheKernelsVictims() throws {
    var machine = try Self.machine()
    try Self.playTheGroundTruthRun(&machine)

    let kills = machine.oomEvents.compactMap { outcome -> OOMKill? in
      if case .killed(let kill) = outcome { return kill }
      return nil
    }
    #expect(kills.map(\.victim.task.pid) == [262, 285, 316, 363])
    #expect(
      kills.map(\.reason) == [
        .memcg(oomMemcg: "/t1", taskMemcg: "/t1"), .memcg(oomMemcg: "/t2", taskMemcg: "/t2"),
        .memcg(oomMemcg: "/t2", taskMemcg: "/t2"), .memcg(oomMemcg: "/t3", taskMemcg: "/t3"),
      ])
    #expect(kills.map(\.reason.constraint).allSatisfy { $0 == "CONSTRAINT_MEMCG" })
    // The memcg's limit is totalpages; the table lists the group's processes only.
    #expect(kills[1].totalPages == 16384)
    #expect(kills[1].tasks.map(\.comm) == ["t2a", "t2b", "hog"])
    #expect(kills[3].groupKilled == [339])
    #expect(machine.tasks.keys.sorted() == [100, 283])
    #expect(machine.memcgs["/t2"]?.events.oomKill == 2)
    #expect(machine.memcgs["/t3"]?.events.oomGroupKill == 1)
    #expect(machine.memory.invariantViolations() == [])
  }
}
