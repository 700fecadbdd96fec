import MMCore
import MMSim
import Testing

/// Playing scenarios on the virtual clock.
@Suite(.timeLimit(.minutes(2)))
struct ScenarioPlayTests {
  /// A size of the test data (a typo traps rather than weakening a test).
  static func size(_ text: String) -> MemorySize {
    do { return try MemorySize(parsing: text) } catch { fatalError("test data: \(error)") }
  }

  /// A duration of the test data (a typo traps rather than weakening a test).
  static func time(_ text: String) -> VirtualDuration {
    do { return try VirtualDuration(parsing: text) } catch { fatalError("test data: \(error)") }
  }

  /// The seed case as values (the bundled YAML says the same).
  static let seed = Scenario(
    name: "seed-cma-leak", kernel: "4.9.56",
    machine: MachineSpec(
      arch: "generic",
      zones: [
        ZoneSpec(
          kind: "Normal", startPFN: 1, present: size("1048572 kB"), managed: size("734568 kB"))
      ], pageblockOrder: 10, cma: [CMASpec(zone: "Normal", size: size("352 MiB"))]),
    tasks: [TaskSpec(pid: 179, comm: "AiApp", rss: RSSSpec(anon: size("13080 kB")))],
    timeline: [
      EventSpec(
        at: time("0 s"), allocate: AllocateSpec(gfp: "GFP_KERNEL", count: 2663, use: "slab")),
      EventSpec(
        at: time("1 s"),
        allocate: AllocateSpec(gfp: "GFP_HIGHUSER_MOVABLE", count: 90557, use: "file")),
      EventSpec(
        at: time("2 s"), every: time("10 ms"), count: 6164,
        allocate: AllocateSpec(order: 2, gfp: "GFP_KERNEL", use: "kernel")),
      EventSpec(
        at: time("64 s"),
        allocate: AllocateSpec(gfp: "GFP_HIGHUSER_MOVABLE", count: 24512, use: "file")),
      EventSpec(
        at: time("65 s"),
        allocate: AllocateSpec(order: 10, gfp: "GFP_ATOMIC|__GFP_COMP", comm: "AiApp")),
    ],
    stop: StopSpec(on: ["allocation_failure"]))

  @Test func theSeedCaseFailsWithTheFreeMemoryInCMA() throws {
    let record = try Self.seed.play()
    let failure = try #require(record.events.first { $0.kind == .allocationFailure })
    #expect(failure.order == 10 && failure.gfp == "0x2084020" && failure.pid == 179)
    #expect(failure.nanoseconds == 65_000_000_000)
    #expect(record.endedBecause == "stop on allocation_failure")
    guard case .allocationFailure(let report, let suppressed)? = record.log.first?.report else {
      Issue.record("no warn_alloc report")
      return
    }
    #expect(suppressed == 0)
    #expect(report.header?.comm == "AiApp")
    let normal = try #require(report.showMem?.freeAreas.first)
    // Every free order-10 block is CMA, and most free memory is.
    #expect(normal.orders[10].migrateTypes == [.cma])
    let end = try #require(record.snapshots.last)
    let free = try #require(end.memInfo.value(named: "MemFree"))
    let cma = try #require(end.memInfo.value(named: "CmaFree"))
    #expect(cma * 10 >= free * 9)
    #expect(abs(free - 248_344) * 10 < 248_344)
  }

  @Test func runsAreDeterministic() throws {
    #expect(try Self.seed.play() == Self.seed.play())
  }

  @Test func aTimelineEntryForAnUnknownTaskIsAnError() {
    var scenario = Self.seed
    scenario.timeline = [EventSpec(touch: TouchSpec(pid: 999, size: Self.size("4 MiB")))]
    #expect(
      throws: ScenarioError(
        file: "s.yaml", keyPath: "timeline[0].touch.pid", reason: "no task 999 in the scenario")
    ) { try scenario.play(file: "s.yaml") }
  }

  @Test func anMmapOfAnUnknownTaskIsAnError() {
    var scenario = Self.seed
    scenario.timeline = [EventSpec(mmap: MmapSpec(pid: 999, size: Self.size("4 MiB")))]
    #expect(
      throws: ScenarioError(
        file: "s.yaml", keyPath: "timeline[0].mmap.pid", reason: "no task 999 in the scenario")
    ) { try scenario.play(file: "s.yaml") }
  }

  /// A granted mapping is committed (Committed_AS grows by its length, rounded up to pages)
  /// without a page touched; a refused one leaves Committed_AS as it was.
  @Test func anMmapCommitsItsLengthOrIsRefused() throws {
    var scenario = Scenario(
      name: "m", kernel: "6.1.0", machine: MachineSpec(ram: Self.size("1 GiB")),
      tasks: [TaskSpec(pid: 40, comm: "app")], timeline: [])
    scenario.timeline = [
      EventSpec(snapshot: "before"),
      EventSpec(mmap: MmapSpec(pid: 40, size: Self.size("100 MiB"))),
      EventSpec(mmap: MmapSpec(pid: 40, size: Self.size("4097 B"))),
    ]
    let granted = try scenario.play()
    let before = try #require(granted.snapshots.first?.memInfo.value(named: "Committed_AS"))
    let after = try #require(granted.snapshots.last?.memInfo.value(named: "Committed_AS"))
    #expect(after - before == 100 * 1024 + 8)
    #expect(!granted.events.contains { $0.kind == .commitRefused })
    #expect(
      granted.snapshots.last?.memInfo.value(named: "MemFree")
        == granted.snapshots.first?.memInfo.value(named: "MemFree"))

    scenario.timeline[1].mmap?.size = Self.size("2 GiB")
    let refused = try scenario.play()
    let refusal = try #require(refused.events.first { $0.kind == .commitRefused })
    #expect(refusal.pid == 40 && refusal.detail.contains("refused 524288 pages"))
    let end = try #require(refused.snapshots.last?.memInfo.value(named: "Committed_AS"))
    #expect(end - before == 8)
  }

  @Test func aCMAAreaLargerThanItsZoneIsAnError() {
    var scenario = Self.seed
    scenario.machine.cma = [CMASpec(zone: "Normal", size: Self.size("1 GiB"))]
    #expect(
      throws: ScenarioError(
        keyPath: "machine.cma[0].size", reason: "larger than the Normal zone's managed memory")
    ) { try scenario.play() }
  }
}

