/// Fixed-text matching on byte spans, for parsers that must not build `String`s per line.

/// Whether `literal` occurs in `bytes` at `index`.
@inlinable
package func matches(_ literal: StaticString, in bytes: Span<UInt8>, at index: Int) -> Bool {
  let count = literal.utf8CodeUnitCount
  guard index >= 0, bytes.count - index >= count else { return false }
  let text = literal.utf8Start
  for k in 0..<count where bytes[index &+ k] != text[k] { return false }
  return true
}

/// The first index at or after `start` where `literal` occurs in `bytes`, or `nil`.
@inlinable
package func firstIndex(of literal: StaticString, in bytes: Span<UInt8>, from start: Int = 0)
  -> Int?
{
  let count = literal.utf8CodeUnitCount
  guard count > 0, bytes.count >= count else { return nil }
  let head = literal.utf8Start[0]
  var i = max(start, 0)
  while i <= bytes.count - count {
    if bytes[i] == head && matches(literal, in: bytes, at: i) { return i }
    i &+= 1
  }
  return nil
}

/// The bytes `range` of `bytes` as a `String` (UTF-8, invalid sequences repaired).
package func string(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String {
  String(unsafeUninitializedCapacity: range.count) { out in
    for (k, i) in range.enumerated() { out[k] = bytes[i] }
    return range.count
  }
}
