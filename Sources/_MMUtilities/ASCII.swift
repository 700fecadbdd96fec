/// Byte-level character classes for parsing kernel text without `Character` overhead.

/// Whether `byte` is an ASCII decimal digit.
@inlinable @inline(__always)
package func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

/// The value of an ASCII hexadecimal digit, or `nil`.
@inlinable @inline(__always)
package func hexDigitValue(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
  default: nil
  }
}

/// Whether `byte` is ASCII white space: space, tab, newline, carriage return, vertical tab or
/// form feed.
@inlinable @inline(__always)
package func isASCIIWhitespace(_ byte: UInt8) -> Bool {
  byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
}

extension StringProtocol {
  /// The text without leading and trailing ASCII white space.
  package func trimmingASCIIWhitespace() -> String {
    let utf8 = Array(self.utf8)
    guard let first = utf8.firstIndex(where: { !isASCIIWhitespace($0) }),
      let last = utf8.lastIndex(where: { !isASCIIWhitespace($0) })
    else { return "" }
    return String(decoding: utf8[first...last], as: UTF8.self)
  }
}
