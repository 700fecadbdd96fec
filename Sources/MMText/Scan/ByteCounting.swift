internal import Glibc

/// Line-level byte helpers for the streaming reader: newline counts and searches in raw
/// buffers.
enum ByteCounting {
  /// The number of `\n` bytes in `bytes[range]`, sixteen bytes at a time: each block's
  /// newline lanes are subtracted from per-lane byte counters (a lane's compare result is 0 or
  /// 0xFF), which are summed every 255 blocks, before any lane can wrap.
  static func newlines(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
    guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
    let newline = SIMD16<UInt8>(repeating: 0x0A)
    var count = 0
    var i = range.lowerBound
    while range.upperBound &- i >= 16 {
      let blocks = min((range.upperBound &- i) / 16, 255)
      var lanes = SIMD16<UInt8>()
      for _ in 0..<blocks {
        let block = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
        lanes &-= unsafeBitCast(block .== newline, to: SIMD16<UInt8>.self)
        i &+= 16
      }
      count &+= Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
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
