internal import _MMUtilities

/// What a line scan needed next when it stopped, which also says what kind of continuation line
/// may supply it.
enum Expectation: Hashable {
  /// More of the header's message text (only a hard-wrapped continuation can hold it).
  case headerText
  /// `, mode:` (a `KERN_CONT` fragment of its own on interleaved consoles, 4.9+).
  case mode
  /// `,cpuset=` (5.0+ print it with `pr_cont`).
  case inlineCpuset
  /// The nodemask value after `nodemask=` (4.11–4.20 print it with `pr_cont`).
  case nodemaskValue
  /// The cpuset name after `cpuset=` (`pr_cont_cgroup_name()`).
  case cpusetName
  /// `,mems_allowed=` (5.0+).
  case inlineMemsAllowed
  /// ` mems_allowed=` (4.11–4.20's separate line).
  case spacedMemsAllowed
  /// More of a line that is only ever hard-wrapped, never split by the kernel (the `CPU:` line,
  /// node, zone and hugepage lines).
  case lineText
  /// More `N*SkB (L) ` terms or the `= TkB` total of a free-block line (4.x printed each with
  /// its own `printk(KERN_CONT …)`).
  case freeAreaTerms
  /// The values of a `lowmem_reserve[]:` line (≤ 4.x: one `KERN_CONT` printk each).
  case lowmemValues
  /// The end of the line.
  case end

  /// Whether a `KERN_CONT` fragment on a line of its own (with its own timestamp) can hold it,
  /// rather than only a hard-wrapped continuation.
  var allowsFragments: Bool {
    switch self {
    case .headerText, .lineText, .end: false
    default: true
    }
  }
}

/// Why a scan of one logical line stopped before its end.
enum ScanStop: Error {
  /// The text ended where `Expectation` was due.
  case needs(Expectation, at: Int)
  /// The text at `at` does not fit the format; `expecting` is what was due there.
  case invalid(String, at: Int, expecting: Expectation)
}

/// A read position in one logical line's bytes.
struct Scanner {
  /// The next byte to read.
  var i: Int

  init(at i: Int = 0) {
    self.i = i
  }

  /// Whether only spaces and tabs remain.
  func atEnd(_ b: Span<UInt8>) -> Bool {
    var j = i
    while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
    return j >= b.count
  }

  /// Whether `literal` comes next.
  func sees(_ literal: StaticString, _ b: Span<UInt8>) -> Bool { matches(literal, in: b, at: i) }

  /// Reads `literal` if it comes next.
  mutating func skip(_ literal: StaticString, _ b: Span<UInt8>) -> Bool {
    guard sees(literal, b) else { return false }
    i += literal.utf8CodeUnitCount
    return true
  }

  /// Reads `literal`, which must come next.
  ///
  /// - Throws: `needs(expectation)` when the text ends on a prefix of it, `invalid` otherwise.
  mutating func expect(
    _ literal: StaticString, _ b: Span<UInt8>, _ expectation: Expectation
  ) throws(ScanStop) {
    if skip(literal, b) { return }
    let n = literal.utf8CodeUnitCount
    let available = b.count - i
    if available < n {
      let text = literal.utf8Start
      var k = 0
      while k < available, b[i + k] == text[k] { k += 1 }
      if k == available { throw .needs(expectation, at: i) }
    }
    let shown = literal.description.trimmingASCIIWhitespace()
    throw .invalid(
      "expected '\(shown.isEmpty ? literal.description : shown)'", at: i, expecting: expectation)
  }

  /// Reads `=`, or `=3D` (a quoted-printable `=` in a mailed log; the assembly notes it).
  mutating func equals(_ b: Span<UInt8>, _ expectation: Expectation) throws(ScanStop) {
    if matches("=3D", in: b, at: i) {
      i += 3
      return
    }
    try expect("=", b, expectation)
  }

