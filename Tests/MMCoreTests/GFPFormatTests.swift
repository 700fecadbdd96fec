import MMCore
import Testing
import _MMUtilities

/// `%pGg` rendering and its inverse, per layout (worked examples: gfp-flags.md §2.3).
struct GFPFormatTests {
  @Test(
    arguments: [
      ("4.9.56", 0x2084020, "GFP_ATOMIC|__GFP_COMP"),
      ("4.9.56", 0x24201ca, "GFP_HIGHUSER_MOVABLE|__GFP_COLD"),
      ("4.9.56", 0x26000c0, "GFP_KERNEL|__GFP_NOTRACK"),
      ("4.9.56", 0x4742ca, "GFP_TRANSHUGE|__GFP_THISNODE"),
      ("4.7.0", 0x27000c0, "GFP_KERNEL_ACCOUNT|__GFP_NOTRACK"),
      ("4.14.158", 0x14200ca, "GFP_HIGHUSER_MOVABLE"),
      ("4.14.158", 0x15080c0, "GFP_KERNEL_ACCOUNT|__GFP_ZERO"),
      ("4.14.158", 0x1080020, "GFP_ATOMIC"),
      ("4.15.0", 0x14280ca, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"),
      ("4.19.60", 0x6280ca, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"),
      ("4.19.60", 0x480020, "GFP_ATOMIC"),
      ("5.4.0", 0x400dc0, "GFP_KERNEL_ACCOUNT|__GFP_ZERO"),
      ("5.10.2", 0x42dc0, "GFP_KERNEL|__GFP_NOWARN|__GFP_COMP|__GFP_ZERO"),
      ("5.10.2", 0x8c40, "GFP_NOFS|__GFP_NOFAIL"),
      ("5.10.2", 0x101cca, "GFP_HIGHUSER_MOVABLE|__GFP_WRITE"),
      ("5.10.2", 0x2a20, "GFP_ATOMIC|__GFP_NOWARN"),
      ("5.15.158", 0x1100cca, "GFP_HIGHUSER_MOVABLE"),
      ("5.15.158", 0x100cca, "GFP_HIGHUSER|__GFP_MOVABLE"),
      ("6.1.0", 0x140cca, "GFP_HIGHUSER_MOVABLE|__GFP_COMP"),
      ("6.6.9", 0x820, "GFP_ATOMIC"),
      ("6.6.9", 0x2820, "GFP_ATOMIC|__GFP_NOWARN"),
      ("6.6.9", 0x152dc2, "GFP_HIGHUSER|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_ZERO"),
      ("6.6.9", 0x800, "GFP_NOWAIT"),
      ("6.8.1", 0x800, "__GFP_KSWAPD_RECLAIM"),
      ("6.8.1", 0x2800, "GFP_NOWAIT"),
      ("6.12.39", 0x140dca, "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO"),
      ("6.15.0", 0x140dca, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP"),
      ("6.15.0", 0x5, "GFP_DMA|GFP_DMA32"),
      ("4.4.0-rc7-next-20151231+", 0x27000c0, "GFP_KERNEL|GFP_NOTRACK|0x100000"),
    ] as [(String, UInt64, String)])
  func rendersAsTheKernelPrints(kernel: String, mask: UInt64, names: String) throws {
    let dialect = GFPDialect(kernel: try KernelVersion(parsing: kernel))
    #expect(dialect.names(of: mask) == names)
  }

  @Test func leftoverBitsTrailAsHex() throws {
    // 6.10–6.14: __GFP_NO_OBJ_EXT has no table entry; 6.15+ names it.
    #expect(GFPDialect(era: .v6_10).names(of: 0x1000cc0) == "GFP_KERNEL|0x1000000")
    #expect(GFPDialect(era: .v6_15).names(of: 0x1000cc0) == "GFP_KERNEL|__GFP_NO_OBJ_EXT")
    // __GFP_NOLOCKDEP is never in the ≤ 6.14 tables.
    let lockdep = GFPDialect(era: .v5_1, config: [.lockdep])
    #expect(lockdep.names(of: 0x800cc0) == "GFP_KERNEL|0x800000")
    // A bit beyond every flag.
    #expect(GFPDialect(era: .v5_18).names(of: 0x80000000) == "0x80000000")
    // Early 5.14 candidates printed ZEROTAGS and SKIP_KASAN_POISON as hex.
    let rc = GFPDialect(kernel: try KernelVersion(parsing: "5.14.0-rc5"))
    #expect(rc.names(of: 0x1800cc0) == "GFP_KERNEL|0x1800000")
    #expect(
      GFPDialect(kernel: try KernelVersion(parsing: "5.14.2")).names(of: 0x1800cc0)
        == "GFP_KERNEL|__GFP_ZEROTAGS|__GFP_SKIP_KASAN_POISON")
  }

  @Test func zeroRendersEmpty() {
    #expect(GFPDialect.latest.names(of: 0) == "")
    #expect(GFPDialect.latest.kernelText(of: 0) == "0x0()")
  }

  @Test func kernelsBefore4_6PrintHexOnly() throws {
    let v4_5 = GFPDialect(kernel: try KernelVersion(parsing: "4.5.7"))
    #expect(!v4_5.printsNames)
    #expect(v4_5.kernelText(of: 0x24000c0) == "0x24000c0")
    #expect(v4_5.names(of: 0x24000c0) == "GFP_KERNEL")
    let v2_6 = GFPDialect(kernel: try KernelVersion(parsing: "2.6.31"))
    #expect(v2_6.kernelText(of: 0xd0) == "0xd0")
    #expect(v2_6.names(of: 0xd0) == "GFP_KERNEL")
    #expect(v2_6.names(of: 0x44d0) == "GFP_KERNEL|__GFP_REPEAT|__GFP_COMP")
    #expect(GFPDialect(kernel: try KernelVersion(parsing: "4.6.2")).printsNames)
  }

  static let roundTripKernels = [
    "3.10.0", "4.4.114", "4.9.56", "4.14.158", "4.19.60", "5.4.0", "5.10.179", "5.15.158",
    "6.1.0", "6.6.9", "6.12.39", "6.15.0",
  ]

  @Test(arguments: roundTripKernels)
  func parsingTheRenderingGivesBackTheMask(kernel: String) throws {
    let dialect = GFPDialect(kernel: try KernelVersion(parsing: kernel))
    var random = SplitMix64(seed: 0x6f6f_6d6c_6162)
    for _ in 0..<2_000 {
      // Mostly known bits, sometimes a stray bit the build does not define.
      var mask = random.next() & dialect.knownBits
      if random.next() % 8 == 0 { mask |= 1 << (28 + random.next() % 4) }
      let names = dialect.names(of: mask)
      if mask == 0 {
        #expect(names.isEmpty)
        continue
      }
      #expect(
        try dialect.parseNames(names) == mask, "\(kernel): 0x\(String(mask, radix: 16)) → \(names)")
    }
  }

  @Test(arguments: roundTripKernels)
  func everyCompositeRendersAsItsOwnName(kernel: String) throws {
    let dialect = GFPDialect(kernel: try KernelVersion(parsing: kernel))
    var checked = 0
    for entry in dialect.nameTable where entry.name.hasPrefix("GFP_") {
      // An entry renders as itself unless an earlier entry covers it (GFP_DMA via __GFP_DMA).
      let earlier = dialect.nameTable.prefix { $0 != entry }
      guard !earlier.contains(where: { $0.mask & entry.mask == $0.mask && $0.mask != 0 }) else {
        continue
      }
      #expect(dialect.names(of: entry.mask) == entry.name)
      checked += 1
    }
    // Every table has composites that render as themselves; a filter that drops them all fails.
    #expect(checked >= 4)
  }

  @Test func parsesNamesWithSpacesAndHex() throws {
    let v5_10 = GFPDialect(kernel: try KernelVersion(parsing: "5.10"))
    #expect(try v5_10.parseNames("GFP_KERNEL|__GFP_COMP") == 0x40cc0)
    #expect(try v5_10.parseNames(" GFP_KERNEL | __GFP_ZERO | 0x1000000 ") == 0x1000dc0)
    #expect(try v5_10.parseNames("__GFP_DMA|__GFP_RECLAIM") == 0xc01)
  }

  @Test(arguments: [
    ("5.10", "GFP_FOO", "GFP_FOO", "unknown GFP name"),
    ("5.10", "GFP_KERNEL|", "", "empty name between '|'"),
    (
      "5.10", "GFP_TEMPORARY", "GFP_TEMPORARY",
      "not a GFP name of kernels 5.1–5.13 (defined in 2.6–4.13)"
    ),
    (
      "6.6", "__GFP_ATOMIC|GFP_KERNEL", "__GFP_ATOMIC",
      "not a GFP name of kernels 6.4–6.7 (defined in 4.4–6.2)"
    ),
    (
      "6.6", "__GFP_SKIP_KASAN", "__GFP_SKIP_KASAN",
      "not a GFP name of kernels 6.4–6.7 without CONFIG_KASAN_HW_TAGS"
    ),
    ("5.10", "0x12g", "0x12g", "not a hexadecimal number"),
    ("5.10", "", "", "no names given"),
  ])
  func parseErrorsNameTheBadToken(kernel: String, text: String, token: String, reason: String)
    throws
  {
    let dialect = GFPDialect(kernel: try KernelVersion(parsing: kernel))
    let error = #expect(throws: GFPParseError.self) { try dialect.parseNames(text) }
    #expect(error?.token == token)
    #expect(error?.reason == reason)
  }
}
