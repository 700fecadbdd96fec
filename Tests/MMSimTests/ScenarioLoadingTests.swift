import Foundation
import MMSim
import MMTestSupport
import Testing
import _MMUtilities

/// A scenario text that must not load, and the error it must give.
struct BrokenScenario: Sendable, CustomTestStringConvertible {
  var label: String
  var yaml: String
  var line: Int?
  var column: Int?
  var keyPath: String
  var reason: String

  var testDescription: String { label }
}

/// `name`, `kernel`, `machine` and a one-entry `timeline`, with `lines` appended (lines 1–7).
private func minimal(gfp: String = "GFP_KERNEL", _ lines: String = "") -> String {
  """
  name: t
  kernel: 4.9.56
  machine:
    ram: 64 MiB
  timeline:
    - allocate:
        gfp: \(gfp)

  """ + lines
}

/// A minimal scenario whose machine is `machine` (lines 3–) and whose timeline follows it.
private func machine(_ machine: String) -> String {
  "name: t\nkernel: 4.9.56\nmachine:\n" + machine + "timeline:\n  - snapshot: s\n"
}

/// A scenario with one timeline entry written as `entry` (line 5 on).
private func entry(_ entry: String) -> String {
  "name: t\nkernel: 4.9.56\nmachine: {ram: 64 MiB}\ntimeline:\n" + entry
}

