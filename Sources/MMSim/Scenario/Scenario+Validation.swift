internal import MMCore

/// The names and limits a scenario file is checked against when it is loaded.
enum ScenarioLimits {
  /// The page size sizes are converted at.
  static let pageSize = 4096
  /// The largest size anything may have: a 52-bit physical address space.
  static let maxBytes = 1 << 52
  /// The most occurrences of one timeline entry, and the most blocks per allocation.
  static let maxCount = 1_000_000_000
  /// `MAX_ORDER - 1`.
  static let maxOrder = 10
  /// `machine.arch`.
  static let architectures = ["x86_64", "i386", "arm64", "generic"]
  /// `zones[i].kind` and `cma[i].zone`.
  static let zoneKinds = ["DMA", "DMA32", "Normal", "HighMem", "Movable"]
  /// The `vm.*` sysctls a scenario may set (without the `vm.` prefix).
  static let sysctls = [
    "min_free_kbytes", "watermark_scale_factor", "overcommit_memory",
    "overcommit_ratio", "overcommit_kbytes", "panic_on_oom", "oom_kill_allocating_task",
    "oom_dump_tasks", "extfrag_threshold", "drop_caches", "compact_memory",
    "admin_reserve_kbytes", "user_reserve_kbytes",
  ]
}

extension Scenario {
  /// Runs the load-time checks, in file order, and throws at the first problem.
  func validate(in locator: ScenarioLocator) throws(ScenarioError) {
    if name.isEmpty { throw locator.error(at: .root / "name", "must not be empty") }
    let version: KernelVersion
    do {
      version = try KernelVersion(parsing: kernel)
    } catch {
      throw locator.error(at: .root / "kernel", error.description)
    }
    try machine.validate(at: .root / "machine", in: locator)
    if let sysctl { try validateSysctls(sysctl, at: .root / "sysctl", in: locator) }
    let cgroupPaths = try validateCgroups(in: locator)
    var pids: Set<Int> = []
    for (index, task) in (tasks ?? []).enumerated() {
      let path = ScenarioPath.root / "tasks" / index
      try task.validate(at: path, cgroups: cgroupPaths, in: locator)
      guard pids.insert(task.pid).inserted else {
        throw locator.error(at: path / "pid", "pid \(task.pid) is listed twice")
      }
    }
    let gfp = GFPDialect(kernel: version)
    for (index, event) in timeline.enumerated() {
      try event.validate(
        at: .root / "timeline" / index, gfp: gfp, cgroups: cgroupPaths, in: locator)
    }
    try stop?.validate(at: .root / "stop", in: locator)
  }

  /// Checks that each cgroup path is absolute, listed once and after its parent.
  ///
  /// - Returns: The paths, with the root `/`.
  private func validateCgroups(in locator: ScenarioLocator) throws(ScenarioError) -> Set<String> {
    var known: Set<String> = ["/"]
    for (index, cgroup) in (cgroups ?? []).enumerated() {
      let path = ScenarioPath.root / "cgroups" / index
      let name = cgroup.path
      guard name.hasPrefix("/") else {
        throw locator.error(at: path / "path", "'\(name)' must start with '/'")
      }
      guard name != "/" else {
        throw locator.error(
          at: path / "path", "the root cgroup '/' is always there; list only its descendants")
      }
      guard !name.hasSuffix("/"), !name.contains("//") else {
        throw locator.error(at: path / "path", "'\(name)' has an empty component")
      }
      let parent = String(name[..<(name.lastIndex(of: "/") ?? name.startIndex)])
      guard known.contains(parent.isEmpty ? "/" : parent) else {
        throw locator.error(at: path / "path", "parent '\(parent)' must be listed before '\(name)'")
      }
      guard known.insert(name).inserted else {
        throw locator.error(at: path / "path", "'\(name)' is listed twice")
      }
      try validateSize(cgroup.max, at: path / "max", in: locator)
      try validateSize(cgroup.high, at: path / "high", in: locator)
    }
    return known
  }
}

extension MachineSpec {
  /// Checks the architecture, the choice of `ram` or `zones`, zone kinds, sizes and CMA areas.
  func validate(at path: ScenarioPath, in locator: ScenarioLocator) throws(ScenarioError) {
    if let arch, !ScenarioLimits.architectures.contains(arch) {
      throw locator.error(
        at: path / "arch", unknown("architecture", arch, ScenarioLimits.architectures))
    }
    switch (ram, zones) {
    case (nil, nil):
      throw locator.error(at: path, "give 'ram' or 'zones'")
    case (_?, _?):
      throw locator.error(at: path / "zones", "give 'ram' or 'zones', not both")
    case (let ram?, nil):
      try validateSize(ram, at: path / "ram", in: locator, atLeastAPage: true)
    case (nil, let zones?):
      guard !zones.isEmpty else { throw locator.error(at: path / "zones", "no zones listed") }
      for (index, zone) in zones.enumerated() {
        try zone.validate(at: path / "zones" / index, in: locator)
      }
    }
    if let pageblockOrder, !(1...ScenarioLimits.maxOrder).contains(pageblockOrder) {
      throw locator.error(
        at: path / "pageblock_order",
        "\(pageblockOrder) is not an order 1…\(ScenarioLimits.maxOrder)")
    }
    for (index, area) in (cma ?? []).enumerated() {
      let areaPath = path / "cma" / index
      if !ScenarioLimits.zoneKinds.contains(area.zone) {
        throw locator.error(
          at: areaPath / "zone", unknown("zone kind", area.zone, ScenarioLimits.zoneKinds))
      }
      try validateSize(area.size, at: areaPath / "size", in: locator, atLeastAPage: true)
    }
    try validateSize(swap, at: path / "swap", in: locator)
  }
}

