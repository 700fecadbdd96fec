internal import Yams

/// The keys a scenario file may use, level by level (the model's coding keys).
///
/// Only the shape of the keys is checked here; value types are the decoder's business.
indirect enum ScenarioSchema: Sendable {
  /// A single value.
  case value
  /// A list of elements of one shape.
  case list(ScenarioSchema)
  /// A mapping with these keys, none required here.
  case fields([String: ScenarioSchema])
  /// A mapping whose keys are names checked later (sysctl names).
  case table

  /// A task (`tasks[i]`, `timeline[i].start`).
  static let task = ScenarioSchema.fields([
    "pid": .value, "comm": .value, "uid": .value, "oom_score_adj": .value, "cgroup": .value,
    "rss": .fields(["anon": .value, "file": .value, "shmem": .value]),
  ])

  /// The whole file.
  static let scenario = ScenarioSchema.fields([
    "name": .value, "description": .value, "kernel": .value, "seed": .value,
    "machine": .fields([
      "arch": .value, "ram": .value, "pageblock_order": .value, "swap": .value,
      "zones": .list(
        .fields([
          "kind": .value, "start_pfn": .value, "present": .value, "spanned": .value,
          "managed": .value,
        ])),
      "cma": .list(.fields(["zone": .value, "size": .value])),
    ]),
    "sysctl": .table,
    "cgroups": .list(
      .fields(["path": .value, "max": .value, "high": .value, "oom_group": .value])),
    "tasks": .list(task),
    "timeline": .list(
      .fields([
        "at": .value, "every": .value, "count": .value, "until": .value,
        "allocate": .fields([
          "order": .value, "gfp": .value, "count": .value, "use": .value, "comm": .value,
          "hold": .value,
        ]),
        "touch": .fields(["pid": .value, "size": .value, "kind": .value]),
        "mmap": .fields(["pid": .value, "size": .value]),
        "start": task, "exit": .value, "sysctl": .table, "snapshot": .value,
      ])),
    "stop": .fields(["at": .value, "on": .list(.value)]),
  ])

  /// Throws at the first key, in file order, that this schema does not have.
  ///
  /// Nodes whose kind does not match the schema are left for the decoder to report.
  func checkKeys(of node: Node, at path: ScenarioPath, in locator: ScenarioLocator)
    throws(ScenarioError)
  {
    switch (self, node) {
    case (.list(let element), .sequence(let sequence)):
      for (index, child) in sequence.enumerated() {
        try element.checkKeys(of: child, at: path / index, in: locator)
      }
    case (.fields(let fields), .mapping(let mapping)):
      for (key, value) in mapping {
        guard let name = key.scalar?.string else {
          throw locator.error(at: path, "keys must be plain names")
        }
        guard let schema = fields[name] else {
          let hint = closestName(to: name, among: fields.keys).map { " (did you mean '\($0)'?)" }
          throw locator.error(at: path / name, "unknown key" + (hint ?? ""))
        }
        try schema.checkKeys(of: value, at: path / name, in: locator)
      }
    case (.table, .mapping(let mapping)):
      for (key, _) in mapping where key.scalar == nil {
        throw locator.error(at: path, "keys must be plain names")
      }
    default:
      break
    }
  }
}

/// The name in `names` nearest to `name` by edit distance, when it is near enough to be a typo.
func closestName(to name: String, among names: some Sequence<String>) -> String? {
  let limit = max(1, min(3, name.count / 3))
  let scored = names.map { (name: $0, distance: editDistance(name, $0)) }
    .filter { $0.distance <= limit }
  return scored.min { ($0.distance, $0.name) < ($1.distance, $1.name) }?.name
}

/// The edit distance between two strings, by Unicode scalar, counting a swap of neighbours as
/// one edit (optimal string alignment).
private func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a.unicodeScalars)
  let b = Array(b.unicodeScalars)
  guard !a.isEmpty else { return b.count }
  var beforePrevious = Array(repeating: 0, count: b.count + 1)
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var current = [i] + Array(repeating: 0, count: b.count)
    for j in stride(from: 1, through: b.count, by: 1) {
      let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
      current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
        current[j] = min(current[j], beforePrevious[j - 2] + 1)
      }
    }
    beforePrevious = previous
    previous = current
  }
  return previous[b.count]
}
