import MMCore
import Testing

/// Composite values per layout, from the table in ../shared/kernel/gfp-flags.md §1.2 (computed
/// there from the kernel headers, independently of how oomlab builds them from definitions).
struct GFPLayoutTests {
  struct Expected: Sendable, CustomTestStringConvertible {
    var kernel: String
    var values: [GFPComposite: UInt64]
    var testDescription: String { kernel }
  }

  static let tables: [Expected] = [
    Expected(
      kernel: "3.10.0",
      values: [
        .atomic: 0x20, .kernel: 0xd0, .noIO: 0x10, .noFS: 0x50, .user: 0x200d0, .dma: 0x1,
        .dma32: 0x4, .highuser: 0x200d2, .highuserMovable: 0x200da, .transhuge: 0x4352da,
        .temporary: 0x800d0,
      ]),
    Expected(
      kernel: "4.4.114",
      values: [
        .atomic: 0x2080020, .kernel: 0x24000c0, .noWait: 0x2000000, .noIO: 0x2400000,
        .noFS: 0x2400040, .user: 0x24200c0, .highuser: 0x24200c2, .highuserMovable: 0x24200ca,
        .transhuge: 0x4352ca, .temporary: 0x24000d0, .reclaim: 0x2400000,
      ]),
    Expected(
      kernel: "4.9.56",
      values: [
        .atomic: 0x2080020, .kernel: 0x24000c0, .kernelAccount: 0x25000c0, .noWait: 0x2000000,
        .noIO: 0x2400000, .noFS: 0x2400040, .user: 0x24200c0, .highuser: 0x24200c2,
        .highuserMovable: 0x24200ca, .transhugeLight: 0x342ca, .transhuge: 0x4342ca,
        .temporary: 0x24000d0,
      ]),
    Expected(
      kernel: "4.14.158",
      values: [
        .atomic: 0x1080020, .kernel: 0x14000c0, .kernelAccount: 0x15000c0, .noWait: 0x1000000,
        .noIO: 0x1400000, .noFS: 0x1400040, .user: 0x14200c0, .highuser: 0x14200c2,
        .highuserMovable: 0x14200ca, .transhugeLight: 0x342ca, .transhuge: 0x4342ca,
      ]),
    Expected(
      kernel: "4.19.60",
      values: [
        .atomic: 0x480020, .kernel: 0x6000c0, .kernelAccount: 0x7000c0, .noWait: 0x400000,
        .noIO: 0x600000, .noFS: 0x600040, .user: 0x6200c0, .highuser: 0x6200c2,
        .highuserMovable: 0x6200ca, .transhugeLight: 0x342ca, .transhuge: 0x2342ca,
      ]),
    Expected(
      kernel: "5.4.0",
      values: [
        .atomic: 0xa20, .kernel: 0xcc0, .kernelAccount: 0x400cc0, .noWait: 0x800, .noIO: 0xc00,
        .noFS: 0xc40, .user: 0x100cc0, .highuser: 0x100cc2, .highuserMovable: 0x100cca,
        .transhugeLight: 0x1c20ca, .transhuge: 0x1c24ca,
      ]),
    Expected(
      kernel: "5.10.179",
      values: [.atomic: 0xa20, .kernel: 0xcc0, .highuserMovable: 0x100cca, .transhuge: 0x1c24ca]),
    Expected(
      kernel: "5.15.158-2-pve",
      values: [
        .atomic: 0xa20, .kernel: 0xcc0, .kernelAccount: 0x400cc0, .highuserMovable: 0x1100cca,
        .transhugeLight: 0x11c20ca, .transhuge: 0x11c24ca,
      ]),
    Expected(
      kernel: "6.1.0-56-amd64",
      values: [
        .atomic: 0xa20, .kernel: 0xcc0, .noWait: 0x800, .highuserMovable: 0x100cca,
        .transhugeLight: 0x1c20ca, .transhuge: 0x1c24ca,
      ]),
    Expected(
      kernel: "6.6.9",
      values: [
        .atomic: 0x820, .kernel: 0xcc0, .noWait: 0x800, .noIO: 0xc00, .highuserMovable: 0x100cca,
        .transhuge: 0x1c24ca,
      ]),
    Expected(
      kernel: "6.8.1", values: [.atomic: 0x820, .noWait: 0x2800, .highuserMovable: 0x100cca]),
    Expected(
      kernel: "6.12.39",
      values: [.atomic: 0x820, .kernel: 0xcc0, .noWait: 0x2800, .transhuge: 0x1c24ca]),
  ]

