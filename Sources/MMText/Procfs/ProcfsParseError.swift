/// Why a `/proc` file could not be read: where, and what was expected there.
public struct ProcfsParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file's name as given to the parser (`zoneinfo`, `sys/vm/min_free_kbytes`, …).
  public var file: String
  /// The 1-based line.
  public var line: Int
  /// The 1-based byte column in the line.
  public var column: Int
  /// What was wrong (`expected 'pages free'`, `number too large`, …).
  public var reason: String

  /// Creates the error.
  public init(file: String, line: Int, column: Int, reason: String) {
    self.file = file
    self.line = line
    self.column = column
    self.reason = reason
  }

  /// `<file>:<line>:<column>: <reason>`, as compilers print positions.
  public var description: String { "\(file):\(line):\(column): \(reason)" }
}
