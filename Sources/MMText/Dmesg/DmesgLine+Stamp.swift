internal import _MMUtilities

extension DmesgLine {
  /// When a log line was printed, as far as its prefixes say.
  public struct Stamp: Hashable, Sendable {
    /// The printk timestamp, microseconds since boot.
    public var uptimeMicroseconds: Int?
    /// The syslog or journal date, as printed (`Mar 14 18:55:03`, `2023-03-14T18:55:03+01:00`).
    public var date: String?

    /// Creates a stamp.
    public init(uptimeMicroseconds: Int? = nil, date: String? = nil) {
      self.uptimeMicroseconds = uptimeMicroseconds
      self.date = date
    }

    /// The uptime as the kernel prints it, `%lu.%06lu` seconds (`nil` without one).
    public var uptimeText: String? {
      guard let micros = uptimeMicroseconds, micros >= 0 else { return nil }
      let fraction = String(micros % 1_000_000)
      return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count)
        + fraction
    }
  }

  /// The stamps of some lines of a log, lexing only those lines.
  ///
  /// - Parameters:
  ///   - numbers: the lines wanted, numbered as `firstLine` numbers the text's first line.
  ///   - text: the log.
  ///   - firstLine: the number of the text's first line.
  /// - Returns: a stamp for each wanted line the text holds (empty stamps included).
  /// - Complexity: O(*n*) in the text's bytes.
  public static func stamps(
    ofLines numbers: Set<Int>, in text: String, firstLine: Int = 1
  ) -> [Int: Stamp] {
    var stamps: [Int: Stamp] = [:]
    guard let last = numbers.max() else { return stamps }
    let bytes = Array(text.utf8)
    let span = bytes.span
    var start = 0
    var number = firstLine
    while start < bytes.count, number <= last {
      var end = start
      while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end &+= 1 }
      if numbers.contains(number) {
        let line = lex(span, start..<end, number: number)
        stamps[number] = Stamp(
          uptimeMicroseconds: line.timestamp,
          date: line.prefixes.contains(.syslog) ? syslogDate(span, line.range) : nil)
      }
      start = end + 1
      number += 1
    }
    return stamps
  }

  /// The date of a line with a syslog prefix: an ISO date's token, else `Mon dd hh:mm:ss`.
  private static func syslogDate(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String {
    var i = range.lowerBound
    while i < range.upperBound, bytes[i] == UInt8(ascii: ">") || bytes[i] == 0x20 { i += 1 }
    var end = i
    if i < range.upperBound, isDigit(bytes[i]) {
      while end < range.upperBound, bytes[end] != 0x20 { end += 1 }
    } else {
      end = min(i + 15, range.upperBound)
    }
    return string(bytes, i..<end)
  }
}
