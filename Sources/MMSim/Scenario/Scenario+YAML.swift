internal import Yams

extension Scenario {
  /// Reads a scenario file and checks everything that can be checked without building the
  /// machine.
  ///
  /// The text must be YAML whose keys are all the format's (docs/scenarios.md), whose values have
  /// the right types and units, and which passes the load-time checks: one action per timeline
  /// entry, repetition with `every`, known names (zone kinds, sysctls, `use`, `kind`, `stop.on`),
  /// a kernel release and GFP masks that read for that kernel, orders 0…10, cgroups and pids that
  /// fit together, sizes and counts within range. Impossible machines (a CMA area larger than its
  /// zone, zones that overlap) are reported when the machine is built.
  ///
  /// - Parameters:
  ///   - yaml: The file's text.
  ///   - file: The file's name or path, as errors print it.
  /// - Throws: ``ScenarioError`` for the first problem, with its line, column and key path.
  public init(yaml: String, file: String) throws(ScenarioError) {
    let root = try Self.compose(yaml, file: file)
    let locator = ScenarioLocator(root: root, file: file)
    try ScenarioSchema.scenario.checkKeys(of: root, at: .root, in: locator)
    let scenario: Scenario
    do {
      scenario = try YAMLDecoder().decode(Scenario.self, from: Self.plainKeys(root))
    } catch let error as DecodingError {
      throw locator.error(decoding: error)
    } catch {
      throw ScenarioError(file: file, keyPath: "", reason: "cannot decode: \(error)")
    }
    try scenario.validate(in: locator)
    self = scenario
  }

  /// The tree with every mapping key made a plain scalar.
  ///
  /// Yams looks a key up as a plain scalar, and a plain `on` resolves to a boolean, so a quoted
  /// `"on":` would otherwise be silently missed.
  private static func plainKeys(_ node: Node) -> Node {
    switch node {
    case .mapping(var mapping):
      for index in mapping.indices {
        let (key, value) = mapping[index]
        let plain = key.scalar.map { Node($0.string, mapping.tag.copy(with: .implicit)) }
        mapping[index] = (plain ?? key, plainKeys(value))
      }
      return .mapping(mapping)
    case .sequence(var sequence):
      for index in sequence.indices { sequence[index] = plainKeys(sequence[index]) }
      return .sequence(sequence)
    case .scalar, .alias:
      return node
    }
  }

  /// The file's single YAML document.
  private static func compose(_ yaml: String, file: String) throws(ScenarioError) -> Node {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw ScenarioError(file: file, yaml: yaml, error)
    } catch {
      throw ScenarioError(file: file, keyPath: "", reason: "cannot read YAML: \(error)")
    }
    guard let root else {
      throw ScenarioError(
        file: file, line: 1, column: 1, keyPath: "",
        reason: "empty scenario: expected name, kernel, machine and timeline")
    }
    return root
  }
}
