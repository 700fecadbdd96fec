import Testing
import _MMUtilities

struct ASCIITests {
  @Test func classifiesDigits() {
    #expect(isDigit(UInt8(ascii: "0")) && isDigit(UInt8(ascii: "9")))
    #expect(!isDigit(UInt8(ascii: "/")) && !isDigit(UInt8(ascii: ":")))
    #expect(hexDigitValue(UInt8(ascii: "f")) == 15 && hexDigitValue(UInt8(ascii: "A")) == 10)
    #expect(hexDigitValue(UInt8(ascii: "g")) == nil)
  }

  @Test func trimsOnlyASCIIWhitespace() {
    #expect(" \t6.1\r\n".trimmingASCIIWhitespace() == "6.1")
    #expect("   ".trimmingASCIIWhitespace() == "")
  }

  @Test func findsFixedText() {
    let bytes = Array("abc Not tainted 4.9".utf8)
    #expect(firstIndex(of: " Not tainted ", in: bytes.span) == 3)
    #expect(firstIndex(of: "tainted", in: bytes.span, from: 9) == nil)
    let atStart = matches("abc", in: bytes.span, at: 0)
    let beforeStart = matches("abc", in: bytes.span, at: -1)
    #expect(atStart)
    #expect(!beforeStart)
  }
}
