import MMCore
import MMSim
import Testing

/// Tasks' memory as the machine's pages (mm/memory.c faults, kernel/exit.c `exit_mmap()`).
@Suite(.timeLimit(.minutes(2)))
struct TaskMemoryTests {
  @Test(arguments: [
    ("a_very_long_process_name", "a_very_long_pro"),
    ("abcdefghijklmnö", "abcdefghijklmn"),  // "ö" would straddle byte 15
    ("sshd", "sshd"),
  ])
  func commKeepsFifteenBytes(name: String, kept: String) {
    #expect(SimulatedTask(pid: 1, comm: name).comm == kept)
  }

  @Test func faultedPagesAreTheTasksResidentMemory() throws {
    var machine = try SlowPathTests.machine()
    machine.addTask(SimulatedTask(pid: 100, comm: "hog"))
    let fault = machine.fault(pid: 100, pages: 1000)
    #expect(fault.pages == 1000 && fault.pageTablePages == 2 && fault.stoppedBy == nil)
    let usage = machine.memoryUsage(ofTask: 100)
    #expect(usage == TaskMemoryUsage(anonPages: 1000, pageTablePages: 2))
    #expect(machine.tasks[100]?.touchedPages == 1000)
    #expect(machine.memory.invariantViolations() == [])
    // A thread shares its leader's mm, and so its memory.
    var thread = SimulatedTask(pid: 101, comm: "hog-worker")
    thread.mm = 100
    machine.addTask(thread)
    #expect(machine.memoryUsage(ofTask: 101) == usage)
  }

  @Test func swappedOutAnonymousPagesBecomeTheTasksSwapEntriesUntilItExits() throws {
    var machine = try SlowPathTests.machine(swapPages: 4096)
    machine.addTask(SimulatedTask(pid: 7, comm: "grower"))
    let managed = machine.memory.layout.zones.reduce(0) { $0 + $1.managed }
    let fault = machine.fault(pid: 7, pages: managed)
    let usage = machine.memoryUsage(ofTask: 7)
    #expect(usage.swapEntries > 0)
    #expect(usage.swapEntries == machine.swap.usedPages)
    #expect(usage.anonPages + usage.swapEntries == fault.pages)
    machine.releaseMemory(ofTask: 7)
    #expect(machine.swap.usedPages == 0)
  }

  @Test func exitFreesAnonymousMemoryAndPageTablesAndKeepsTheCache() throws {
    var machine = try SlowPathTests.machine()
    machine.addTask(SimulatedTask(pid: 7, comm: "grower"))
    var thread = SimulatedTask(pid: 8, comm: "grower-io")
    thread.mm = 7
    machine.addTask(thread)
    _ = machine.fault(pid: 7, pages: 300, use: .file)
    _ = machine.fault(pid: 8, pages: 1000)
    let usage = machine.memoryUsage(ofTask: 7)
    // 1300 pages of one address space: three page-table pages.
    #expect(usage == TaskMemoryUsage(anonPages: 1000, filePages: 300, pageTablePages: 3))
    #expect(machine.tasks[7]?.touchedPages == 1300 && machine.tasks[8]?.touchedPages == 0)
    let freed = machine.releaseMemory(ofTask: 8)
    #expect(freed == 1003)
    #expect(machine.tasks.isEmpty)
    #expect(machine.memoryUsageByTask().isEmpty)
    // The page cache stays cached, no longer the task's.
    #expect(machine.memory.lruPageCount(node: 0, list: .inactiveFile) == 300)
    #expect(machine.memory.invariantViolations() == [])
  }
}
