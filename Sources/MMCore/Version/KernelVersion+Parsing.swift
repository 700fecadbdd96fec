internal import _MMUtilities

/// Why a kernel release string could not be read.
public struct KernelVersionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The text that was given.
  public var text: String
  /// What was wrong with it.
  public var reason: String

  /// Creates the error for `text`.
  public init(text: String, reason: String) {
    self.text = text
    self.reason = reason
  }

  /// `cannot read kernel version '<text>': <reason>`.
  public var description: String { "cannot read kernel version '\(text)': \(reason)" }
}

extension KernelVersion {
  /// The oldest series oomlab can place: every rule it knows starts at 2.6.
  public static let oldestKnown = KernelVersion(2, 6)

  /// Parses a release string such as `5.14.21-150400.22-default` or `4.4.0-rc7-next-20151231+`.
  ///
  /// Surrounding white space is ignored; white space inside is an error, as is a string that does
  /// not start with `MAJOR.MINOR` or names a series older than 2.6.
  ///
  /// - Throws: ``KernelVersionError`` naming the text and what is wrong with it.
  public init(parsing text: String) throws(KernelVersionError) {
    let trimmed = text.trimmingASCIIWhitespace()
    let bytes = Array(trimmed.utf8)
    guard let (version, end) = Self.parsePrefix(bytes.span, from: 0) else {
      throw KernelVersionError(text: text, reason: "expected MAJOR.MINOR at the start")
    }
    guard end == bytes.count else {
      throw KernelVersionError(text: text, reason: "white space inside the release string")
    }
    guard version >= Self.oldestKnown else {
      throw KernelVersionError(text: text, reason: "kernels before 2.6 are not modelled")
    }
    self = version
  }

  /// Parses a release string that starts at `start` in `bytes` and runs to the next white space.
  ///
  /// - Returns: the version and the index just past it, or `nil` when the bytes at `start` are not
  ///   `MAJOR.MINOR`.
  package static func parsePrefix(_ bytes: Span<UInt8>, from start: Int) -> (Self, Int)? {
    var i = start
    var numbers: [Int] = []
    while numbers.count < 4 {
      guard let value = parseSmallDecimal(bytes, &i) else { break }
      numbers.append(value)
      // Another number follows only after a dot that is followed by a digit.
      guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "."), isDigit(bytes[i + 1]) else { break }
      i += 1
    }
    guard numbers.count >= 2 else { return nil }
    var rc: Int?
    if i + 3 < bytes.count, bytes[i] == UInt8(ascii: "-"), bytes[i + 1] == UInt8(ascii: "r"),
      bytes[i + 2] == UInt8(ascii: "c"), isDigit(bytes[i + 3])
    {
      var j = i + 3
      rc = parseSmallDecimal(bytes, &j)
      i = j
    }
    let localStart = i
    while i < bytes.count, !isASCIIWhitespace(bytes[i]) { i += 1 }
    let local = string(bytes, localStart..<i)
    let version = KernelVersion(
      numbers[0], numbers[1], numbers.count > 2 ? numbers[2] : 0,
      extra: numbers.count > 3 ? numbers[3] : 0, releaseCandidate: rc, localVersion: local,
      numbersSpelled: numbers.count)
    return (version, i)
  }
}

/// Parses up to 9 decimal digits at `i` (kernel version numbers are small; longer runs are not a
/// version number).
private func parseSmallDecimal(_ bytes: Span<UInt8>, _ i: inout Int) -> Int? {
  let start = i
  var value = 0
  while i < bytes.count, isDigit(bytes[i]), i - start < 9 {
    value = value * 10 + Int(bytes[i] &- UInt8(ascii: "0"))
    i += 1
  }
  if i < bytes.count, isDigit(bytes[i]) { return nil }
  return i > start ? value : nil
}
