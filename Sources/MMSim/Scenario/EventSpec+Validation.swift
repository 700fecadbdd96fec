internal import MMCore

extension EventSpec {
  /// The action keys; an entry has exactly one.
  static let actions = ["allocate", "touch", "mmap", "start", "exit", "sysctl", "snapshot"]
  /// `allocate.use`.
  static let uses = ["kernel", "slab", "slab_reclaimable", "file", "anon"]
  /// `touch.kind`.
  static let touchKinds = ["anon", "file", "shmem"]

  /// Checks the timing, that there is one action, and the action itself.
  func validate(
    at path: ScenarioPath, gfp: GFPDialect, cgroups: Set<String>, in locator: ScenarioLocator
  ) throws(ScenarioError) {
    let given = zip(
      Self.actions,
      [
        allocate != nil, touch != nil, mmap != nil, start != nil, exit != nil, sysctl != nil,
        snapshot != nil,
      ]
    ).filter(\.1).map(\.0)
    let fileOrder = locator.keys(at: path) ?? []
    let present = given.sorted {
      (fileOrder.firstIndex(of: $0) ?? 0) < (fileOrder.firstIndex(of: $1) ?? 0)
    }
    guard let first = present.first else {
      throw locator.error(
        at: path, "no action (give one of " + Self.actions.joined(separator: ", ") + ")")
    }
    if present.count > 1 {
      throw locator.error(
        at: path / present[1], "one action per entry, and this one also has '\(first)'")
    }
    try validateTiming(at: path, in: locator)
    if let allocate { try allocate.validate(at: path / "allocate", gfp: gfp, in: locator) }
    if let touch { try touch.validate(at: path / "touch", in: locator) }
    if let mmap { try mmap.validate(at: path / "mmap", in: locator) }
    if let start { try start.validate(at: path / "start", cgroups: cgroups, in: locator) }
    if let exit { try validatePID(exit, at: path / "exit", in: locator) }
    if let sysctl { try validateSysctls(sysctl, at: path / "sysctl", in: locator) }
    if snapshot?.isEmpty == true {
      throw locator.error(at: path / "snapshot", "the label must not be empty")
    }
  }

  /// Checks that `every` comes with `count` or `until`, that those come only with `every`, and
  /// that the entry occurs at most ``ScenarioLimits/maxCount`` times.
  private func validateTiming(at path: ScenarioPath, in locator: ScenarioLocator)
    throws(ScenarioError)
  {
    guard let every else {
      if count != nil { throw locator.error(at: path / "count", "'count' needs 'every'") }
      if until != nil { throw locator.error(at: path / "until", "'until' needs 'every'") }
      return
    }
    if every.microseconds == 0 {
      throw locator.error(at: path / "every", "the period must be longer than 0")
    }
    switch (count, until) {
    case (nil, nil):
      throw locator.error(at: path / "every", "'every' needs 'count' or 'until'")
    case (let count?, _) where count < 1 || count > ScenarioLimits.maxCount:
      throw locator.error(at: path / "count", "\(count) is outside 1…\(ScenarioLimits.maxCount)")
    case (_, let until?):
      let start = at?.microseconds ?? 0
      guard until.microseconds >= start else {
        throw locator.error(at: path / "until", "\(until) is before the first occurrence")
      }
      if (until.microseconds - start) / every.microseconds >= ScenarioLimits.maxCount {
        throw locator.error(
          at: path / "until", "more than \(ScenarioLimits.maxCount) occurrences every \(every)")
      }
    default:
      break
    }
  }
}

extension AllocateSpec {
  /// Checks the order, the GFP mask for the scenario's kernel, the count and the use.
  func validate(at path: ScenarioPath, gfp dialect: GFPDialect, in locator: ScenarioLocator)
    throws(ScenarioError)
  {
    if let order, !(0...ScenarioLimits.maxOrder).contains(order) {
      throw locator.error(
        at: path / "order", "\(order) is not an order 0…\(ScenarioLimits.maxOrder)")
    }
    do {
      _ = try dialect.parseNames(gfp)
    } catch {
      throw locator.error(at: path / "gfp", error.description)
    }
    if let count, count < 1 || count > ScenarioLimits.maxCount {
      throw locator.error(at: path / "count", "\(count) is outside 1…\(ScenarioLimits.maxCount)")
    }
    if let use, !EventSpec.uses.contains(use) {
      throw locator.error(at: path / "use", unknown("use", use, EventSpec.uses))
    }
    if comm?.isEmpty == true { throw locator.error(at: path / "comm", "must not be empty") }
  }
}

extension TouchSpec {
  /// Checks the pid, the size and the kind.
  func validate(at path: ScenarioPath, in locator: ScenarioLocator) throws(ScenarioError) {
    try validatePID(pid, at: path / "pid", in: locator)
    try validateSize(size, at: path / "size", in: locator)
    if let kind, !EventSpec.touchKinds.contains(kind) {
      throw locator.error(at: path / "kind", unknown("kind", kind, EventSpec.touchKinds))
    }
  }
}

extension MmapSpec {
  /// Checks the pid and that the length is at least a page.
  func validate(at path: ScenarioPath, in locator: ScenarioLocator) throws(ScenarioError) {
    try validatePID(pid, at: path / "pid", in: locator)
    try validateSize(size, at: path / "size", in: locator, atLeastAPage: true)
  }
}

extension StopSpec {
  /// The events a run can stop on.
  static let events = ["allocation_failure", "oom_kill", "panic"]

  /// Checks the `on` names.
  func validate(at path: ScenarioPath, in locator: ScenarioLocator) throws(ScenarioError) {
    for (index, event) in (on ?? []).enumerated() where !Self.events.contains(event) {
      throw locator.error(at: path / "on" / index, unknown("event", event, Self.events))
    }
  }
}
