internal import Glibc

/// Line-level byte helpers for the streaming reader: newline counts and searches in raw
/// buffers.
enum ByteCounting {
  /// The number of `\n` bytes in `bytes[range]`, eight bytes at a time (the exact SWAR
  /// zero-byte count, no false positives).
  static func newlines(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
    guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    var count = 0
    var i = range.lowerBound
    let wordsEnd = range.upperBound - 7
    while i < wordsEnd {
      let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
      let y = ~(((x & low) &+ low) | x | low)
      count &+= y.nonzeroBitCount
      i &+= 8
    }
    while i < range.upperBound {
      if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { count &+= 1 }
      i &+= 1
    }
    return count
  }

  /// The index of the first `\n` in `bytes[range]`, or `nil`.
  static func firstNewline(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
    guard let base = bytes.baseAddress, !range.isEmpty,
      let found = memchr(base + range.lowerBound, 0x0A, range.count)
    else { return nil }
    return UnsafeRawPointer(found) - base
  }

  /// The index of the last `\n` in `bytes[range]`, or `nil`.
  static func lastNewline(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    var i = range.upperBound
    while i > range.lowerBound {
      i &-= 1
      if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { return i }
    }
    return nil
  }
}
