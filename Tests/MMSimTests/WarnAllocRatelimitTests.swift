import MMCore
import MMSim
import Testing

struct WarnAllocRatelimitTests {
  static let second: UInt64 = 1_000_000_000

  @Test func newKernelsReportOncePerTenSeconds() throws {
    let kernel = try KernelVersion(parsing: "6.1")
    var limit = WarnAllocRatelimit(kernel: kernel)
    let mask = GFPMask(rawValue: 0xa20, kernel: kernel)
    #expect(limit.decide(mask: mask, at: 0) == .report(suppressedBefore: 0))
    #expect(limit.decide(mask: mask, at: 1 * Self.second) == .silent)
    #expect(limit.decide(mask: mask, at: 9 * Self.second) == .silent)
    // The window ends strictly after begin + interval (`time_is_before_jiffies`).
    #expect(limit.decide(mask: mask, at: 10 * Self.second) == .silent)
    #expect(limit.decide(mask: mask, at: 10 * Self.second + 1) == .report(suppressedBefore: 3))
  }

  @Test func kernel4_9AllowsTenPerFiveSeconds() throws {
    let kernel = try KernelVersion(parsing: "4.9.56")
    var limit = WarnAllocRatelimit(kernel: kernel)
    let mask = GFPMask(rawValue: 0x2084020, kernel: kernel)
    for i in 0..<10 {
      #expect(limit.decide(mask: mask, at: UInt64(i)) == .report(suppressedBefore: 0))
    }
    #expect(limit.decide(mask: mask, at: 100) == .silent)
    #expect(limit.decide(mask: mask, at: 5 * Self.second + 1) == .report(suppressedBefore: 1))
  }

  @Test func noWarnIsAlwaysSilent() throws {
    let kernel = try KernelVersion(parsing: "6.1")
    var limit = WarnAllocRatelimit(kernel: kernel)
    #expect(limit.decide(mask: GFPMask(rawValue: 0x2a20, kernel: kernel), at: 0) == .silent)
    // A silent NOWARN failure does not use up the burst.
    #expect(
      limit.decide(mask: GFPMask(rawValue: 0xa20, kernel: kernel), at: 1)
        == .report(suppressedBefore: 0))
  }
}
