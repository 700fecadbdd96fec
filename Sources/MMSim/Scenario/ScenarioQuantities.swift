/// An amount of memory in a scenario file: `64 MiB`, `2048 kB`, `1.5 GiB`, `300 pages`, or a
/// bare integer of bytes.
///
/// `kB` and `KiB` are both 1024 bytes (the kernel's `kB`); `MB`/`GB` are not accepted, to keep
/// powers of ten out of page arithmetic.
public struct MemorySize: Hashable, Sendable, Codable, CustomStringConvertible {
  /// How the amount was written.
  public enum Unit: String, Hashable, Sendable, CaseIterable {
    case bytes = "B"
    case kilobytes = "kB"
    case kibibytes = "KiB"
    case mebibytes = "MiB"
    case gibibytes = "GiB"
    case pages

    /// Bytes per unit (pages: the machine's page size, given separately).
    var bytes: Int? {
      switch self {
      case .bytes: 1
      case .kilobytes, .kibibytes: 1 << 10
      case .mebibytes: 1 << 20
      case .gibibytes: 1 << 30
      case .pages: nil
      }
    }
  }

  /// The number written, times 1000 when it had a fraction (`1.5 GiB` → 1500 with `milli`).
  public var value: Int
  /// Whether ``value`` is in thousandths.
  public var milli: Bool
  /// The unit.
  public var unit: Unit

  /// Why a size does not read.
  public typealias ParseError = QuantityParseError

  /// Reads `64 MiB`, `2048kB`, `1.5 GiB`, `300 pages` or `4096` (bytes).
  public init(parsing text: String) throws(ParseError) {
    let (digits, suffix) = try QuantityParseError.split(text, what: "size")
    guard !digits.isEmpty else {
      throw ParseError(
        text: text, reason: "expected a number and a unit (kB, KiB, MiB, GiB, pages)")
    }
    if suffix.isEmpty {
      unit = .bytes
    } else if let unit = Unit(rawValue: String(suffix)) ?? (suffix == "page" ? .pages : nil) {
      self.unit = unit
    } else {
      throw ParseError(
        text: text, reason: "unknown unit '\(suffix)' (use B, kB, KiB, MiB, GiB or pages)")
    }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0 else {
      throw ParseError(text: text, reason: "not a non-negative number")
    }
    if parts.count == 2 {
      guard unit != .pages && unit != .bytes, parts[1].count <= 3, let fraction = Int(parts[1])
      else {
        throw ParseError(text: text, reason: "fractions take at most 3 digits and a byte unit")
      }
      let scale = [1, 100, 10, 1][parts[1].count]
      let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1000)
      guard !overflow else { throw ParseError(text: text, reason: "too large") }
      let (sum, overflowed) = scaled.addingReportingOverflow(fraction * scale)
      guard !overflowed else { throw ParseError(text: text, reason: "too large") }
      value = sum
      milli = true
    } else {
      value = whole
      milli = false
    }
    guard bytes(pageSize: 1 << 16) != nil else { throw ParseError(text: text, reason: "too large") }
  }

  /// The amount in bytes for a machine with `pageSize`; `nil` when it overflows.
  public func bytes(pageSize: Int) -> Int? {
    let per = unit.bytes ?? pageSize
    let (total, overflow) = value.multipliedReportingOverflow(by: per)
    guard !overflow else { return nil }
    return milli ? total / 1000 : total
  }

  /// The amount in whole pages (rounded down).
  public func pages(pageSize: Int) -> Int? { bytes(pageSize: pageSize).map { $0 / pageSize } }

  public var description: String {
    let number = milli ? "\(value / 1000).\(String(value % 1000 + 1000).dropFirst())" : "\(value)"
    return unit == .bytes ? number : "\(number) \(unit.rawValue)"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let bytes = try? container.decode(Int.self) {
      guard bytes >= 0 else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "a size cannot be negative")
      }
      self.init(bytes: bytes)
      return
    }
    let text = try container.decode(String.self)
    do {
      try self.init(parsing: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// A size of `bytes` bytes.
  public init(bytes: Int) {
    value = bytes
    milli = false
    unit = .bytes
  }
}

/// A span of virtual time in a scenario file: `10 ms`, `2 s`, `1.5 s`, `3 min`, `250 us`.
public struct VirtualDuration: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
  /// Microseconds.
  public var microseconds: Int

  /// Creates a duration.
  public init(microseconds: Int) { self.microseconds = microseconds }

  /// Why a duration does not read.
  public typealias ParseError = QuantityParseError

  /// Reads a number with `us`, `ms`, `s`, `min` or `h`.
  public init(parsing text: String) throws(ParseError) {
    let (digits, suffix) = try QuantityParseError.split(text, what: "duration")
    let scales = ["us": 1, "ms": 1000, "s": 1_000_000, "min": 60_000_000, "h": 3_600_000_000]
    guard !digits.isEmpty, let scale = scales[String(suffix)] else {
      throw ParseError(text: text, reason: "expected a number and a unit (us, ms, s, min, h)")
    }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = Int(parts[0]),
      parts.count == 1 || (parts[1].count <= 6 && Int(parts[1]) != nil)
    else { throw ParseError(text: text, reason: "not a number") }
    let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
    guard !overflow, scaled < Int.max / 2 else { throw ParseError(text: text, reason: "too long") }
    var micro = scaled
    if parts.count == 2, let fraction = Int(parts[1]) {
      var divisor = 1
      for _ in 0..<parts[1].count { divisor *= 10 }
      micro += fraction * scale / divisor
    }
    microseconds = micro
  }

  public static func < (a: Self, b: Self) -> Bool { a.microseconds < b.microseconds }

  public var description: String {
    microseconds % 1_000_000 == 0
      ? "\(microseconds / 1_000_000) s" : "\(microseconds) us"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      try self.init(parsing: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// Why a size or a duration in a scenario file does not read.
public struct QuantityParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The text.
  public var text: String
  /// What is wrong with it.
  public var reason: String
  public var description: String { "'\(text)': \(reason)" }

  /// A quantity's number (digits and a dot) and its unit, blanks trimmed; a leading `-` is an
  /// error ("a `what` cannot be negative").
  static func split(_ text: String, what: String) throws(QuantityParseError) -> (
    digits: Substring, suffix: Substring
  ) {
    let trimmed = text.trimmingWhitespace
    guard !trimmed.hasPrefix("-") else {
      throw QuantityParseError(text: text, reason: "a \(what) cannot be negative")
    }
    let digits = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
    return (digits, trimmed.dropFirst(digits.count).trimmingWhitespace)
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  fileprivate var trimmingWhitespace: Substring {
    let scalars = Substring(self)
    let start = scalars.firstIndex { $0 != " " && $0 != "\t" } ?? scalars.endIndex
    let end = scalars.lastIndex { $0 != " " && $0 != "\t" }.map(scalars.index(after:)) ?? start
    return scalars[start..<end]
  }
}
