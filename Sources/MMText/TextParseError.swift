/// Why kernel text (a `/proc` file, a log report) could not be read: where, and what was
/// expected there.
public struct TextParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file's or log's name as given to the parser (`zoneinfo`, `dmesg.txt`, …).
  public var file: String
  /// The 1-based line.
  public var line: Int
  /// The 1-based byte column in the line (log prefixes included).
  public var column: Int
  /// What was wrong (`expected 'pages free'`, `expected ', mode:'`, `number too large`, …).
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
