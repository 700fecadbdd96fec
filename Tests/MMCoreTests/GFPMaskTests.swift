import MMCore
import Testing

/// What a mask means: gfp_zone, gfp_migratetype, gfp_to_alloc_flags (gfp-flags.md §3–5).
struct GFPMaskTests {
  func mask(_ raw: UInt64, _ kernel: String) throws -> GFPMask {
    GFPMask(rawValue: raw, kernel: try KernelVersion(parsing: kernel))
  }

  @Test(
    arguments: [
      (0x0, ZoneKind.normal), (0x1, .dma), (0x2, .highmem), (0x4, .dma32), (0x8, .normal),
      (0x9, .dma), (0xa, .movable), (0xc, .dma32),
    ] as [(UInt64, ZoneKind)])
  func zoneFollowsTheLowFourBits(bits: UInt64, zone: ZoneKind) throws {
    #expect(try mask(0xcc0 | bits, "5.10").zone == zone)
  }

  @Test(arguments: [0x3, 0x5, 0x6, 0x7, 0xb, 0xd, 0xe, 0xf] as [UInt64])
  func conflictingZoneModifiersHaveNoZone(bits: UInt64) throws {
    #expect(try mask(0xcc0 | bits, "5.10").zone == nil)
  }

  @Test func migratetypeFromMovableAndReclaimable() throws {
    #expect(try mask(0x100cca, "5.10").migrateType == .movable)
    #expect(try mask(0xcd0, "5.10").migrateType == .reclaimable)
    #expect(try mask(0xcc0, "5.10").migrateType == .unmovable)
    #expect(try mask(0xcd8, "5.10").migrateType == nil)
    // ≤ 4.3 RECLAIMABLE is 0x80000.
    #expect(try mask(0x800d0, "3.10").migrateType == .reclaimable)
    #expect(try mask(0x200da, "3.10").mayUseCMA)
    #expect(try !mask(0xd0, "3.10").mayUseCMA)
  }

  @Test func reclaimAbilityPerLayout() throws {
    let atomic49 = try mask(0x2084020, "4.9.56")
    #expect(!atomic49.mayDirectReclaim && atomic49.mayWakeKswapd && atomic49.isAtomic)
    #expect(atomic49.isHighPriority && atomic49.isCompound)
    let kernel310 = try mask(0xd0, "3.10")
    #expect(kernel310.mayDirectReclaim && kernel310.mayWakeKswapd && kernel310.mayIO)
    #expect(try !mask(0x4352da, "3.10").mayWakeKswapd)  // GFP_TRANSHUGE has __GFP_NO_KSWAPD
    #expect(try !mask(0xc40, "6.1").mayFS)
    #expect(try mask(0x8c40, "5.10").noFail)
    #expect(try mask(0x194dc2, "5.10").retryMayFail)
    #expect(try mask(0x194dc2, "5.10").noRetry)
    #expect(try mask(0x400cc0, "5.10").isAccounted)
  }

  @Test(
    arguments: [
      // (mask, kernel, order, expected names) — gfp-flags.md §5
      (0x2084020, "4.9.56", 0, ["ALLOC_WMARK_MIN", "ALLOC_HARDER", "ALLOC_HIGH"]),
      (0x24000c0, "4.9.56", 0, ["ALLOC_WMARK_MIN", "ALLOC_CPUSET"]),
      (0x24200ca, "4.9.56", 0, ["ALLOC_WMARK_MIN", "ALLOC_CPUSET", "ALLOC_CMA"]),
      (0xa20, "5.10", 0, ["ALLOC_WMARK_MIN", "ALLOC_HARDER", "ALLOC_HIGH", "ALLOC_KSWAPD"]),
      (0x80a20, "5.10", 0, ["ALLOC_WMARK_MIN", "ALLOC_HIGH", "ALLOC_KSWAPD"]),  // |__GFP_NOMEMALLOC
      (0xcc0, "6.1", 0, ["ALLOC_WMARK_MIN", "ALLOC_CPUSET", "ALLOC_KSWAPD"]),
      (
        0x820, "6.6", 0,
        ["ALLOC_WMARK_MIN", "ALLOC_NON_BLOCK", "ALLOC_MIN_RESERVE", "ALLOC_KSWAPD"]
      ),
      (
        0x820, "6.6", 3,
        [
          "ALLOC_WMARK_MIN", "ALLOC_NON_BLOCK", "ALLOC_MIN_RESERVE", "ALLOC_HIGHATOMIC",
          "ALLOC_KSWAPD",
        ]
      ),
      (0x800, "6.6", 0, ["ALLOC_WMARK_MIN", "ALLOC_NON_BLOCK", "ALLOC_CPUSET", "ALLOC_KSWAPD"]),
      (0xd0, "3.10", 0, ["ALLOC_WMARK_MIN", "ALLOC_CPUSET"]),
      (0x20, "3.10", 0, ["ALLOC_WMARK_MIN", "ALLOC_HARDER", "ALLOC_HIGH"]),
    ] as [(UInt64, String, Int, [String])])
  func slowPathAllocFlags(raw: UInt64, kernel: String, order: Int, names: [String]) throws {
    let mask = try mask(raw, kernel)
    #expect(mask.slowPathAllocFlags(order: order).names(kernel: mask.kernel) == names)
  }

  /// A 6.1 build with the 6.3 reserve-flag rework backported (Debian 6.1.192) marks an order-3
  /// GFP_ATOMIC request high-atomic, as 6.3 does; plain 6.1 does not.
  @Test func backportedReserveFlagReworkAddsHighAtomic() throws {
    let atomic = try mask(0xa20, "6.1")
    #expect(!atomic.slowPathAllocFlags(order: 3).contains(.highAtomic))
    #expect(atomic.slowPathAllocFlags(order: 3, reserveFlagRework: true).contains(.highAtomic))
    #expect(!atomic.slowPathAllocFlags(order: 0, reserveFlagRework: true).contains(.highAtomic))
  }
}
