internal import MMCore

/// Building the machine a scenario describes: layout, CMA, swap, sysctls, memory cgroups and the
/// tasks it starts with. Impossible machines are ``ScenarioError``s naming the key.
extension SimulatedMachine {
  /// The page size scenarios use.
  static let scenarioPageSize = 4096

  /// Boots the scenario's machine and sets it up as the scenario says, before its timeline.
  ///
  /// - Throws: ``ScenarioError`` for a kernel release oomlab cannot place, a machine whose
  ///   zones or CMA areas do not fit, or a sysctl value the kernel would refuse.
  public static func booting(_ scenario: Scenario, file: String = "scenario")
    throws(ScenarioError) -> SimulatedMachine
  {
    func fail(_ keyPath: String, _ reason: String) -> ScenarioError {
      ScenarioError(file: file, keyPath: keyPath, reason: reason)
    }
    let kernel: KernelVersion
    do {
      kernel = try KernelVersion(parsing: scenario.kernel)
    } catch {
      throw fail("kernel", "'\(scenario.kernel)' is not a kernel release oomlab can place")
    }
    let layout = try Self.layout(of: scenario.machine, fail: fail)
    let swapPages = scenario.machine.swap.flatMap { $0.pages(pageSize: Self.scenarioPageSize) }
    var machine = SimulatedMachine(
      layout: layout, rules: AllocatorRules(kernel: kernel),
      boot: Boot(swapPages: swapPages ?? 0))
    for (key, value) in (scenario.sysctl ?? [:]).sorted(by: { $0.key < $1.key }) {
      if let reason = machine.writeSysctl(key, value) { throw fail("sysctl.\(key)", reason) }
    }
    for (index, group) in (scenario.cgroups ?? []).enumerated() {
      let path = "cgroups[\(index)]"
      guard let parent = MemoryCgroup(path: group.path).parentPath, machine.memcgs[parent] != nil
      else {
        throw fail(path + ".path", "the parent of \(group.path) is not listed before it")
      }
      machine.addMemoryCgroup(
        MemoryCgroup(
          path: group.path, max: group.max?.pages(pageSize: Self.scenarioPageSize),
          high: group.high?.pages(pageSize: Self.scenarioPageSize),
          oomGroup: group.oomGroup ?? false))
    }
    for (index, task) in (scenario.tasks ?? []).enumerated() {
      if let reason = machine.start(task) { throw fail("tasks[\(index)]", reason) }
    }
    return machine
  }

  /// Starts a task and faults in the memory it holds; returns why it could not, if so.
  mutating func start(_ spec: TaskSpec) -> String? {
    guard tasks[spec.pid] == nil else { return "pid \(spec.pid) is already running" }
    let memcg = spec.cgroup ?? "/"
    guard memcgs[memcg] != nil else { return "memory cgroup \(memcg) does not exist" }
    var task = SimulatedTask(
      pid: spec.pid, comm: spec.comm, uid: spec.uid ?? 0, oomScoreAdj: spec.oomScoreAdj ?? 0)
    task.memcg = memcg
    addTask(task)
    let sizes: [(MemorySize?, PageUse)] = [
      (spec.rss?.anon, .anon), (spec.rss?.file, .file), (spec.rss?.shmem, .shmem),
    ]
    for case (let size?, let use) in sizes {
      guard tasks[spec.pid] != nil else { break }
      _ = fault(pid: spec.pid, pages: size.pages(pageSize: Self.scenarioPageSize) ?? 0, use: use)
    }
    return nil
  }

  /// Writes a `vm.*` sysctl as the kernel's handler does; returns why it was refused, if so.
  mutating func writeSysctl(_ key: String, _ value: Int) -> String? {
    let name = key.hasPrefix("vm.") ? String(key.dropFirst(3)) : key
    do {
      switch name {
      case "min_free_kbytes": writeMinFreeKbytes(value)
      case "watermark_scale_factor":
        guard (1...3000).contains(value) else { return "must be 1…3000" }
        writeWatermarkScaleFactor(value)
      case "extfrag_threshold":
        guard (0...1000).contains(value) else { return "must be 0…1000" }
        extfragThreshold = value
      case "panic_on_oom":
        guard (0...2).contains(value) else { return "must be 0, 1 or 2" }
        oomPolicy.panicOnOOM = value
      case "oom_kill_allocating_task": oomPolicy.killAllocatingTask = value != 0
      case "oom_dump_tasks": oomPolicy.dumpTasks = value != 0
      case "overcommit_memory":
        guard let mode = OvercommitMode(rawValue: value) else { return "must be 0, 1 or 2" }
        writeOvercommitMemory(mode)
      case "overcommit_ratio": try writeOvercommitRatio(value)
      case "overcommit_kbytes": try writeOvercommitKbytes(value)
      case "admin_reserve_kbytes": try writeAdminReserveKbytes(value)
      case "user_reserve_kbytes": try writeUserReserveKbytes(value)
      case "drop_caches":
        guard (1...3).contains(value) else { return "must be 1, 2 or 3" }
        dropCaches(DropCaches(rawValue: value))
      case "compact_memory": _ = compactMemory()
      default: return "the model does not know this sysctl"
      }
    } catch {
      return error.description
    }
    return nil
  }