private let brokenScenarios: [BrokenScenario] = [
  // YAML syntax
  .init(
    label: "unclosed flow mapping", yaml: "name: t\nmachine: {ram: 64 MiB\nkernel: 4.9\n",
    line: 3, column: 7, keyPath: "", reason: "did not find expected ',' or '}'"),
  .init(
    label: "tab indentation", yaml: "name: t\nmachine:\n\tram: 64 MiB\n", line: 3, column: 1,
    keyPath: "", reason: "tabs cannot indent YAML"),
  .init(
    label: "duplicate key", yaml: minimal("name: u\n"), line: 1, column: 1, keyPath: "",
    reason: "duplicate key 'name'"),
  .init(
    label: "empty file", yaml: "# nothing\n", line: 1, column: 1, keyPath: "",
    reason: "empty scenario"),
  .init(
    label: "two documents", yaml: minimal("---\nname: u\n"), line: 8, column: 1, keyPath: "",
    reason: "expected a single document"),
  // Unknown keys
  .init(
    label: "unknown top-level key", yaml: minimal("nmae: x\n"), line: 8, column: 1,
    keyPath: "nmae", reason: "unknown key (did you mean 'name'?)"),
  .init(
    label: "unknown machine key", yaml: machine("  zonez: []\n"), line: 4, column: 3,
    keyPath: "machine.zonez", reason: "unknown key (did you mean 'zones'?)"),
  .init(
    label: "unknown allocate key", yaml: entry("  - allocate: {gpf: GFP_KERNEL}\n"), line: 5,
    column: 16, keyPath: "timeline[0].allocate.gpf", reason: "unknown key (did you mean 'gfp'?)"),
  .init(
    label: "unknown key, nothing near", yaml: minimal("stop: {whenever: 1}\n"), line: 8,
    column: 8, keyPath: "stop.whenever", reason: "unknown key"),
  // Types and units
  .init(
    label: "size in MB", yaml: machine("  ram: 64 MB\n"), line: 4, column: 3,
    keyPath: "machine.ram", reason: "unknown unit 'MB'"),
  .init(
    label: "negative bare size", yaml: machine("  ram: -4096\n"), line: 4, column: 3,
    keyPath: "machine.ram", reason: "a size cannot be negative"),
  .init(
    label: "negative size with unit", yaml: machine("  swap: -64 MiB\n  ram: 1 GiB\n"),
    line: 4, column: 3, keyPath: "machine.swap", reason: "a size cannot be negative"),
  .init(
    label: "size beyond physical memory", yaml: machine("  ram: 8388608 GiB\n"), line: 4,
    column: 3, keyPath: "machine.ram", reason: "larger than a 52-bit physical address space"),
  .init(
    label: "size that overflows", yaml: machine("  ram: 9999999999999 GiB\n"), line: 4,
    column: 3, keyPath: "machine.ram", reason: "too large"),
  .init(
    label: "size below a page", yaml: machine("  ram: 100\n"), line: 4, column: 3,
    keyPath: "machine.ram", reason: "less than a page"),
  .init(
    label: "duration without unit", yaml: entry("  - at: 10\n    snapshot: s\n"), line: 5,
    column: 5, keyPath: "timeline[0].at", reason: "expected a number and a unit"),
  .init(
    label: "negative duration", yaml: entry("  - at: -5 ms\n    snapshot: s\n"), line: 5,
    column: 5, keyPath: "timeline[0].at", reason: "a duration cannot be negative"),
  .init(
    label: "huge integer", yaml: minimal("seed: 99999999999999999999999\n"), line: 8, column: 1,
    keyPath: "seed", reason: "out of range"),
  .init(
    label: "negative seed", yaml: minimal("seed: -1\n"), line: 8, column: 1, keyPath: "seed",
    reason: "out of range for a non-negative integer"),
  .init(
    label: "word for a number", yaml: entry("  - allocate: {order: two, gfp: GFP_KERNEL}\n"),
    line: 5, column: 16, keyPath: "timeline[0].allocate.order",
    reason: "expected an integer, found 'two'"),
  .init(
    label: "mapping for text", yaml: minimal().replacing("kernel: 4.9.56", with: "kernel: {v: 4}"),
    line: 2, column: 1, keyPath: "kernel", reason: "expected a single value, found a mapping"),
  .init(
    label: "mapping for a list",
    yaml: "name: t\nkernel: 4.9.56\nmachine: {ram: 1 GiB}\ntimeline: {}\n",
    line: 4, column: 1, keyPath: "timeline", reason: "expected a list, found a mapping"),
  .init(
    label: "not a mapping", yaml: "- name\n- t\n", line: 1, column: 1, keyPath: "",
    reason: "expected a mapping of keys, found a list"),
  // Missing keys
  .init(
    label: "no kernel", yaml: "name: t\nmachine: {ram: 1 GiB}\ntimeline: []\n", line: 1,
    column: 1, keyPath: "kernel", reason: "missing required key 'kernel'"),
  .init(
    label: "no gfp", yaml: entry("  - at: 1 s\n    allocate: {order: 3}\n"), line: 6, column: 5,
    keyPath: "timeline[0].allocate.gfp", reason: "missing required key 'gfp'"),
  .init(
    label: "no zone kind", yaml: machine("  zones:\n    - present: 64 MiB\n"), line: 5,
    column: 7, keyPath: "machine.zones[0].kind", reason: "missing required key 'kind'"),
  // Timeline entries
  .init(
    label: "two actions", yaml: entry("  - allocate: {gfp: GFP_KERNEL}\n    exit: 300\n"), line: 6,
    column: 5, keyPath: "timeline[0].exit",
    reason: "one action per entry, and this one also has 'allocate'"),
  .init(
    label: "two actions, in file order",
    yaml: entry("  - exit: 300\n    allocate: {gfp: GFP_KERNEL}\n"),
    line: 6, column: 5, keyPath: "timeline[0].allocate",
    reason: "one action per entry, and this one also has 'exit'"),
  .init(
    label: "no action", yaml: entry("  - at: 1 s\n"), line: 5, column: 5, keyPath: "timeline[0]",
    reason: "no action"),
  .init(
    label: "every without count", yaml: entry("  - every: 10 ms\n    snapshot: s\n"), line: 5,
    column: 5, keyPath: "timeline[0].every", reason: "'every' needs 'count' or 'until'"),
  .init(
    label: "count without every", yaml: entry("  - count: 3\n    snapshot: s\n"), line: 5,
    column: 5, keyPath: "timeline[0].count", reason: "'count' needs 'every'"),
  .init(
    label: "until without every", yaml: entry("  - snapshot: s\n    until: 3 s\n"), line: 6,
    column: 5, keyPath: "timeline[0].until", reason: "'until' needs 'every'"),
  .init(
    label: "huge count", yaml: entry("  - every: 1 ms\n    count: 2000000000\n    exit: 3\n"),
    line: 6, column: 5, keyPath: "timeline[0].count", reason: "outside 1…1000000000"),
  .init(
    label: "too many occurrences", yaml: entry("  - every: 1 us\n    until: 1 h\n    exit: 3\n"),
    line: 6, column: 5, keyPath: "timeline[0].until", reason: "more than 1000000000 occurrences"),
  .init(
    label: "until before at",
    yaml: entry("  - at: 5 s\n    every: 1 s\n    until: 1 s\n    exit: 3\n"),
    line: 7, column: 5, keyPath: "timeline[0].until", reason: "before the first occurrence"),
  // Allocations
  .init(
    label: "unknown GFP name", yaml: minimal(gfp: "GFP_KERNAL"), line: 7, column: 7,
    keyPath: "timeline[0].allocate.gfp", reason: "bad GFP token 'GFP_KERNAL': unknown GFP name"),
  .init(
    label: "GFP name of other kernels", yaml: minimal(gfp: "GFP_KERNEL|__GFP_WAIT"), line: 7,
    column: 7, keyPath: "timeline[0].allocate.gfp", reason: "not a GFP name of kernels"),
  .init(
    label: "malformed hex mask", yaml: minimal(gfp: "0xZZ"), line: 7, column: 7,
    keyPath: "timeline[0].allocate.gfp", reason: "not a hexadecimal number"),
  .init(
    label: "order 11", yaml: entry("  - allocate: {order: 11, gfp: GFP_KERNEL}\n"), line: 5,
    column: 16, keyPath: "timeline[0].allocate.order", reason: "11 is not an order 0…10"),
  .init(
    label: "negative order", yaml: entry("  - allocate: {order: -1, gfp: GFP_KERNEL}\n"), line: 5,
    column: 16, keyPath: "timeline[0].allocate.order", reason: "-1 is not an order"),
  .init(
    label: "unknown use", yaml: entry("  - allocate: {gfp: GFP_KERNEL, use: slob}\n"), line: 5,
    column: 33, keyPath: "timeline[0].allocate.use",
    reason: "unknown use 'slob' (did you mean 'slab'?)"),
  .init(
    label: "unknown touch kind", yaml: entry("  - touch: {pid: 1, size: 1 MiB, kind: swap}\n"),
    line: 5, column: 34, keyPath: "timeline[0].touch.kind", reason: "unknown kind 'swap'"),
  // Mappings
  .init(
    label: "unknown mmap key", yaml: entry("  - mmap: {pid: 7, size: 1 GiB, prot: rw}\n"), line: 5,
    column: 33, keyPath: "timeline[0].mmap.prot", reason: "unknown key"),
  .init(
    label: "mmap without size", yaml: entry("  - mmap: {pid: 7}\n"), line: 5, column: 5,
    keyPath: "timeline[0].mmap.size", reason: "missing required key 'size'"),
  .init(
    label: "mmap of pid 0", yaml: entry("  - mmap: {pid: 0, size: 1 GiB}\n"), line: 5, column: 12,
    keyPath: "timeline[0].mmap.pid", reason: "0 is not a pid"),
  .init(
    label: "mmap below a page", yaml: entry("  - mmap: {pid: 7, size: 100 B}\n"), line: 5,
    column: 20, keyPath: "timeline[0].mmap.size", reason: "less than a page"),
  .init(
    label: "mmap and touch",
    yaml: entry(
      "  - touch: {pid: 7, size: 1 MiB}\n    mmap: {pid: 7, size: 1 MiB}\n"),
    line: 6, column: 5, keyPath: "timeline[0].mmap",
    reason: "one action per entry, and this one also has 'touch'"),
  // Kernel
  .init(
    label: "kernel not a release", yaml: minimal().replacing("4.9.56", with: "linux"), line: 2,
    column: 1, keyPath: "kernel", reason: "expected MAJOR.MINOR"),
  .init(
    label: "kernel too old", yaml: minimal().replacing("4.9.56", with: "2.4.37"), line: 2,
    column: 1, keyPath: "kernel", reason: "kernels before 2.6 are not modelled"),
  // Machine
  .init(
    label: "unknown arch", yaml: machine("  arch: x86\n  ram: 1 GiB\n"), line: 4, column: 3,
    keyPath: "machine.arch", reason: "unknown architecture 'x86'"),
  .init(
    label: "ram and zones",
    yaml: machine("  ram: 1 GiB\n  zones: [{kind: Normal, present: 1 GiB}]\n"),
    line: 5, column: 3, keyPath: "machine.zones", reason: "not both"),
  .init(
    label: "neither ram nor zones", yaml: machine("  arch: arm64\n"), line: 3, column: 1,
    keyPath: "machine", reason: "give 'ram' or 'zones'"),
  .init(
    label: "unknown zone kind",
    yaml: machine("  zones:\n    - kind: Norml\n      present: 1 GiB\n"),
    line: 5, column: 7, keyPath: "machine.zones[0].kind", reason: "did you mean 'Normal'?"),
  .init(
    label: "pageblock order 11", yaml: machine("  ram: 1 GiB\n  pageblock_order: 11\n"), line: 5,
    column: 3, keyPath: "machine.pageblock_order", reason: "11 is not an order"),
  .init(
    label: "CMA in unknown zone",
    yaml: machine("  ram: 1 GiB\n  cma: [{zone: Nrmal, size: 64 MiB}]\n"),
    line: 5, column: 10, keyPath: "machine.cma[0].zone", reason: "unknown zone kind 'Nrmal'"),
  // Sysctls, cgroups, tasks, stop
  .init(
    label: "sysctl outside vm", yaml: minimal("sysctl:\n  kernel.panic: 1\n"), line: 9,
    column: 3, keyPath: "sysctl.kernel.panic", reason: "only vm.* sysctls"),
  .init(
    label: "misspelt sysctl", yaml: minimal("sysctl:\n  vm.min_free_kbyte: 1\n"), line: 9,
    column: 3, keyPath: "sysctl.vm.min_free_kbyte", reason: "did you mean 'vm.min_free_kbytes'?"),
  .init(
    label: "first bad sysctl in file order", yaml: minimal("sysctl:\n  vm.zzz: 1\n  vm.aaa: 1\n"),
    line: 9, column: 3, keyPath: "sysctl.vm.zzz", reason: "not a sysctl scenarios can set"),
  .init(
    label: "list sysctl", yaml: minimal("sysctl:\n  vm.lowmem_reserve_ratio: 256\n"), line: 9,
    column: 3, keyPath: "sysctl.vm.lowmem_reserve_ratio", reason: "not a sysctl scenarios can set"),
  .init(
    label: "negative sysctl", yaml: entry("  - sysctl: {vm.panic_on_oom: -1}\n"), line: 5,
    column: 14, keyPath: "timeline[0].sysctl.vm.panic_on_oom", reason: "-1 is negative"),
  .init(
    label: "relative cgroup", yaml: minimal("cgroups:\n  - path: db\n"), line: 9, column: 5,
    keyPath: "cgroups[0].path", reason: "'db' must start with '/'"),
  .init(
    label: "cgroup before its parent", yaml: minimal("cgroups:\n  - path: /a/b\n  - path: /a\n"),
    line: 9, column: 5, keyPath: "cgroups[0].path",
    reason: "parent '/a' must be listed before '/a/b'"),
  .init(
    label: "task in unknown cgroup",
    yaml: minimal("cgroups: [{path: /a}]\ntasks:\n  - {pid: 1, comm: init, cgroup: /b}\n"),
    line: 10, column: 26, keyPath: "tasks[0].cgroup", reason: "no cgroup '/b'"),
  .init(
    label: "pid listed twice",
    yaml: minimal("tasks:\n  - {pid: 7, comm: a}\n  - {pid: 7, comm: b}\n"), line: 10, column: 6,
    keyPath: "tasks[1].pid", reason: "pid 7 is listed twice"),
  .init(
    label: "pid 0", yaml: minimal("tasks:\n  - {pid: 0, comm: a}\n"), line: 9, column: 6,
    keyPath: "tasks[0].pid", reason: "0 is not a pid"),
  .init(
    label: "oom_score_adj out of range",
    yaml: minimal("tasks:\n  - {pid: 3, comm: a, oom_score_adj: 1001}\n"), line: 9, column: 23,
    keyPath: "tasks[0].oom_score_adj", reason: "1001 is outside -1000…1000"),
  .init(
    label: "unknown stop event", yaml: minimal("stop: {on: [oom_kill, oom]}\n"), line: 8,
    column: 23, keyPath: "stop.on[1]", reason: "unknown event 'oom'"),
  .init(
    label: "quoted 'on' key", yaml: minimal("stop: {\"on\": [oom]}\n"), line: 8, column: 15,
    keyPath: "stop.on[0]",
    reason: "unknown event 'oom' (expected allocation_failure, oom_kill, panic)"),
]