  /// Reads a non-negative decimal number.
  ///
  /// - Throws: `needs` at the end of the text, `invalid` (`expected a number`, `number too
  ///   large`) otherwise.
  mutating func decimal(_ b: Span<UInt8>, _ expectation: Expectation) throws(ScanStop) -> Int {
    switch readDecimalDigits(b, from: i) {
    case .value(let value, let end):
      i = end
      return value
    case .overflow:
      throw .invalid("number too large", at: i, expecting: expectation)
    case .none:
      if i >= b.count { throw .needs(expectation, at: i) }
      throw .invalid("expected a number", at: i, expecting: expectation)
    }
  }

  /// Reads a decimal number with an optional leading `-` (`%ld`).
  mutating func signedDecimal(
    _ b: Span<UInt8>, _ expectation: Expectation
  ) throws(ScanStop) -> Int {
    if skip("-", b) { return try -decimal(b, expectation) }
    return try decimal(b, expectation)
  }

  /// Reads hexadecimal digits (at most 16).
  mutating func hexadecimal(
    _ b: Span<UInt8>, _ expectation: Expectation
  ) throws(ScanStop) -> UInt64 {
    let start = i
    var value: UInt64 = 0
    while i < b.count, let digit = hexDigitValue(b[i]) {
      guard i - start < 16 else {
        i = start
        throw .invalid("number too large", at: start, expecting: expectation)
      }
      value = value << 4 | UInt64(digit)
      i += 1
    }
    guard i > start else {
      if i >= b.count { throw .needs(expectation, at: i) }
      throw .invalid("expected a hexadecimal number", at: i, expecting: expectation)
    }
    return value
  }

  /// Reads a node range list (`0`, `0-3`, `0,2-3`; `%*pbl`), possibly empty.
  mutating func nodeList(_ b: Span<UInt8>) -> String {
    let start = i
    while i < b.count,
      isDigit(b[i]) || b[i] == UInt8(ascii: ",") || b[i] == UInt8(ascii: "-")
    {
      i += 1
    }
    return string(b, start..<i)
  }

  /// Reads bytes up to the next space, tab or the end.
  mutating func word(_ b: Span<UInt8>) -> Range<Int> {
    let start = i
    while i < b.count, b[i] != 0x20, b[i] != 0x09 { i += 1 }
    return start..<i
  }

  /// Reads spaces.
  mutating func skipSpaces(_ b: Span<UInt8>) {
    while i < b.count, b[i] == 0x20 { i += 1 }
  }
}

/// A line as the kernel printed it, put back together from one or more log lines: a
/// hard-wrapped line and its continuations, or a `KERN_CONT` line split over several log lines.
struct LogicalLine {
  /// The joined bytes.
  var bytes: [UInt8] = []
  /// Where each log line's message starts in ``bytes``, and which log line (index) it was.
  var pieces: [(offset: Int, line: Int)] = []

  /// Appends the message `range` of log line `line`, after a space when `spaced`.
  mutating func append(_ source: Span<UInt8>, _ range: Range<Int>, line: Int, spaced: Bool) {
    if spaced { bytes.append(0x20) }
    pieces.append((bytes.count, line))
    for k in range { bytes.append(source[k]) }
  }

  /// Cuts the bytes at `offset` (dropping text that does not belong, such as another CPU's
  /// output printed into the middle of a line).
  mutating func truncate(at offset: Int) {
    bytes.removeSubrange(offset...)
    while pieces.count > 1, let last = pieces.last, last.offset >= offset { pieces.removeLast() }
  }

  /// The log line (index) holding `offset`, and the offset within that line's message.
  func location(of offset: Int) -> (line: Int, offset: Int) {
    var chosen = pieces.first ?? (0, 0)
    for piece in pieces where piece.offset <= offset { chosen = piece }
    return (chosen.line, max(0, offset - chosen.offset))
  }

  /// The log lines (indices) the line was read from.
  var lines: [Int] { pieces.map(\.line) }

  /// Whether the joined text ends with a space or tab.
  var endsWithBlank: Bool { bytes.last == 0x20 || bytes.last == 0x09 }
}
