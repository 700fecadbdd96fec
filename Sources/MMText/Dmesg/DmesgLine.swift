internal import _MMUtilities

/// One line of a kernel log, with the prefixes that logging tools and mailers add located so that
/// the kernel's own message can be read.
///
/// The prefixes are taken off in this order, each optional:
///
///     >>> ␣                            email quoting (`>`, `> >`, `>>>`, any spaces after)
///     Mar 14 18:55:03 host kernel: ␣   syslog (also `[kernel] ` for syslog-ng, ISO dates)
///     <4>                              printk level, as `/dev/kmsg` and `dmesg -r` show it
///     [ 1234.567890] ␣                 the printk timestamp (or `dmesg -T`'s `[Mon Mar 14 …]`)
///     [    T1] ␣                       `CONFIG_PRINTK_CALLER`'s task or CPU id
///     kernel: ␣                        journalctl's tag after the timestamp
///
/// The line `[ 2161.637947]` has an empty message; a line with no bytes at all is ``isBlank``.
/// Lines that start with `#` are ``isComment`` (the fixtures' header lines).
public struct DmesgLine: Hashable, Sendable {
  /// The prefixes a line carried.
  public struct Prefixes: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    /// Creates a set from its bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Email quote marks.
    public static let quote = Prefixes(rawValue: 1 << 0)
    /// A syslog date, host and `kernel:` tag.
    public static let syslog = Prefixes(rawValue: 1 << 1)
    /// A `<N>` printk level.
    public static let priority = Prefixes(rawValue: 1 << 2)
    /// A `[seconds.micros]` timestamp.
    public static let timestamp = Prefixes(rawValue: 1 << 3)
    /// A `[    T1]` / `[    C0]` caller id.
    public static let caller = Prefixes(rawValue: 1 << 4)
    /// A journalctl `kernel: ` tag.
    public static let journal = Prefixes(rawValue: 1 << 5)

    /// The prefixes a logging tool adds to every line it writes (everything but quote marks).
    public static let logging: Prefixes = [.syslog, .priority, .timestamp, .caller, .journal]
  }

  /// The 1-based line number.
  public var number: Int
  /// The line's bytes in the log, without its newline (and a carriage return before it).
  public var range: Range<Int>
  /// Where the kernel's message starts.
  public var messageStart: Int
  /// The prefixes that were found.
  public var prefixes: Prefixes
  /// The printk timestamp in microseconds since boot, when the line has a numeric one.
  public var timestamp: Int?
  /// Whether the line starts with `#` (a comment, not log text).
  public var isComment: Bool

  /// Creates a line.
  public init(
    number: Int, range: Range<Int>, messageStart: Int, prefixes: Prefixes = [],
    timestamp: Int? = nil, isComment: Bool = false
  ) {
    self.number = number
    self.range = range
    self.messageStart = messageStart
    self.prefixes = prefixes
    self.timestamp = timestamp
    self.isComment = isComment
  }

  /// The kernel's message: the line after its prefixes.
  public var message: Range<Int> { messageStart..<range.upperBound }

  /// Whether the line has no bytes at all (no prefix either).
  public var isBlank: Bool { range.isEmpty }

  /// Whether a logging tool wrote a prefix on this line: a line without one after lines with one
  /// is a hard-wrapped continuation (or a continuation line of a multi-line record).
  public var hasLoggingPrefix: Bool { !prefixes.isDisjoint(with: .logging) }
}

// MARK: - Lexing

