import MMCore
import MMSim
import Testing

/// Compaction: suitability and the fragmentation index per the kernel, the scanners
/// approximated (slowpath-reclaim-compaction.md §7).
@Suite(.timeLimit(.minutes(2)))
struct CompactionTests {
  @Test func fragmentationIndexMatchesTheKernelsFormula() {
    // §7.3's example: order 9, 1000 free order-0 pages and nothing else.
    #expect(
      FreeBlockStatistics(freeBlocks: [1000] + Array(repeating: 0, count: 10), order: 9)
        .fragmentationIndex == 998)
    #expect(
      FreeBlockStatistics(freeBlocks: [3, 0, 1] + Array(repeating: 0, count: 8), order: 2)
        .fragmentationIndex == -1000)
    #expect(
      FreeBlockStatistics(freeBlocks: Array(repeating: 0, count: 11), order: 3).fragmentationIndex
        == 0)
    #expect(
      FreeBlockStatistics(freeBlocks: Array(repeating: 0, count: 11), order: 3).unusableIndex
        == 1000)
    // 8 free order-0 pages and one order-3 block: for order 3, 8 of 16 free pages are unusable.
    #expect(
      FreeBlockStatistics(freeBlocks: [8, 0, 0, 1] + Array(repeating: 0, count: 7), order: 3)
        .unusableIndex == 500)
  }

  /// A 64 MiB machine whose DMA32 zone holds page cache (or `use`) in every other page: half
  /// free, no block above order 0 (filled ignoring watermarks, as `ALLOC_NO_WATERMARKS` may).
  static func fragmented(kernel: String = "6.1.0", use: PageUse = .file) throws
    -> SimulatedMachine
  {
    var machine = try SlowPathTests.machine(kernel: kernel)
    let movable = try SlowPathTests.mask(.highuserMovable, kernel)
    while let block = machine.memory.allocateFromFreelist(
      order: 0, mask: movable, flags: [.noWatermarks, .cma])
    {
      machine.memory.setUse(block.pfn, use)
    }
    var pfn = PFN(4096)
    while pfn < 16384 {
      if machine.memory.isAllocatedBlock(pfn), machine.memory.use(of: pfn) == use {
        machine.memory.free(pfn, order: 0)
      }
      pfn += 2
    }
    for zone in 0..<2 { machine.memory.drainAllPerCPU(zone: zone) }
    return machine
  }

  @Test func compactionMakesAHighOrderBlockWithoutLosingPages() throws {
    var machine = try Self.fragmented()
    #expect(machine.memory.freeBlocks(zone: 1).dropFirst().allSatisfy { $0 == 0 })
    let free = machine.memory.freePages(zone: 1)
    let cached = machine.memory.lruPageCount(zone: 1, list: .inactiveFile)
    let result = machine.compactZone(1, order: 4, highestZoneIndex: 2, flags: [.cma, .cpuset])
    guard case .success(let migrated) = result else {
      Issue.record("expected success, got \(result)")
      return
    }
    #expect(migrated > 0)
    #expect(machine.memory.freeBlocks(zone: 1)[4...].contains { $0 > 0 })
    #expect(machine.memory.freePages(zone: 1) == free)
    #expect(machine.memory.lruPageCount(zone: 1, list: .inactiveFile) == cached)
    #expect(machine.memory.invariantViolations() == [])
  }

  @Test func compactMemoryDefragmentsTheWholeZone() throws {
    var machine = try Self.fragmented()
    _ = machine.compactMemory()
    let blocks = machine.memory.freeBlocks(zone: 1)
    #expect(blocks[10] > 0)
    #expect(machine.memory.invariantViolations() == [])
  }

  @Test func unmovableMemoryCannotBeCompacted() throws {
    var machine = try SlowPathTests.machine()
    try SlowPathTests.fill(&machine, with: .kernel)
    let result = machine.compactZone(1, order: 4, highestZoneIndex: 2, flags: [.cma, .cpuset])
    #expect(result == .skipped)
  }

  /// Async direct compaction for an unmovable request migrates only from unmovable pageblocks
  /// (4.15+): the fragmented zone's cache lies in movable blocks, so it moves nothing, while a
  /// sync-light attempt compacts.
  @Test func asyncCompactionMigratesOnlyFromBlocksOfTheRequestsType() throws {
    var machine = try Self.fragmented()
    #expect(machine.memory.pageblockType(of: PFN(8192)) == .movable)
    let async = machine.compactZone(
      1, order: 4, highestZoneIndex: 2, flags: [.cpuset], priority: .async,
      migrateType: .unmovable)
    #expect(async == .complete(migrated: 0))
    let sync = machine.compactZone(
      1, order: 4, highestZoneIndex: 2, flags: [.cpuset], priority: .syncLight,
      migrateType: .unmovable)
    guard case .success(let migrated) = sync else {
      Issue.record("expected success, got \(sync)")
      return
    }
    #expect(migrated > 0)
  }

  /// From 4.6 async direct compaction gives up on an aligned range of the request's order at
  /// the first page it cannot migrate; sync compaction migrates what it can anyway.
  @Test func asyncCompactionSkipsRangesHoldingAnUnmovablePage() throws {
    var machine = try Self.fragmented()
    // One page of kernel data in every 16-page range of DMA32.
    var pfn = PFN(4096)
    while pfn < 16384 {
      let page = (pfn...(pfn + 15)).first { machine.memory.isAllocatedBlock($0) }
      if let page { machine.memory.setUse(page, .kernel) }
      pfn += 16
    }
    let async = machine.compactZone(
      1, order: 4, highestZoneIndex: 2, flags: [.cma, .cpuset], priority: .async)
    #expect(async == .complete(migrated: 0))
    let sync = machine.compactZone(
      1, order: 4, highestZoneIndex: 2, flags: [.cma, .cpuset], priority: .syncLight)
    guard case .complete(let migrated) = sync else {
      Issue.record("expected the scanners to meet, got \(sync)")
      return
    }
    #expect(migrated > 0)
    #expect(machine.memory.invariantViolations() == [])
  }

  /// Only a synchronous failure defers compaction (`try_to_compact_pages()`), and sync-full
  /// attempts ignore deferral.
  @Test func onlySynchronousFailuresDeferCompaction() throws {
    var machine = try Self.fragmented()
    var pfn = PFN(4096)
    while pfn < 16384 {
      let page = (pfn...(pfn + 15)).first { machine.memory.isAllocatedBlock($0) }
      if let page { machine.memory.setUse(page, .kernel) }
      pfn += 16
    }
    func compact(_ priority: CompactPriority) -> CompactionResult {
      machine.compactZone(
        1, order: 4, highestZoneIndex: 2, flags: [.cma, .cpuset], priority: priority)
    }
    #expect(compact(.async) == .complete(migrated: 0))
    #expect(compact(.async) == .complete(migrated: 0))
    let isComplete: (CompactionResult) -> Bool = { if case .complete = $0 { true } else { false } }
    // A sync failure defers the next attempt (defer shift 1); sync-full runs regardless, and
    // its failure doubles the deferral (shift 2): three attempts are skipped, the fourth runs.
    #expect(isComplete(compact(.syncLight)))
    #expect(isComplete(compact(.syncFull)))
    #expect(compact(.syncLight) == .deferred)
    #expect(compact(.async) == .deferred)
    #expect(compact(.async) == .deferred)
    #expect(compact(.async) == .complete(migrated: 0))
  }

  @Test func theSlowPathCompactsForAnOrderTwoRequest() throws {
    var machine = try Self.fragmented()
    // Bring the zone down to its min watermark with more cache, then ask for order 2.
    try SlowPathTests.fill(&machine, with: .file)
    let attempt = machine.allocate(order: 2, mask: try SlowPathTests.mask(.kernel))
    #expect(attempt.allocation != nil)
    #expect(attempt.steps.contains { if case .directCompaction = $0 { true } else { false } })
  }
}
