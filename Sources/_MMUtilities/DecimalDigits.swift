/// What a run of ASCII decimal digits in a text reads as.
@usableFromInline
package enum DecimalDigits: Equatable, Sendable {
  /// No digit at the position.
  case none
  /// The digits' value, and the index just past them.
  case value(Int, end: Int)
  /// The digits exceed `Int.max`.
  case overflow
}

/// Reads the ASCII decimal digits of `bytes` from `start`: the one digit loop the text scanners
/// share, each turning ``DecimalDigits/none`` and ``DecimalDigits/overflow`` into its own error.
@inlinable
package func readDecimalDigits(_ bytes: Span<UInt8>, from start: Int) -> DecimalDigits {
  var i = start
  var value = 0
  while i < bytes.count, isDigit(bytes[i]) {
    let (product, overflowA) = value.multipliedReportingOverflow(by: 10)
    let (sum, overflowB) = product.addingReportingOverflow(Int(bytes[i] &- 48))
    guard !overflowA, !overflowB else { return .overflow }
    value = sum
    i += 1
  }
  return i > start ? .value(value, end: i) : .none
}
