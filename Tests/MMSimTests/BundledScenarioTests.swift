import Foundation
import MMCore
import MMSim
import MMTestSupport
import Testing

/// The scenarios oomlab ships (`Sources/oomlab/scenarios`): each loads, plays the same way
/// twice, says what it teaches, and reaches the outcome its description claims.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct BundledScenarioTests {
  /// The bundled scenarios' names, sorted.
  static let names: [String] = {
    let files = try? FileManager.default.contentsOfDirectory(
      atPath: Fixtures.bundledScenarios.path)
    return (files ?? []).filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  /// The bundled scenario `name`, loaded.
  static func load(_ name: String) throws -> Scenario {
    let file = Fixtures.bundledScenarios.appendingPathComponent(name + ".yaml")
    return try Scenario(yaml: try Fixtures.text(of: file), file: name + ".yaml")
  }

  /// The free blocks of `order` or more in a snapshot, all zones.
  static func freeBlocks(orderAtLeast order: Int, in snapshot: ProcSnapshot) -> Int {
    snapshot.buddyInfo.rows.reduce(0) { $0 + $1.freeBlocks.dropFirst(order).reduce(0, +) }
  }

  /// The snapshot the timeline labelled `label`.
  static func snapshot(_ label: String, of record: ScenarioRecord) throws -> ProcSnapshot {
    try #require(record.snapshots.first { $0.label == label })
  }

  /// The events of `kind` in a run.
  static func events(_ kind: RunEvent.Kind, in record: ScenarioRecord) -> [RunEvent] {
    record.events.filter { $0.kind == kind }
  }

  @Test func theScenariosAreThere() {
    #expect(
      Self.names == [
        "container-memcg-oom", "desktop-oom-score-adj", "drop-caches-before-allocation",
        "fragmentation-compaction", "min-free-kbytes-atomic-burst", "seed-cma-leak",
        "strict-overcommit-malloc",
      ])
  }

  @Test(arguments: names)
  func loadsPlaysTheSameTwiceAndSaysWhatItTeaches(_ name: String) throws {
    let scenario = try Self.load(name)
    #expect(scenario.name == name)
    #expect((scenario.description?.count ?? 0) > 80, "\(name) needs a description")
    #expect(try scenario.play() == scenario.play())
  }

  /// Mode 2 refuses python3's 512 MiB mapping (CommitLimit 2 GiB, 1.6 GiB committed) with
  /// most of the RAM free; mode 0 grants it.
  @Test func strictOvercommitRefusesTheMallocThatMode0Grants() throws {
    var scenario = try Self.load("strict-overcommit-malloc")
    let strict = try scenario.play()
    let refusals = Self.events(.commitRefused, in: strict)
    #expect(refusals.count == 1)
    #expect(refusals.first?.pid == 2215)
    #expect(refusals.first?.detail.contains("refused 131072 pages (overcommit_memory 2") == true)
    let before = try Self.snapshot("before-malloc", of: strict)
    let free = try #require(before.memInfo.value(named: "MemFree"))
    let limit = try #require(before.memInfo.value(named: "CommitLimit"))
    let committed = try #require(before.memInfo.value(named: "Committed_AS"))
    #expect(free > 3 << 20 && limit < 2 << 20)
    #expect(committed + 512 << 10 > limit && free > 512 << 10)

    scenario.sysctl?["vm.overcommit_memory"] = 0
    let heuristic = try scenario.play()
    #expect(Self.events(.commitRefused, in: heuristic).isEmpty)
    let end = try #require(heuristic.snapshots.last?.memInfo.value(named: "Committed_AS"))
    #expect(end == committed + 512 << 10)
  }

  /// With vm.min_free_kbytes raised before it, the 3072-page GFP_ATOMIC burst finds the pages
  /// kswapd freed ahead of it; with the default it fails part way.
  @Test func aRaisedMinFreeKbytesAbsorbsTheAtomicBurst() throws {
    let scenario = try Self.load("min-free-kbytes-atomic-burst")
    let raised = try scenario.play()
    #expect(Self.events(.allocationFailure, in: raised).isEmpty)
    #expect(!Self.events(.kswapd, in: raised).isEmpty)
    let ahead = try Self.snapshot("before-burst", of: raised)
    #expect(try #require(ahead.memInfo.value(named: "MemFree")) > 3072 * 4)

    var unchanged = scenario
    unchanged.timeline.removeAll { $0.sysctl != nil }
    let record = try unchanged.play()
    let failures = Self.events(.allocationFailure, in: record)
    #expect(failures.count == 1)
    #expect(failures.first?.order == 0 && failures.first?.gfp == "0xa20")
    let before = try Self.snapshot("before-burst", of: record)
    #expect(try #require(before.memInfo.value(named: "MemFree")) < 3072 * 4)
  }

  /// Page cache fills the board with no free block above order 8; dropping it before the
  /// order-10 atomic request frees over a hundred order-10 blocks, and without the drop it fails.
  @Test func droppingCachesLetsTheOrder10AtomicRequestSucceed() throws {
    let scenario = try Self.load("drop-caches-before-allocation")
    let dropped = try scenario.play()
    #expect(Self.events(.allocationFailure, in: dropped).isEmpty)
    let full = try Self.snapshot("full", of: dropped)
    #expect(Self.freeBlocks(orderAtLeast: 9, in: full) == 0)
    #expect(try #require(full.memInfo.value(named: "MemFree")) > 4 << 10)
    let before = try Self.snapshot("before-buffer", of: dropped)
    #expect(Self.freeBlocks(orderAtLeast: 10, in: before) > 100)

    var kept = scenario
    kept.timeline.removeAll { $0.sysctl != nil }
    let failures = Self.events(.allocationFailure, in: try kept.play())
    #expect(failures.count == 1)
    #expect(failures.first?.order == 10 && failures.first?.pid == 702)
  }

  /// node, over its container's memory.max, is killed by the memcg OOM killer; postgres, outside
  /// the container, is alive at the end and kept growing after the kill.
  @Test func theContainersOOMKillStaysInsideTheContainer() throws {
    let record = try Self.load("container-memcg-oom").play()
    let kills = Self.events(.oomKill, in: record)
    #expect(kills.count == 1)
    let kill = try #require(kills.first)
    #expect(kill.pid == 4730)
    #expect(kill.detail.hasPrefix("Memory cgroup out of memory"))
    guard case .oom(let report)? = record.log.first?.report else {
      Issue.record("no OOM report")
      return
    }
    #expect(report.summary?.constraint == "CONSTRAINT_MEMCG")
    #expect(report.summary?.oomMemcg == "/system.slice/docker-3f9a1c.scope")
    let end = try #require(record.snapshots.last)
    #expect(Set(end.oomScores.keys) == [640, 905, 4711])
    #expect(try #require(end.memInfo.value(named: "MemFree")) > 3 << 20)
    let atKill = try #require(record.samples.last { $0.nanoseconds <= kill.nanoseconds })
    let last = try #require(record.samples.last)
    #expect(last.nanoseconds > kill.nanoseconds)
    #expect((last.rss[905] ?? 0) > (atKill.rss[905] ?? 0))
    #expect(last.rss[4730] == 0)
  }

  /// The 96 MiB tab with oom_score_adj 300 is the victim while cc1plus and the editor, bigger,
  /// live on; with the tab's adj at 0 the victim is cc1plus.
  @Test func oomScoreAdjMakesTheTabTheVictim() throws {
    let scenario = try Self.load("desktop-oom-score-adj")
    let record = try scenario.play()
    let kills = Self.events(.oomKill, in: record)
    #expect(kills.map(\.pid) == [1388])
    #expect(kills.first?.detail.hasPrefix("Out of memory") == true)
    guard case .oom(let report)? = record.log.first?.report else {
      Issue.record("no OOM report")
      return
    }
    let rss = Dictionary(uniqueKeysWithValues: report.tasks.map { ($0.pid, $0.rss ?? 0) })
    let tab = try #require(rss[1388])
    #expect(try #require(rss[2210]) > 3 * tab)
    #expect(try #require(rss[1502]) > 2 * tab)
    let end = try #require(record.snapshots.last)
    #expect(Set(end.oomScores.keys) == [812, 1207, 1502, 2210])

    var equal = scenario
    let tabIndex = try #require(equal.tasks?.firstIndex { $0.pid == 1388 })
    equal.tasks?[tabIndex].oomScoreAdj = 0
    #expect(Self.events(.oomKill, in: try equal.play()).map(\.pid) == [2210])
  }

  /// 100 MiB free in order-8 holes and no order-10 block; vm.compact_memory makes about 25.
  ///
  /// The order-10 GFP_KERNEL request succeeds either way (without the sysctl it compacts
  /// directly); a GFP_NOWAIT one succeeds only after the sysctl.
  @Test func compactionMakesTheOrder10BlockTheRequestNeeds() throws {
    let scenario = try Self.load("fragmentation-compaction")
    let record = try scenario.play()
    #expect(Self.events(.allocationFailure, in: record).isEmpty)
    let fragmented = try Self.snapshot("fragmented", of: record)
    #expect(Self.freeBlocks(orderAtLeast: 10, in: fragmented) == 0)
    #expect(try #require(fragmented.memInfo.value(named: "MemFree")) > 100 << 10)
    let compacted = try Self.snapshot("compacted", of: record)
    #expect(Self.freeBlocks(orderAtLeast: 10, in: compacted) >= 20)

    let request = try #require(scenario.timeline.lastIndex { $0.allocate?.order == 10 })
    var direct = scenario
    direct.timeline.removeAll { $0.sysctl != nil }
    let directRecord = try direct.play()
    #expect(Self.events(.allocationFailure, in: directRecord).isEmpty)
    // Neither kswapd nor kcompactd ran: the request made its block by compacting directly.
    #expect(Self.events(.kswapd, in: directRecord).isEmpty)
    #expect(Self.events(.kcompactd, in: directRecord).isEmpty)

    var nowait = scenario
    nowait.timeline[request].allocate?.gfp = "GFP_NOWAIT"
    #expect(Self.events(.allocationFailure, in: try nowait.play()).isEmpty)
    nowait.timeline.removeAll { $0.sysctl != nil }
    let failures = Self.events(.allocationFailure, in: try nowait.play())
    #expect(failures.map(\.order) == [10])
  }
}
