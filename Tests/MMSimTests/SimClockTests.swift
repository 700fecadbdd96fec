import MMSim
import Testing

struct SimClockTests {
  @Test(
    arguments: [
      (0, "[    0.000000]"), (4_744_236_000, "[    4.744236]"), (123_456_789_999, "[  123.456789]"),
      (1_223_639_929_720_000, "[1223639.929720]"),
    ] as [(UInt64, String)])
  func printsLikePrintk(nanoseconds: UInt64, text: String) {
    var clock = SimClock()
    clock.advance(byNanoseconds: nanoseconds)
    #expect(clock.nanoseconds == nanoseconds)
    #expect(clock.logTimestamp == text)
  }

  @Test func advancesOnlyWhenTold() {
    var clock = SimClock()
    clock.advance(byNanoseconds: 5)
    clock.advance(byNanoseconds: 7)
    #expect(clock.nanoseconds == 12)
  }
}