@Suite(.timeLimit(.minutes(2)))
struct ScenarioLoadingTests {
  static let docsExampleFile = Fixtures.root.appendingPathComponent("scenarios/docs-example.yaml")

  /// The error loading `yaml` gives, or `nil` when it loads.
  static func loadError(_ yaml: String, file: String = "t.yaml") -> ScenarioError? {
    do {
      _ = try Scenario(yaml: yaml, file: file)
      return nil
    } catch {
      return error
    }
  }

  @Test(arguments: brokenScenarios)
  func brokenScenarioGivesItsError(_ broken: BrokenScenario) throws {
    let error = try #require(Self.loadError(broken.yaml), "\(broken.label) loaded")
    #expect(error.file == "t.yaml")
    #expect(error.keyPath == broken.keyPath)
    #expect(error.reason.contains(broken.reason), "\(error.reason)")
    #expect(error.line == broken.line)
    #expect(error.column == broken.column)
  }

  @Test func theBaseOfTheBrokenCasesLoads() throws {
    #expect(Self.loadError(minimal()) == nil)
    #expect(Self.loadError(machine("  ram: 1 GiB\n")) == nil)
    #expect(Self.loadError(entry("  - exit: 3\n")) == nil)
    #expect(Self.loadError(entry("  - mmap: {pid: 7, size: 512 MiB}\n")) == nil)
  }