extension DmesgLine {
  /// Splits a log's bytes into lines and locates each line's message.
  ///
  /// - Parameters:
  ///   - bytes: the log.
  ///   - stripsPrefixes: `false` for text that is already kernel messages (what the renderers
  ///     write): then every line is its own message and only `#` comments are marked.
  ///   - firstLine: the number of the first line: 1 for a whole log, the line's number in the
  ///     whole input for a part of it (a streamed report window).
  /// - Complexity: O(*n*) in the number of bytes.
  public static func lines(
    in bytes: Span<UInt8>, stripsPrefixes: Bool = true, firstLine: Int = 1
  ) -> [DmesgLine] {
    var lines: [DmesgLine] = []
    var start = 0
    var number = firstLine
    while start < bytes.count {
      var end = start
      while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end &+= 1 }
      lines.append(lex(bytes, start..<end, number: number, stripsPrefixes: stripsPrefixes))
      start = end + 1
      number += 1
    }
    return lines
  }

  /// The messages of a log's lines, prefixes taken off (comment lines left out).
  public static func messages(of text: String, stripsPrefixes: Bool = true) -> [String] {
    let bytes = Array(text.utf8)
    let span = bytes.span
    return lines(in: span, stripsPrefixes: stripsPrefixes).filter { !$0.isComment }.map {
      string(span, $0.message)
    }
  }

  /// Locates the message of the line `range` of `bytes`.
  public static func lex(
    _ bytes: Span<UInt8>, _ range: Range<Int>, number: Int, stripsPrefixes: Bool = true
  ) -> DmesgLine {
    var end = range.upperBound
    if end > range.lowerBound, bytes[end - 1] == 0x0D { end -= 1 }
    let raw = range.lowerBound..<end
    var line = DmesgLine(number: number, range: raw, messageStart: raw.lowerBound)
    if !raw.isEmpty, bytes[raw.lowerBound] == UInt8(ascii: "#") {
      line.isComment = true
      return line
    }
    guard stripsPrefixes else { return line }
    var i = raw.lowerBound
    if i < end, bytes[i] == UInt8(ascii: ">") {
      while i < end, bytes[i] == UInt8(ascii: ">") || bytes[i] == 0x20 || bytes[i] == 0x09 {
        i += 1
      }
      line.prefixes.insert(.quote)
    }
    if let after = syslogPrefixEnd(bytes, i, end) {
      i = after
      line.prefixes.insert(.syslog)
    }
    if let after = priorityEnd(bytes, i, end) {
      i = after
      line.prefixes.insert(.priority)
    } else if let (after, micros) = kmsgRecordEnd(bytes, i, end) {
      i = after
      line.timestamp = micros
      line.prefixes.formUnion([.priority, .timestamp])
    }
    if let (after, micros) = timestampEnd(bytes, i, end) ?? humanTimestampEnd(bytes, i, end) {
      i = after
      line.timestamp = micros
      line.prefixes.insert(.timestamp)
      if let afterCaller = callerEnd(bytes, i, end) {
        i = afterCaller
        line.prefixes.insert(.caller)
      }
      if i < end, bytes[i] == 0x20 { i += 1 }
    }
    if line.prefixes.contains(.timestamp), !line.prefixes.contains(.syslog),
      matches("kernel: ", in: bytes, at: i)
    {
      i += 8
      line.prefixes.insert(.journal)
    }
    line.messageStart = i
    return line
  }

  /// The end of `Mon dd hh:mm:ss host kernel: `, `Mon dd hh:mm:ss [kernel] ` or
  /// `YYYY-MM-DDThh:mm:ss… host kernel: ` at `i`.
  private static func syslogPrefixEnd(_ b: Span<UInt8>, _ start: Int, _ end: Int) -> Int? {
    var i = start
    if end - i >= 16, isMonth(b, i), b[i + 3] == 0x20,
      b[i + 4] == 0x20 || isDigit(b[i + 4]), isDigit(b[i + 5]), b[i + 6] == 0x20,
      isClock(b, i + 7), b[i + 15] == 0x20
    {
      i += 16
    } else if end - i >= 20, isDigit(b[i]), isDigit(b[i + 3]), b[i + 4] == UInt8(ascii: "-"),
      b[i + 7] == UInt8(ascii: "-"), b[i + 10] == UInt8(ascii: "T")
    {
      while i < end, b[i] != 0x20 { i += 1 }
      i += 1
    } else {
      return nil
    }
    if matches("[kernel] ", in: b, at: i) { return i + 9 }
    if matches("kernel: ", in: b, at: i) { return i + 8 }
    // A host name, then the tag.
    var j = i
    while j < end, b[j] != 0x20 { j += 1 }
    guard j > i, matches(" kernel: ", in: b, at: j) else { return nil }
    return j + 9
  }

  private static let months: [StaticString] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  private static func isMonth(_ b: Span<UInt8>, _ i: Int) -> Bool {
    months.contains { matches($0, in: b, at: i) }
  }

  /// `hh:mm:ss` at `i`.
  private static func isClock(_ b: Span<UInt8>, _ i: Int) -> Bool {
    isDigit(b[i]) && isDigit(b[i + 1]) && b[i + 2] == UInt8(ascii: ":") && isDigit(b[i + 3])
      && isDigit(b[i + 4]) && b[i + 5] == UInt8(ascii: ":") && isDigit(b[i + 6])
      && isDigit(b[i + 7])
  }

  /// The end of `<N>` at `i`.
  private static func priorityEnd(_ b: Span<UInt8>, _ i: Int, _ end: Int) -> Int? {
    guard i < end, b[i] == UInt8(ascii: "<") else { return nil }
    var j = i + 1
    while j < end, j - i <= 3, isDigit(b[j]) { j += 1 }
    guard j > i + 1, j < end, b[j] == UInt8(ascii: ">") else { return nil }
    return j + 1
  }

  /// The end of `[ 1234.567890]` (and its value in microseconds) or of `[Mon Mar 14 … 2021]`.
  private static func timestampEnd(_ b: Span<UInt8>, _ i: Int, _ end: Int) -> (Int, Int?)? {
    guard i < end, b[i] == UInt8(ascii: "[") else { return nil }
    var j = i + 1
    while j < end, b[j] == 0x20 { j += 1 }
    if j < end, isDigit(b[j]) {
      var seconds = 0
      let digits = j
      while j < end, isDigit(b[j]), j - digits < 12 {
        seconds = seconds * 10 + Int(b[j] &- 48)
        j += 1
      }
      guard j < end, b[j] == UInt8(ascii: ".") else { return nil }
      j += 1
      var micros = 0
      var places = 0
      while j < end, isDigit(b[j]) {
        if places < 6 { micros = micros * 10 + Int(b[j] &- 48) }
        places += 1
        j += 1
      }
      // Some vendor kernels (Android) print `[63651.040008s]`.
      if places > 0, j + 1 < end, b[j] == UInt8(ascii: "s"), b[j + 1] == UInt8(ascii: "]") {
        j += 1
      }
      guard places > 0, j < end, b[j] == UInt8(ascii: "]") else { return nil }
      for _ in places..<max(places, 6) { micros *= 10 }
      return (j + 1, seconds * 1_000_000 + micros)
    }
    // `dmesg -T`: `[Mon Mar 14 18:55:03 2021]`.
    guard end - i >= 26, isMonth(b, i + 5), b[i + 4] == 0x20, b[i + 25] == UInt8(ascii: "]"),
      isClock(b, i + 12)
    else { return nil }
    return (i + 26, nil)
  }

  /// The end of `/dev/kmsg`'s record prefix `<level>,<seq>,<microseconds>,<flags>;` at `i`
  /// (as `cat /dev/kmsg` shows it), and the timestamp.
  private static func kmsgRecordEnd(_ b: Span<UInt8>, _ i: Int, _ end: Int) -> (Int, Int)? {
    var j = i
    var fields: [Int] = []
    while fields.count < 3 {
      let start = j
      var value = 0
      while j < end, isDigit(b[j]), j - start < 20 {
        value = value &* 10 &+ Int(b[j] &- 48)
        j += 1
      }
      guard j > start, j < end, b[j] == UInt8(ascii: ",") else { return nil }
      fields.append(value)
      j += 1
    }
    let flags = j
    while j < end, j - flags < 8, b[j] != UInt8(ascii: ";"), b[j] != 0x20 { j += 1 }
    guard j < end, b[j] == UInt8(ascii: ";") else { return nil }
    return (j + 1, fields[2])
  }

  /// The end of a human-readable timestamp at `i`: `dmesg -H`'s `[Jul31 01:56]` and
  /// `[  +0.000001]`, or a localized `dmesg -T` (`[Di Aug 12 03:54:03 2025]`, `[dim. 19 avril
  /// 18:03:30 2026]`); the bracket must hold a clock (`d:dd`) or start with `+`.
  private static func humanTimestampEnd(
    _ b: Span<UInt8>, _ i: Int, _ end: Int
  ) -> (Int, Int?)? {
    guard i < end, b[i] == UInt8(ascii: "[") else { return nil }
    var j = i + 1
    while j < end, b[j] == 0x20 { j += 1 }
    var human = j < end && b[j] == UInt8(ascii: "+")
    while j < end, j - i < 48, b[j] != UInt8(ascii: "]") {
      if b[j] == UInt8(ascii: "<") || b[j] == UInt8(ascii: "[") { return nil }
      if j + 3 < end, isDigit(b[j]), b[j + 1] == UInt8(ascii: ":"), isDigit(b[j + 2]),
        isDigit(b[j + 3])
      {
        human = true
      }
      j += 1
    }
    guard human, j < end, b[j] == UInt8(ascii: "]") else { return nil }
    return (j + 1, nil)
  }

  /// The end of `[    T1]`, `[    C0]` or an Android kernel's `[pid:2912,cpu3,sh]` at `i`.
  private static func callerEnd(_ b: Span<UInt8>, _ i: Int, _ end: Int) -> Int? {
    guard i < end, b[i] == UInt8(ascii: "[") else { return nil }
    if matches("[pid:", in: b, at: i) {
      var j = i + 5
      while j < end, j - i < 40, b[j] != UInt8(ascii: "]") { j += 1 }
      return j < end && b[j] == UInt8(ascii: "]") ? j + 1 : nil
    }
    var j = i + 1
    while j < end, b[j] == 0x20 { j += 1 }
    guard j < end, b[j] == UInt8(ascii: "T") || b[j] == UInt8(ascii: "C") else { return nil }
    j += 1
    let digits = j
    while j < end, isDigit(b[j]) { j += 1 }
    guard j > digits, j < end, b[j] == UInt8(ascii: "]") else { return nil }
    return j + 1
  }
}
