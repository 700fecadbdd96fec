import MMCore
import MMSim
import Testing

/// The slow path's branches (slowpath-reclaim-compaction.md §2–§6) on a 64 MiB x86_64 machine
/// whose memory has been filled by the fast path.
@Suite(.timeLimit(.minutes(2)))
struct SlowPathTests {
  static func machine(kernel: String = "6.1.0", swapPages: Int = 0) throws -> SimulatedMachine {
    SimulatedMachine(
      layout: .fromRAM(64 << 20, architecture: .x86_64),
      rules: AllocatorRules(kernel: try KernelVersion(parsing: kernel)),
      boot: .init(swapPages: swapPages))
  }

  static func mask(_ composite: GFPComposite, _ kernel: String = "6.1.0", extra: GFPFlags = [])
    throws -> GFPMask
  {
    let version = try KernelVersion(parsing: kernel)
    let dialect = GFPDialect(kernel: version)
    return GFPMask(
      rawValue: (dialect.rawValue(of: composite) ?? 0) | dialect.rawValue(for: extra),
      kernel: version)
  }

  /// Fills memory down to the min watermark with pages of `use`, as a workload would.
  static func fill(_ machine: inout SimulatedMachine, with use: PageUse, kernel: String = "6.1.0")
    throws
  {
    let movable = try mask(.highuserMovable, kernel)
    let flags = movable.slowPathAllocFlags(order: 0)
    while let block = machine.memory.allocateFromFreelist(order: 0, mask: movable, flags: flags) {
      machine.memory.setUse(block.pfn, use)
    }
  }

  static func reclaims(_ attempt: AllocationAttempt) -> Int {
    attempt.steps.filter { if case .directReclaim = $0 { true } else { false } }.count
  }

