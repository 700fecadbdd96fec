/// What was wrong with a kernel log's report text: where, and what was expected there.
///
/// Thrown by the strict parsers (``WarnAllocHeader/init(parsing:kernel:file:)``,
/// ``ShowMem/init(parsing:file:)``, ``AllocFailureReport/init(parsing:kernel:file:)``) and listed
/// in ``AllocFailureReport/Found/problems`` by the finder, which also lists the damage it
/// repaired (hard wraps, interleaved fragments, quoted-printable `=3D`).
public struct DmesgParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The log's name as given to the parser.
  public var file: String
  /// The 1-based line in the log.
  public var line: Int
  /// The 1-based byte column in that line (log prefixes included).
  public var column: Int
  /// What was wrong (`expected ', mode:'`, `number too large`, …).
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
