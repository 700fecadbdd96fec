/// Why a scenario cannot be played: where in the file, which key, and what is wrong.
///
/// Printed as `file:line:column: key.path: reason` (line and column when known, key path when
/// the problem belongs to a key, e.g. `machine.cma[0].size`).
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The scenario file's name or path.
  public var file: String
  /// The 1-based line, when known.
  public var line: Int?
  /// The 1-based column, when known.
  public var column: Int?
  /// The key path (`timeline[3].allocate.gfp`), empty for the whole file.
  public var keyPath: String
  /// What is wrong, in words.
  public var reason: String

  /// Creates an error.
  public init(
    file: String = "scenario", line: Int? = nil, column: Int? = nil, keyPath: String,
    reason: String
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.keyPath = keyPath
    self.reason = reason
  }

  public var description: String {
    var place = file
    if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
    return place + ": " + (keyPath.isEmpty ? "" : keyPath + ": ") + reason
  }
}