  @Test func errorPrintsFileLineColumnKeyPathAndReason() throws {
    let error = try #require(Self.loadError(minimal(gfp: "GFP_KERNAL"), file: "leak.yaml"))
    #expect(
      error.description
        == "leak.yaml:7:7: timeline[0].allocate.gfp: bad GFP token 'GFP_KERNAL': unknown GFP name")
  }

  @Test func theDocsExampleDecodesToItsValues() throws {
    let text = try Fixtures.text(of: Self.docsExampleFile)
    let scenario = try Scenario(yaml: text, file: "seed-cma-leak.yaml")
    #expect(scenario.name == "seed-cma-leak")
    #expect(scenario.kernel == "4.9.56")
    #expect(scenario.seed == 1)
    #expect(scenario.description?.hasPrefix("A leak of order-2 GFP_KERNEL") == true)
    let machine = scenario.machine
    #expect(machine.arch == "generic")
    #expect(machine.ram == nil)
    #expect(machine.pageblockOrder == 10)
    let zone = try #require(machine.zones?.first)
    #expect(machine.zones?.count == 1)
    #expect(zone.kind == "Normal")
    #expect(zone.startPFN == 1)
    #expect(zone.present.pages(pageSize: 4096) == 262143)
    #expect(zone.managed?.bytes(pageSize: 4096) == 734568 * 1024)
    #expect(zone.spanned == nil)
    #expect(machine.cma == [CMASpec(zone: "Normal", size: try MemorySize(parsing: "352 MiB"))])
    #expect(machine.cma?.first?.size.pages(pageSize: 4096) == 90112)
    #expect(scenario.tasks?.map(\.pid) == [412])
    #expect(scenario.tasks?.first?.rss?.anon?.bytes(pageSize: 4096) == 13 << 20)
    #expect(scenario.timeline.count == 4)
    let cache = scenario.timeline[0]
    #expect(cache.at == VirtualDuration(microseconds: 0))
    #expect(cache.touch?.pid == 412)
    #expect(cache.touch?.kind == "file")
    #expect(cache.touch?.size.bytes(pageSize: 4096) == 349 << 20)
    let leak = scenario.timeline[1]
    #expect(leak.at == VirtualDuration(microseconds: 1_000_000))
    #expect(leak.every == VirtualDuration(microseconds: 10_000))
    #expect(leak.count == 6164)
    #expect(leak.until == nil)
    #expect(leak.allocate == AllocateSpec(order: 2, gfp: "GFP_KERNEL", comm: "app"))
    #expect(scenario.timeline[2].snapshot == "before-usb")
    let usb = scenario.timeline[3]
    #expect(usb.at == VirtualDuration(microseconds: 63_000_000))
    #expect(
      usb.allocate == AllocateSpec(order: 10, gfp: "GFP_ATOMIC|__GFP_COMP", comm: "kworker/0:1"))
    #expect(
      scenario.stop
        == StopSpec(at: VirtualDuration(microseconds: 120_000_000), on: ["allocation_failure"]))
  }

  @Test func everyKeyOfTheModelIsAKeyTheFileMayUse() throws {
    // JSON is YAML: a scenario that sets every field, encoded, must load back to itself.
    let size = try MemorySize(parsing: "64 MiB")
    let task = TaskSpec(
      pid: 300, comm: "db", uid: 1000, oomScoreAdj: -500, cgroup: "/db",
      rss: RSSSpec(anon: size, file: size, shmem: size))
    let scenario = Scenario(
      name: "all", description: "every key", kernel: "6.1.0", seed: 7,
      machine: MachineSpec(
        arch: "x86_64",
        zones: [
          ZoneSpec(kind: "DMA32", startPFN: 4096, present: size, spanned: size, managed: size)
        ], pageblockOrder: 9, cma: [CMASpec(zone: "DMA32", size: size)], swap: size),
      sysctl: ["vm.panic_on_oom": 1],
      cgroups: [CgroupSpec(path: "/db", max: size, high: size, oomGroup: true)],
      tasks: [task],
      timeline: [
        EventSpec(
          at: VirtualDuration(microseconds: 1000), every: VirtualDuration(microseconds: 10),
          count: 3,
          allocate: AllocateSpec(
            order: 1, gfp: "GFP_KERNEL|__GFP_COMP", count: 2, use: "slab", comm: "kworker/u8:0",
            hold: VirtualDuration(microseconds: 5_000_000))),
        EventSpec(
          every: VirtualDuration(microseconds: 1_000_000),
          until: VirtualDuration(microseconds: 3_000_000),
          touch: TouchSpec(pid: 300, size: size, kind: "shmem")),
        EventSpec(mmap: MmapSpec(pid: 300, size: size)),
        EventSpec(start: TaskSpec(pid: 301, comm: "worker", cgroup: "/db")),
        EventSpec(exit: 301),
        EventSpec(sysctl: ["vm.drop_caches": 3]),
        EventSpec(snapshot: "end"),
      ],
      stop: StopSpec(at: VirtualDuration(microseconds: 60_000_000), on: ["oom_kill", "panic"]))
    let json = String(decoding: try JSONEncoder().encode(scenario), as: UTF8.self)
    #expect(Self.loadError(json) == nil)
    #expect(try Scenario(yaml: json, file: "all.json") == scenario)
  }

  @Test func theExampleInTheDocsIsItsFixture() throws {
    let docs = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/scenarios.md")
    let markdown = try Fixtures.text(of: docs)
    let start = try #require(markdown.range(of: "```yaml\n# The seed case"))
    let end = try #require(markdown[start.upperBound...].range(of: "```\n"))
    let example = "# The seed case" + markdown[start.upperBound..<end.lowerBound]
    #expect(example == (try Fixtures.text(of: Self.docsExampleFile)))
  }

  @Test(arguments: [
    (
      "gfp: GFP_KERNEL", "gfp: GFP_KERNAL",
      "seed.yaml:33:7: timeline[1].allocate.gfp: bad GFP token 'GFP_KERNAL': unknown GFP name"
    ),
    ("zones:", "zonez:", "seed.yaml:12:3: machine.zonez: unknown key (did you mean 'zones'?)"),
    (
      "1048572 kB", "1048572 KB",
      "seed.yaml:15:7: machine.zones[0].present: '1048572 KB': unknown unit 'KB' (use B, kB, KiB,"
        + " MiB, GiB or pages)"
    ),
  ])
  func theDocumentedErrorsAreTheLoadersMessages(original: String, broken: String, message: String)
    throws
  {
    let text = try Fixtures.text(of: Self.docsExampleFile).replacing(original, with: broken)
    let error = try #require(Self.loadError(text, file: "seed.yaml"))
    #expect(error.description == message)
  }

  @Test func randomBytesNeverCrashTheLoader() {
    var random = SplitMix64(seed: 0x5ce7_a210)
    let alphabet = Array(
      "name:kernel 4.9 machine{}[]-:,'\"#&*!|>%@`\t\n  ram 1 GiB\u{0}\u{FEFF}é".utf8)
    for round in 0..<400 {
      let length = Int(random.next() % 160)
      let bytes = (0..<length).map { _ in
        round.isMultiple(of: 2)
          ? UInt8(truncatingIfNeeded: random.next())
          : alphabet[Int(random.next() % UInt64(alphabet.count))]
      }
      let text = String(decoding: bytes, as: UTF8.self)
      if let error = Self.loadError(text) { Self.expectPlaced(error, in: text) }
    }
  }

  @Test func mutationsOfTheSeedScenarioNeverCrashTheLoader() throws {
    let seed = Array(try Fixtures.text(of: Self.docsExampleFile))
    let pieces: [String] = [
      "-", ":", " ", "\n", "\t", "{", "}", "[", "]", "'", "#", "0", "99999999999999999999", "-1",
      " GiB", " ms", "|", "__GFP_", "order: 11\n", "  - ", "&a ", "*a", "~",
    ]
    var random = SplitMix64(seed: 2026)
    var loaded = 0
    for _ in 0..<600 {
      var text = seed
      for _ in 0..<(1 + Int(random.next() % 3)) {
        let position = Int(random.next() % UInt64(text.count))
        switch random.next() % 3 {
        case 0: text.remove(at: position)
        case 1:
          text.insert(contentsOf: pieces[Int(random.next() % UInt64(pieces.count))], at: position)
        default: text[position] = Character(Unicode.Scalar(UInt8(32 + random.next() % 95)))
        }
      }
      let yaml = String(text)
      if let error = Self.loadError(yaml) {
        Self.expectPlaced(error, in: yaml)
      } else {
        loaded += 1
      }
    }
    // Some mutations land in comments or text and still load; most break something.
    #expect(loaded > 0 && loaded < 600)
  }

  /// An error names the file and, when it has a position, one inside (or just past) the text.
  static func expectPlaced(_ error: ScenarioError, in text: String) {
    #expect(error.file == "t.yaml")
    #expect(!error.reason.isEmpty)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    if let line = error.line { #expect((1...lines + 1).contains(line), "\(error)") }
    if let column = error.column { #expect(column >= 1, "\(error)") }
  }
}