extension ZoneSpec {
  /// Checks the kind, the first frame and the sizes.
  func validate(at path: ScenarioPath, in locator: ScenarioLocator) throws(ScenarioError) {
    if !ScenarioLimits.zoneKinds.contains(kind) {
      throw locator.error(at: path / "kind", unknown("zone kind", kind, ScenarioLimits.zoneKinds))
    }
    if let startPFN, startPFN < 0 || startPFN > ScenarioLimits.maxBytes / ScenarioLimits.pageSize {
      throw locator.error(at: path / "start_pfn", "\(startPFN) is outside physical memory")
    }
    try validateSize(present, at: path / "present", in: locator)
    try validateSize(spanned, at: path / "spanned", in: locator)
    try validateSize(managed, at: path / "managed", in: locator)
  }
}

extension TaskSpec {
  /// Checks the pid, the uid, `oom_score_adj`, the cgroup and the memory sizes.
  func validate(at path: ScenarioPath, cgroups: Set<String>, in locator: ScenarioLocator)
    throws(ScenarioError)
  {
    try validatePID(pid, at: path / "pid", in: locator)
    if comm.isEmpty { throw locator.error(at: path / "comm", "must not be empty") }
    if let uid, uid < 0 || uid > Int(UInt32.max) {
      throw locator.error(at: path / "uid", "\(uid) is not a uid")
    }
    if let oomScoreAdj, !(-1000...1000).contains(oomScoreAdj) {
      throw locator.error(at: path / "oom_score_adj", "\(oomScoreAdj) is outside -1000…1000")
    }
    if let cgroup, !cgroups.contains(cgroup) {
      throw locator.error(at: path / "cgroup", "no cgroup '\(cgroup)' is listed under cgroups")
    }
    try validateSize(rss?.anon, at: path / "rss" / "anon", in: locator)
    try validateSize(rss?.file, at: path / "rss" / "file", in: locator)
    try validateSize(rss?.shmem, at: path / "rss" / "shmem", in: locator)
  }
}

/// Checks a `vm.*` sysctl table, in file order: known names, non-negative values.
func validateSysctls(_ values: [String: Int], at path: ScenarioPath, in locator: ScenarioLocator)
  throws(ScenarioError)
{
  let keys = locator.keys(at: path) ?? values.keys.sorted()
  for (key, value) in keys.compactMap({ key in values[key].map { (key, $0) } }) {
    guard key.hasPrefix("vm.") else {
      throw locator.error(at: path / key, "only vm.* sysctls can be set")
    }
    let name = String(key.dropFirst(3))
    guard ScenarioLimits.sysctls.contains(name) else {
      let hint = closestName(to: name, among: ScenarioLimits.sysctls).map {
        " (did you mean 'vm.\($0)'?)"
      }
      throw locator.error(at: path / key, "not a sysctl scenarios can set" + (hint ?? ""))
    }
    if value < 0 { throw locator.error(at: path / key, "\(value) is negative") }
    // The kernel's handlers take an int; larger values are refused there.
    if value > Int(Int32.max) {
      throw locator.error(at: path / key, "\(value) is larger than the kernel's int")
    }
  }
}

/// Checks that a pid is one the kernel could give (1 to `PID_MAX_LIMIT`).
func validatePID(_ pid: Int, at path: ScenarioPath, in locator: ScenarioLocator)
  throws(ScenarioError)
{
  if !(1...4_194_303).contains(pid) {
    throw locator.error(at: path, "\(pid) is not a pid (1…4194303)")
  }
}

/// Checks that a size converts to bytes at 4 KiB pages, fits a 52-bit physical address space
/// and, when `atLeastAPage`, is at least one page.
func validateSize(
  _ size: MemorySize?, at path: ScenarioPath, in locator: ScenarioLocator,
  atLeastAPage: Bool = false
) throws(ScenarioError) {
  guard let size else { return }
  guard let bytes = size.bytes(pageSize: ScenarioLimits.pageSize), bytes <= ScenarioLimits.maxBytes
  else {
    throw locator.error(at: path, "\(size) is larger than a 52-bit physical address space")
  }
  if atLeastAPage && bytes < ScenarioLimits.pageSize {
    throw locator.error(at: path, "\(size) is less than a page")
  }
}

/// `unknown <what> '<value>' (did you mean …? / expected …)`.
func unknown(_ what: String, _ value: String, _ known: [String]) -> String {
  if let near = closestName(to: value, among: known) {
    return "unknown \(what) '\(value)' (did you mean '\(near)'?)"
  }
  return "unknown \(what) '\(value)' (expected " + known.joined(separator: ", ") + ")"
}