  @Test(arguments: tables)
  func compositeValuesMatchTheKernelHeaders(expected: Expected) throws {
    let dialect = GFPDialect(kernel: try KernelVersion(parsing: expected.kernel))
    for (composite, value) in expected.values {
      #expect(
        dialect.rawValue(of: composite) == value,
        "\(composite.kernelName) in \(expected.kernel)")
    }
  }

  @Test func compositesAbsentFromAnEraAreNil() throws {
    let v5_10 = GFPDialect(kernel: try KernelVersion(parsing: "5.10"))
    #expect(v5_10.rawValue(of: .temporary) == nil)
    let v3_10 = GFPDialect(kernel: try KernelVersion(parsing: "3.10"))
    #expect(v3_10.rawValue(of: .kernelAccount) == nil)
    #expect(v3_10.rawValue(of: .transhugeLight) == nil)
    #expect(v3_10.rawValue(of: .reclaim) == nil)
  }

  @Test func kasanHardwareTagsAddTheSkipBits() {
    // gfp-flags.md §1.2: with KASAN_HW_TAGS, GFP_HIGHUSER_MOVABLE is 0x6100cca in 5.18–6.3 and
    // 0x2100cca in 6.4+.
    let kasan: GFPConfig = [.kasanHWTags, .slabObjExt]
    #expect(GFPDialect(era: .v5_18, config: kasan).rawValue(of: .highuserMovable) == 0x6100cca)
    #expect(GFPDialect(era: .v6_4, config: kasan).rawValue(of: .highuserMovable) == 0x2100cca)
    #expect(GFPDialect(era: .v6_10, config: kasan).rawValue(of: .highuserMovable) == 0x2100cca)
  }

  @Test func packedOptionalBitsOf6_10FollowTheConfig() {
    // gfp-flags.md §1.1 note ²: distro kernel NO_OBJ_EXT = 0x1000000; with LOCKDEP,
    // NOLOCKDEP = 0x1000000 and NO_OBJ_EXT = 0x2000000.
    let distro = GFPDialect(era: .v6_10)
    #expect(distro.rawValue(of: .noObjExt) == 0x1000000)
    #expect(distro.rawValue(of: .noLockdep) == 0)
    let lockdep = GFPDialect(era: .v6_10, config: [.lockdep, .slabObjExt])
    #expect(lockdep.rawValue(of: .noLockdep) == 0x1000000)
    #expect(lockdep.rawValue(of: .noObjExt) == 0x2000000)
  }

  @Test func noLockdepAppearsIn4_12() {
    #expect(GFPDialect(era: .v4_10, config: [.lockdep]).rawValue(of: .noLockdep) == 0)
    #expect(GFPDialect(era: .v4_12, config: [.lockdep]).rawValue(of: .noLockdep) == 0x2000000)
  }

  @Test(arguments: GFPEra.allCases)
  func flagBitsAreDistinctSingleBits(era: GFPEra) {
    let dialect = GFPDialect(era: era, config: [.kasanHWTags, .lockdep, .slabObjExt])
    var seen: UInt64 = 0
    for flag in GFPFlag.allCases {
      let value = dialect.rawValue(of: flag)
      guard value != 0 else { continue }
      #expect(value.nonzeroBitCount == 1, "\(flag) in \(era)")
      #expect(seen & value == 0, "\(flag) overlaps another flag in \(era)")
      seen |= value
    }
  }

  @Test func erasCoverEveryReleaseInOrder() throws {
    #expect(GFPEra(try KernelVersion(parsing: "2.6.32")) == .upTo4_3)
    #expect(GFPEra(try KernelVersion(parsing: "4.3.6")) == .upTo4_3)
    #expect(GFPEra(try KernelVersion(parsing: "4.20.0")) == .v4_18)
    #expect(GFPEra(try KernelVersion(parsing: "5.0.0-rc8+")) == .v4_18)
    #expect(GFPEra(try KernelVersion(parsing: "5.19.17")) == .v5_18)
    #expect(GFPEra(try KernelVersion(parsing: "7.2.0")) == .v6_15)
    #expect(GFPEra.v5_1.releases == "5.1–5.13")
    #expect(GFPEra.v6_3.releases == "6.3")
    #expect(GFPEra.v6_15.releases == "6.15+")
    #expect(GFPLayout.v4_5.releases == "4.5–4.9")
  }
}
