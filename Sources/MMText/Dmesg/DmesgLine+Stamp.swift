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

  /// The date of a line with a syslog prefix: an ISO date's token, else `Mon dd hh:mm:ss`.
  fileprivate static func syslogDate(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String {
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

extension LogScanner {
  /// The stamp of the line numbered `number`, from the prefixes its lexing found; `nil` when
  /// the log does not hold that line.
  package func stamp(ofLine number: Int) -> DmesgLine.Stamp? {
    guard let first = lines.first?.number else { return nil }
    let index = number - first
    guard lines.indices.contains(index), lines[index].number == number else { return nil }
    let line = lines[index]
    return DmesgLine.Stamp(
      uptimeMicroseconds: line.timestamp,
      date: line.prefixes.contains(.syslog)
        ? DmesgLine.syslogDate(bytes.span, line.range) : nil)
  }
}
