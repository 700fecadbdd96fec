import MMCore
import MMSim
import Testing

/// The per-owner page counts the machine keeps as pages gain and lose their owner (what
/// ``SimulatedMachine/memoryUsageByTask()`` reads) against a full walk of the frames, which
/// ``PhysicalMemory/invariantViolations()`` does.
@Suite(.timeLimit(.minutes(2)))
struct OwnerPageCountTests {
  /// Faults of every kind, a thread, a memory cgroup's reclaim, swap-out, an OOM kill, an
  /// `munmap()`, an exit and compaction on a 64 MiB machine with 8 MiB of swap: after each step
  /// the kept counts equal the frames' and the usage follows what happened to the pages.
  @Test func keptCountsEqualAFrameWalkThroughAMixedWorkload() throws {
    var machine = try SlowPathTests.machine(swapPages: 2048)
    func expectConsistent(_ step: String) {
      #expect(machine.memory.invariantViolations() == [], "after \(step)")
    }

    machine.addTask(SimulatedTask(pid: 10, comm: "editor"))
    #expect(machine.fault(pid: 10, pages: 2000).pages == 2000)
    #expect(machine.fault(pid: 10, pages: 500, use: .file).pages == 500)
    #expect(machine.fault(pid: 10, pages: 200, use: .shmem).pages == 200)
    var thread = SimulatedTask(pid: 11, comm: "editor-worker")
    thread.mm = 10
    machine.addTask(thread)
    #expect(machine.fault(pid: 11, pages: 300).pages == 300)
    let editor = machine.memoryUsage(ofTask: 11)
    #expect(editor.anonPages == 2300 && editor.filePages == 500 && editor.shmemPages == 200)
    #expect(editor.pageTablePages == 6)  // 3000 pages touched: one table per 512
    expectConsistent("faults")

    // A group over its limit reclaims its own page cache.
    machine.addMemoryCgroup(MemoryCgroup(path: "/small", max: 600))
    var reader = SimulatedTask(pid: 20, comm: "reader")
    reader.memcg = "/small"
    machine.addTask(reader)
    #expect(machine.fault(pid: 20, pages: 1500, use: .file).pages == 1500)
    #expect(machine.memoryUsage(ofTask: 20).filePages < 600)
    expectConsistent("memcg reclaim")

    // A hog grows past RAM: reclaim drops the cache and swaps anonymous pages out until swap is
    // full, then the OOM killer kills the hog.
    machine.addTask(SimulatedTask(pid: 30, comm: "hog"))
    _ = machine.fault(pid: 30, pages: 1 << 20)
    #expect(machine.swap.usedPages > 0)
    #expect(OOMKillerTests.victims(machine) == ["hog"])
    let afterKill = machine.memoryUsageByTask()
    #expect(afterKill[30] == nil)
    // The editor's oldest anonymous pages went to swap: resident or swapped, none is lost.
    let swapped = try #require(afterKill[10])
    #expect(swapped.swapEntries > 0 && swapped.anonPages + swapped.swapEntries == 2300)
    expectConsistent("swap-out and the kill")

    // munmap() frees the mapping's touched pages.
    machine.addTask(SimulatedTask(pid: 40, comm: "mapper"))
    let mapping = try machine.mmap(pid: 40, pages: 400)
    #expect(machine.fault(pid: 40, pages: 300).pages == 300)
    #expect(machine.munmap(pid: 40, mapping: mapping) == 400)
    #expect(machine.memoryUsage(ofTask: 40).anonPages == 0)
    expectConsistent("munmap")

    // The editor exits: its anon, page tables and swap go; its page cache and shmem stay,
    // owned by nobody.
    let exiting = machine.memoryUsage(ofTask: 10)
    let freed = machine.releaseMemory(ofTask: 10)
    #expect(freed == exiting.anonPages + exiting.pageTablePages)
    #expect(machine.memoryUsageByTask()[10] == nil)
    expectConsistent("exit")

    // Compaction moves owned pages and keeps their owners.
    let beforeCompaction = machine.memoryUsageByTask()
    #expect(machine.compactMemory() > 0)
    #expect(machine.memoryUsageByTask() == beforeCompaction)
    expectConsistent("compaction")

    machine.dropCaches([.pageCache, .slab])
    #expect(machine.memoryUsage(ofTask: 20).filePages == 0)
    expectConsistent("drop_caches")
  }
}
