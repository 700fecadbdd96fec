internal import _MMUtilities

/// A read position in a `/proc` file's bytes that knows its line and column, for parsers that
/// throw ``TextParseError``.
///
/// The bytes are passed to every call (a `Span` cannot be stored without the experimental
/// Lifetimes feature). Every newline is consumed through ``endLine(_:)``, which keeps the line
/// count right.
struct ProcfsCursor {
  /// The file name errors report.
  let file: String
  /// The next byte to read.
  private var index = 0
  /// The 1-based line of ``index``.
  private var line = 1
  /// The index of the first byte of the current line.
  private var lineStart = 0

  /// Creates a cursor at the start of `file`.
  init(file: String) {
    self.file = file
  }

  /// Whether every byte has been read.
  func isAtEnd(_ bytes: Span<UInt8>) -> Bool { index >= bytes.count }

  /// Whether `literal` comes next.
  func sees(_ literal: StaticString, _ bytes: Span<UInt8>) -> Bool {
    matches(literal, in: bytes, at: index)
  }

  /// Whether the next byte is a newline.
  func seesEndOfLine(_ bytes: Span<UInt8>) -> Bool {
    index < bytes.count && bytes[index] == UInt8(ascii: "\n")
  }

  /// An error at the current position: `expected <what>`, after `unexpected end of file, ` or
  /// `unexpected end of line, ` when that is what was found.
  func failure(expected what: String, _ bytes: Span<UInt8>) -> TextParseError {
    if isAtEnd(bytes) { return failure("unexpected end of file, expected \(what)") }
    if seesEndOfLine(bytes) { return failure("unexpected end of line, expected \(what)") }
    return failure("expected \(what)")
  }

  /// An error at the current position.
  func failure(_ reason: String) -> TextParseError {
    TextParseError(file: file, line: line, column: index - lineStart + 1, reason: reason)
  }

  /// Reads `literal` if it comes next.
  mutating func skip(_ literal: StaticString, _ bytes: Span<UInt8>) -> Bool {
    guard sees(literal, bytes) else { return false }
    index += literal.utf8CodeUnitCount
    return true
  }

  /// Reads `literal`, which must come next.
  ///
  /// - Throws: `expected '<literal>'` (surrounding spaces left out of the message unless the
  ///   literal is only spaces).
  mutating func expect(_ literal: StaticString, _ bytes: Span<UInt8>) throws(TextParseError) {
    guard skip(literal, bytes) else {
      let trimmed = literal.description.trimmingASCIIWhitespace()
      throw failure(expected: "'\(trimmed.isEmpty ? literal.description : trimmed)'", bytes)
    }
  }

  /// Reads any spaces (not tabs or newlines).
  mutating func skipSpaces(_ bytes: Span<UInt8>) {
    while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
  }

  /// Reads spaces and tabs.
  mutating func skipBlanks(_ bytes: Span<UInt8>) {
    while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == 0x09 {
      index += 1
    }
  }

  /// Reads one newline, which must come next, and starts the next line.
  mutating func endLine(_ bytes: Span<UInt8>) throws(TextParseError) {
    guard seesEndOfLine(bytes) else { throw failure(expected: "end of line", bytes) }
    index += 1
    line += 1
    lineStart = index
  }

  /// Reads a non-negative decimal number.
  ///
  /// - Throws: `expected a number`, or `number too large` past `Int.max`.
  mutating func decimal(_ bytes: Span<UInt8>) throws(TextParseError) -> Int {
    switch readDecimalDigits(bytes, from: index) {
    case .value(let value, let end):
      index = end
      return value
    case .overflow: throw failure("number too large")
    case .none: throw failure(expected: "a number", bytes)
    }
  }

  /// Reads exactly `count` decimal digits (a zero-padded `%0<count>d` field).
  ///
  /// - Throws: `expected <count> digits` when fewer come, or more follow.
  mutating func digits(_ count: Int, _ bytes: Span<UInt8>) throws(TextParseError) -> Int {
    var value = 0
    var read = 0
    while index + read < bytes.count, read <= count,
      bytes[index + read] >= UInt8(ascii: "0"), bytes[index + read] <= UInt8(ascii: "9")
    {
      if read < count { value = value * 10 + Int(bytes[index + read] &- UInt8(ascii: "0")) }
      read += 1
    }
    guard read == count else { throw failure(expected: "\(count) digits", bytes) }
    index += count
    return value
  }

  /// Reads a decimal number with an optional leading `-` (printf `%ld`, `%i`).
  mutating func signedDecimal(_ bytes: Span<UInt8>) throws(TextParseError) -> Int {
    if skip("-", bytes) {
      return try -decimal(bytes)
    }
    return try decimal(bytes)
  }

  /// Reads a hexadecimal number of up to 16 digits (`%016llx`, case-insensitive).
  ///
  /// - Throws: `expected a hexadecimal number`, or `number too large` past 16 digits.
  mutating func hexadecimal(_ bytes: Span<UInt8>) throws(TextParseError) -> UInt64 {
    var value: UInt64 = 0
    var digits = 0
    while index < bytes.count {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
      default: digit = 16
      }
      guard digit < 16 else { break }
      guard digits < 16 else { throw failure("number too large") }
      value = value << 4 | UInt64(digit)
      digits += 1
      index += 1
    }
    guard digits > 0 else { throw failure(expected: "a hexadecimal number", bytes) }
    return value
  }

  /// Reads the rest of the line, up to but not including its newline.
  mutating func restOfLine(_ bytes: Span<UInt8>) -> String {
    let start = index
    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    return string(bytes, start..<index)
  }

  /// Reads spaces, then a non-negative decimal number: a right-aligned `%<width>lu` column.
  mutating func column(_ bytes: Span<UInt8>) throws(TextParseError) -> Int {
    skipSpaces(bytes)
    return try decimal(bytes)
  }

  /// Reads a name: one or more bytes up to a space, tab, newline or `stop`.
  ///
  /// - Throws: `expected <what>` when the name is empty.
  mutating func name(
    _ bytes: Span<UInt8>, stoppingAt stop: UInt8 = UInt8(ascii: " "), expected what: String
  ) throws(TextParseError) -> String {
    let start = index
    while index < bytes.count {
      let byte = bytes[index]
      if byte == stop || byte == UInt8(ascii: " ") || byte == 0x09 || byte == UInt8(ascii: "\n") {
        break
      }
      index += 1
    }
    guard index > start else { throw failure(expected: what, bytes) }
    return string(bytes, start..<index)
  }

  /// Throws `empty file` when there is nothing to read.
  func requireContent(_ bytes: Span<UInt8>) throws(TextParseError) {
    if bytes.isEmpty { throw failure("empty file") }
  }
}

// MARK: - Shared line shapes

extension ProcfsCursor {
  /// Reads `Node %d, zone %8s` (`walk_zones_in_node()` callers' common prefix; any padding
  /// after `Node ` too, for pagetypeinfo's `%4d`).
  mutating func nodeAndZone(
    _ bytes: Span<UInt8>, zoneEndsAt stop: UInt8 = UInt8(ascii: " ")
  ) throws(TextParseError) -> (node: Int, zone: String) {
    try expect("Node ", bytes)
    let node = try column(bytes)
    try expect(", zone ", bytes)
    skipSpaces(bytes)
    let zone = try name(bytes, stoppingAt: stop, expected: "a zone name")
    return (node, zone)
  }
}
