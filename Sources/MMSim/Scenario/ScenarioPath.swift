/// A key path in a scenario file: `timeline[3].allocate.gfp`, `machine.cma[0].size`.
struct ScenarioPath: Hashable, Sendable, CustomStringConvertible {
  /// One step: a mapping key or a list index (0-based).
  enum Step: Hashable, Sendable {
    case key(String)
    case index(Int)
  }

  /// The steps from the top of the file.
  var steps: [Step] = []

  /// The top of the file (the empty path).
  static let root = ScenarioPath()

  /// The path one key further down.
  static func / (path: ScenarioPath, key: String) -> ScenarioPath {
    ScenarioPath(steps: path.steps + [.key(key)])
  }

  /// The path one list element further down.
  static func / (path: ScenarioPath, index: Int) -> ScenarioPath {
    ScenarioPath(steps: path.steps + [.index(index)])
  }

  var description: String {
    var text = ""
    for step in steps {
      switch step {
      case .key(let key): text += text.isEmpty ? key : "." + key
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }
}
