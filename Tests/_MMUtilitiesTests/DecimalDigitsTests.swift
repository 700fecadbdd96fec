import Testing
import _MMUtilities

struct DecimalDigitsTests {
  @Test(
    arguments: [
      ("123x", 0, DecimalDigits.value(123, end: 3)),
      ("x42", 1, .value(42, end: 3)),
      ("x", 0, .none),
      ("", 0, .none),
      ("9223372036854775807", 0, .value(Int.max, end: 19)),
      ("9223372036854775808", 0, .overflow),
    ] as [(String, Int, DecimalDigits)])
  func readsDigitsUpToTheFirstOther(text: String, start: Int, expected: DecimalDigits) {
    let bytes = Array(text.utf8)
    #expect(readDecimalDigits(bytes.span, from: start) == expected)
  }
}