  @Test func atomicRequestsNeverReclaimAndFailAtTheReserves() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .file)
    let cached = machine.memory.lruPageCount(node: 0, list: .inactiveFile)
    let atomic = try Self.mask(.atomic)
    var last: AllocationAttempt?
    for _ in 0..<100_000 {
      let attempt = machine.allocate(order: 0, mask: atomic)
      last = attempt
      if attempt.allocation == nil { break }
    }
    let attempt = try #require(last)
    #expect(attempt.outcome == .failed(reason: "the request cannot sleep or reclaim"))
    #expect(Self.reclaims(attempt) == 0)
    #expect(attempt.steps.contains(.wokeKswapd))
    // The page cache is untouched: only kswapd or a request that may sleep reclaims it.
    #expect(machine.memory.lruPageCount(node: 0, list: .inactiveFile) == cached)
  }

  @Test func cleanPageCacheIsReclaimedForAKernelRequest() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .file)
    let attempt = machine.allocate(order: 0, mask: try Self.mask(.kernel))
    #expect(attempt.allocation != nil)
    #expect(Self.reclaims(attempt) == 1)
    #expect(machine.memory.invariantViolations() == [])
  }

  @Test(arguments: ["4.9.56", "5.10", "6.1.0"])
  func costlyOrdersFailWithoutTheOOMKiller(kernel: String) throws {
    var machine = try Self.machine(kernel: kernel)
    try Self.fill(&machine, with: .kernel, kernel: kernel)
    let attempt = machine.allocate(order: 4, mask: try Self.mask(.kernel, kernel))
    guard case .failed(let reason) = attempt.outcome else {
      Issue.record("expected a failure, got \(attempt.outcome)")
      return
    }
    #expect(reason.hasPrefix("costly order 4"))
  }

  @Test func retryMayFailCostlyRequestsRetryButNeverOOM() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .kernel)
    let attempt = machine.allocate(order: 4, mask: try Self.mask(.kernel, extra: [.retryMayFail]))
    // With nothing to reclaim, should_reclaim_retry() says no at once; the OOM path then
    // declines the costly order.
    #expect(attempt.outcome == .failed(reason: "costly order 4"))
    #expect(attempt.steps.contains(.oomSkipped("costly order 4")))
    #expect(Self.reclaims(attempt) == 1)
  }

  @Test func noRetryStopsAfterOneRoundOfReclaim() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .kernel)
    let attempt = machine.allocate(order: 0, mask: try Self.mask(.kernel, extra: [.noRetry]))
    #expect(attempt.outcome == .failed(reason: "__GFP_NORETRY: one round of reclaim only"))
    #expect(Self.reclaims(attempt) == 1)
  }

  @Test func anUnreclaimableMachineWithNothingToKillPanicsForAnOrderZeroKernelRequest() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .anon)
    let attempt = machine.allocate(order: 0, mask: try Self.mask(.kernel))
    // Nothing is reclaimable without swap: one round, then should_reclaim_retry() says no, and
    // with no task to kill the OOM killer panics.
    #expect(attempt.outcome == .panicked("System is deadlocked on memory"))
    #expect(Self.reclaims(attempt) == 1)
  }

  @Test func withSwapAnonymousMemoryIsSwappedOut() throws {
    var machine = try Self.machine(swapPages: 4096)
    try Self.fill(&machine, with: .anon)
    let attempt = machine.allocate(order: 0, mask: try Self.mask(.kernel))
    #expect(attempt.allocation != nil)
    #expect(machine.swap.usedPages > 0)
  }

  @Test func noFailNeverFails() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .kernel)
    let kernel = machine.allocate(order: 0, mask: try Self.mask(.kernel, extra: [.noFail]))
    #expect(kernel.outcome == .panicked("System is deadlocked on memory"))
    let noFS = machine.allocate(order: 0, mask: try Self.mask(.noFS, extra: [.noFail]))
    if case .failed = noFS.outcome { Issue.record("a __GFP_NOFAIL request failed") }
    let costly = machine.allocate(order: 5, mask: try Self.mask(.kernel, extra: [.noFail]))
    if case .failed = costly.outcome { Issue.record("a __GFP_NOFAIL request failed") }
  }

  @Test func noFSRequestsLoopInsteadOfOOMKilling() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .kernel)
    let attempt = machine.allocate(order: 0, mask: try Self.mask(.noFS))
    #expect(attempt.outcome == .keepsRetrying(reason: "GFP_NOFS/GFP_NOIO requests loop"))
    #expect(
      attempt.steps.contains(
        .oomSkipped("no __GFP_FS: out_of_memory() reports progress without killing")))
  }

  /// GFP_NOFS on dirty page cache: reclaim counts the pages but cannot write them back.
  ///
  /// After 16 rounds without progress 4.10+ gives back a high-atomic pageblock (the one with free pages)
  /// and the request gets them; 4.9 goes on looping.
  @Test(arguments: ["6.1.0", "4.9.0"])
  func theHighAtomicReserveIsGivenBackAfterSixteenFruitlessRounds(kernel: String) throws {
    var machine = try Self.machine(kernel: kernel)
    let atomic = try Self.mask(.atomic, kernel, extra: [.comp])
    // 64 order-3 blocks use up a first reserve pageblock; the 65th reserves a second.
    for _ in 0..<65 {
      let block = machine.memory.allocateFromFreelist(
        order: 3, mask: atomic, flags: atomic.slowPathAllocFlags(order: 3))
      #expect(block != nil)
    }
    #expect(machine.memory.reservedHighAtomic(zone: 1) == 1024)
    try Self.fill(&machine, with: .fileDirty, kernel: kernel)
    let attempt = machine.allocate(order: 0, mask: try Self.mask(.noFS, kernel))
    let unreserved = attempt.steps.filter { $0 == .unreservedHighAtomic }.count
    if kernel == "6.1.0" {
      #expect(attempt.allocation != nil)
      #expect(unreserved == 1)
      #expect(machine.memory.reservedHighAtomic(zone: 1) == 512)
    } else {
      #expect(attempt.outcome == .keepsRetrying(reason: "GFP_NOFS/GFP_NOIO requests loop"))
      #expect(unreserved == 0)
      #expect(machine.memory.reservedHighAtomic(zone: 1) == 1024)
    }
  }

  @Test func noFSReclaimCannotWriteBackDirtyFilePages() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .fileDirty)
    let noFS = machine.shrinkNode(0, ReclaimControl(mask: try Self.mask(.noFS)))
    #expect(noFS.writebackStarted == 0)
    #expect(noFS.reclaimed == 0)
    let kernel = machine.shrinkNode(0, ReclaimControl(mask: try Self.mask(.kernel)))
    #expect(kernel.writebackStarted > 0)
    // The writeback has completed by the next pass, which frees the pages.
    let next = machine.shrinkNode(0, ReclaimControl(mask: try Self.mask(.noFS)))
    #expect(next.reclaimed > 0)
  }

  @Test func kswapdRestoresFreePagesToTheHighWatermark() throws {
    var machine = try Self.machine()
    try Self.fill(&machine, with: .file)
    let dma32 = 1
    let marks = machine.memory.zoneSettings(dma32).watermarks
    #expect(machine.memory.freePages(zone: dma32) < marks.low)
    let movable = try Self.mask(.highuserMovable)
    let highest = machine.memory.highestZoneIndex(for: movable)
    machine.wakeKswapd(order: 0, highestZoneIndex: try #require(highest))
    let run = machine.runKswapd()
    #expect(run.balanced)
    #expect(machine.memory.freePages(zone: dma32) > marks.high)
    #expect(machine.memory.invariantViolations() == [])
  }
}

extension SlowPathTests {
  @Test func dropCachesFreesCleanCacheAndReclaimableSlabOnly() throws {
    var machine = try Self.machine()
    let movable = try Self.mask(.highuserMovable)
    let kernel = try Self.mask(.kernel)
    for (count, use, mask) in [
      (1000, PageUse.file, movable), (300, .fileDirty, movable), (200, .slabReclaimable, kernel),
      (100, .anon, movable),
    ] {
      for _ in 0..<count { _ = machine.allocate(order: 0, mask: mask, use: use) }
    }
    #expect(machine.dropCaches(.pageCache) == 1000)
    #expect(machine.memory.lruPageCount(node: 0, list: .inactiveFile) == 300)
    #expect(machine.dropCaches([.pageCache, .slab]) == 200)
    #expect(machine.memory.lruPageCount(node: 0, list: .inactiveAnon) == 100)
    #expect(machine.memory.invariantViolations() == [])
  }

  /// `zone_reclaimable_pages()` counts anon pages while swap has room, whatever the request.
  @Test func anonIsReclaimableOnlyWithSwapSpace() throws {
    for swapPages in [0, 4096] {
      var machine = try Self.machine(swapPages: swapPages)
      try Self.fill(&machine, with: .anon)
      let anon =
        machine.memory.lruPageCount(zone: 1, list: .inactiveAnon)
        + machine.memory.lruPageCount(zone: 1, list: .activeAnon)
      #expect(anon > 0)
      #expect(machine.reclaimablePages(zone: 1) == (swapPages > 0 ? anon : 0))
    }
  }
}