extension ScenarioPlayTests {
  /// Errors found when the machine is built or the timeline played are placed at their key.
  @Test(arguments: [
    (
      "  cma:\n    - zone: Normal\n      size: 2 GiB\n", "machine.cma[0].size", 10, 7,
      "larger than the Normal zone's managed memory"
    ),
    (
      "sysctl:\n  vm.overcommit_memory: 7\n", "sysctl.vm.overcommit_memory", 9, 3,
      "must be 0, 1 or 2"
    ),
  ])
  func errorsAfterLoadingArePlacedInTheFile(
    extra: String, keyPath: String, line: Int, column: Int, reason: String
  ) throws {
    let yaml = """
      name: t
      kernel: 6.1.0
      machine:
        arch: generic
        zones:
          - kind: Normal
            present: 1 GiB

      """ + extra + "timeline: []\n"
    let scenario = try Scenario(yaml: yaml, file: "t.yaml")
    do {
      _ = try scenario.play(file: "t.yaml")
      Issue.record("played")
    } catch {
      let placed = error.placed(in: yaml)
      #expect(placed.keyPath == keyPath)
      #expect(placed.line == line && placed.column == column, "\(placed)")
      #expect(placed.reason == reason)
    }
  }
}

extension ScenarioPlayTests {
  /// A 64 MiB 6.1 machine with the given timeline.
  static func small(_ timeline: [EventSpec]) -> Scenario {
    Scenario(
      name: "t", kernel: "6.1.0", machine: MachineSpec(ram: size("64 MiB")), timeline: timeline)
  }

  /// Held page cache that reclaim dropped meanwhile is not freed twice.
  @Test func heldCacheDroppedMeanwhileIsNotFreedTwice() throws {
    let record = try Self.small([
      EventSpec(
        at: Self.time("0 s"),
        allocate: AllocateSpec(
          gfp: "GFP_HIGHUSER_MOVABLE", count: 100, use: "file", hold: Self.time("10 s"))),
      EventSpec(at: Self.time("5 s"), sysctl: ["vm.drop_caches": 3]),
      EventSpec(at: Self.time("20 s"), snapshot: "after"),
    ]).play()
    #expect(record.endedBecause == "the timeline finished")
    #expect(record.snapshots.map(\.label) == ["after", "end"])
  }

  /// Occurrences past one virtual week are not played (and cannot overflow the clock).
  @Test func theRunStopsAtTheOneWeekHorizon() throws {
    let record = try Self.small([
      EventSpec(
        at: Self.time("0 s"), every: Self.time("1000000 h"), count: 100_000,
        allocate: AllocateSpec(gfp: "GFP_KERNEL")),
      EventSpec(at: Self.time("6000000 h"), snapshot: "never"),
    ]).play()
    #expect(record.endedBecause == "the one-week horizon")
    #expect(record.endNanoseconds == 7 * 24 * 3_600_000_000_000)
    #expect(record.samples.count == 7 * 24 * 3600 + 1)
  }

  @Test func sizesThatOverflowAndOutOfRangeValuesAreErrors() {
    #expect(throws: MemorySize.ParseError.self) {
      _ = try MemorySize(parsing: "9223372036854775.999 KiB")
    }
    var scenario = Self.small([])
    scenario.machine = MachineSpec(
      arch: "generic",
      zones: [ZoneSpec(kind: "Normal", startPFN: 1 << 40, present: Self.size("1 GiB"))])
    #expect(
      throws: ScenarioError(
        keyPath: "machine.zones[0].start_pfn",
        reason: "overlaps the zone before it or is out of range")
    ) { try scenario.play() }
    scenario = Self.small([])
    scenario.sysctl = ["vm.watermark_scale_factor": 0]
    #expect(
      throws: ScenarioError(
        keyPath: "sysctl.vm.watermark_scale_factor", reason: "must be 1…3000")
    ) { try scenario.play() }
  }
}