  /// The layout of a machine description.
  private static func layout(
    of spec: MachineSpec, fail: (String, String) -> ScenarioError
  ) throws(ScenarioError) -> MachineLayout {
    let pageSize = scenarioPageSize
    guard let architecture = Architecture(rawValue: spec.arch ?? "x86_64") else {
      throw fail("machine.arch", "must be x86_64, i386, arm64 or generic")
    }
    let pageblockOrder = spec.pageblockOrder ?? 9
    guard (1...10).contains(pageblockOrder) else {
      throw fail("machine.pageblock_order", "must be 1…10")
    }
    var layout: MachineLayout
    switch (spec.ram, spec.zones) {
    case (let ram?, nil):
      guard let bytes = ram.bytes(pageSize: pageSize), bytes >= 16 << 20, bytes <= 1 << 42 else {
        throw fail("machine.ram", "must be 16 MiB … 4 TiB")
      }
      layout = .fromRAM(
        bytes, architecture: architecture, pageSize: pageSize, pageblockOrder: pageblockOrder)
    case (nil, let zones?):
      layout = MachineLayout(
        architecture: architecture, pageSize: pageSize, pageblockOrder: pageblockOrder,
        zones: try explicitZones(zones, architecture: architecture, fail: fail))
    default:
      throw fail("machine", "give either ram or zones")
    }
    for (index, area) in (spec.cma ?? []).enumerated() {
      let key = "machine.cma[\(index)]"
      guard let kind = ZoneKind(kernelName: area.zone),
        let zone = layout.zones.firstIndex(where: { $0.kind == kind && $0.spanned > 0 })
      else { throw fail(key + ".zone", "no populated \(area.zone) zone") }
      let blockPages = 1 << pageblockOrder
      guard let pages = area.size.pages(pageSize: pageSize), pages > 0,
        pages % blockPages == 0
      else { throw fail(key + ".size", "must be a positive number of whole pageblocks") }
      let span = layout.zones[zone]
      let end = (span.startPFN + span.spanned) / blockPages * blockPages
      let taken = layout.cmaAreas.filter { $0.zoneIndex == zone }.reduce(0) { $0 + $1.pages }
      guard pages + taken <= span.managed, end - taken - pages >= span.startPFN else {
        throw fail(key + ".size", "larger than the \(area.zone) zone's managed memory")
      }
      layout.cmaAreas.append(CMAArea(zoneIndex: zone, startPFN: end - taken - pages, pages: pages))
    }
    return layout
  }

  /// Explicit zones in the architecture's order, the ones not given empty.
  private static func explicitZones(
    _ specs: [ZoneSpec], architecture: Architecture, fail: (String, String) -> ScenarioError
  ) throws(ScenarioError) -> [ZoneLayout] {
    let pageSize = scenarioPageSize
    var byKind: [ZoneKind: ZoneLayout] = [:]
    var nextPFN = 0
    for (index, spec) in specs.enumerated() {
      let key = "machine.zones[\(index)]"
      guard let kind = ZoneKind(kernelName: spec.kind),
        MachineLayout.zoneKinds(for: architecture).contains(kind)
      else { throw fail(key + ".kind", "\(spec.kind) is not a zone of \(architecture)") }
      guard byKind[kind] == nil else { throw fail(key + ".kind", "\(spec.kind) given twice") }
      guard let present = spec.present.pages(pageSize: pageSize), present > 0 else {
        throw fail(key + ".present", "must be at least one page")
      }
      let spanned = spec.spanned?.pages(pageSize: pageSize) ?? present
      let managed = spec.managed?.pages(pageSize: pageSize) ?? present
      guard spanned >= present else { throw fail(key + ".spanned", "smaller than present") }
      guard managed <= present else { throw fail(key + ".managed", "larger than present") }
      let start = spec.startPFN ?? nextPFN
      // Frames are linked by 32-bit PFNs: every zone ends below 2^32 − 1.
      guard start >= nextPFN, start + spanned < Int(UInt32.max) else {
        throw fail(key + ".start_pfn", "overlaps the zone before it or is out of range")
      }
      byKind[kind] = ZoneLayout(
        kind: kind, startPFN: start, spanned: spanned, present: present, managed: managed)
      nextPFN = start + spanned
    }
    return MachineLayout.zoneKinds(for: architecture).map {
      byKind[$0] ?? ZoneLayout(kind: $0, startPFN: 0, spanned: 0)
    }
  }
}
