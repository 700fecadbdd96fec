import MMCore
import MMSim
import Testing

/// kswapd's boost and hopeless-node rules and kcompactd (slowpath-reclaim-compaction.md §4,
/// buddy-migratetypes.md "Watermark boosting"), on the fragmented 64 MiB machine of
/// ``CompactionTests``: DMA32 free only in single pages between page-cache pages.
@Suite(.timeLimit(.minutes(2)))
struct BackgroundWorkTests {
  static let dma32 = 1

  /// An unmovable order-0 request on fragmented memory: it falls back to a movable pageblock.
  static func fallBack(_ machine: inout SimulatedMachine, kernel: String = "6.1.0") throws {
    let attempt = machine.allocate(order: 0, mask: try SlowPathTests.mask(.kernel, kernel))
    #expect(attempt.allocation != nil)
  }

  @Test func aFragmentingFallbackWakesKswapdAndKcompactdFreesAPageblock() throws {
    var machine = try CompactionTests.fragmented()
    try Self.fallBack(&machine)
    let boost = machine.memory.zoneSettings(Self.dma32).watermarks.boost
    #expect(boost == 512)
    // The zone is balanced (free far above high), but boosted: kswapd is woken for order 0.
    #expect(machine.kswapdRequests[0]?.order == 0)
    let cached = machine.memory.lruPageCount(zone: Self.dma32, list: .inactiveFile)
    let work = machine.runBackgroundWork()
    let kswapd = try #require(work.kswapd.first)
    #expect(kswapd.boosted)
    // Boosted reclaim takes the boost's worth of clean cache, then the boost is gone.
    #expect(kswapd.reclaim.reclaimed >= boost)
    #expect(machine.memory.lruPageCount(zone: Self.dma32, list: .inactiveFile) < cached)
    #expect(machine.memory.zoneSettings(Self.dma32).watermarks.boost == 0)
    #expect(machine.kswapdFailures[0] == nil)
    // kcompactd, woken for a pageblock, compacts until DMA32 has a free order-9 block.
    let kcompactd = try #require(work.kcompactd.first)
    #expect(kcompactd.order == 9)
    #expect(kcompactd.migrated > 0)
    #expect(kcompactd.zones[Self.dma32] == .success(migrated: kcompactd.migrated))
    #expect(machine.memory.freeBlocks(zone: Self.dma32)[9...].contains { $0 > 0 })
    #expect(machine.kcompactdRequests.isEmpty && machine.kcompactdWoken.isEmpty)
    #expect(machine.memory.invariantViolations() == [])
  }

  @Test func kernelsBefore5_0DoNotBoostOrWake() throws {
    var machine = try CompactionTests.fragmented(kernel: "4.19.0")
    try Self.fallBack(&machine, kernel: "4.19.0")
    #expect(machine.memory.zoneSettings(Self.dma32).watermarks.boost == 0)
    #expect(machine.kswapdRequests.isEmpty)
    let work = machine.runBackgroundWork()
    #expect(work.kswapd.isEmpty && work.kcompactd.isEmpty)
  }

  /// With nothing reclaimable (anon pages, no swap), every kswapd run fails; after 16 the node is
  /// hopeless and an atomic high-order request wakes kcompactd instead (4.17+), a request that
  /// may reclaim directly wakes neither.
  @Test(arguments: [("6.1.0", KswapdWake.kcompactd), ("4.14.0", .none)])
  func aHopelessNodeHandsAtomicRequestsToKcompactd(kernel: String, wake: KswapdWake) throws {
    var machine = try CompactionTests.fragmented(kernel: kernel, use: .anon)
    let highest = 2
    for run in 1...SimulatedMachine.maxReclaimRetries {
      let woken = machine.wakeKswapd(
        order: 3, highestZoneIndex: highest, mayDirectReclaim: false)
      #expect(woken == .kswapd)
      let result = machine.runKswapd()
      #expect(result.reclaim.reclaimed == 0)
      #expect(!result.balanced)
      #expect(machine.kswapdFailures[0] == run)
    }
    let forDirectReclaim = machine.wakeKswapd(order: 3, highestZoneIndex: highest)
    #expect(forDirectReclaim == .none)
    #expect(machine.kswapdRequests.isEmpty)
    let forAtomic = machine.wakeKswapd(
      order: 3, highestZoneIndex: highest, mayDirectReclaim: false)
    #expect(forAtomic == wake)
    #expect(machine.kcompactdWoken == (wake == .kcompactd ? [0] : []))
  }

  /// kcompactd's `compaction_suitable()` check: a zone that already has a free block of the order
  /// is left alone, and kcompactd is not woken.
  @Test func kcompactdIsNotWokenWhenTheOrderIsAlreadyFree() throws {
    var machine = try SlowPathTests.machine()
    let woken = machine.wakeKcompactd(order: 9, highestZoneIndex: 2)
    #expect(!woken)
    #expect(machine.runKcompactd().order == 0)
  }
}
