import MMCore
import Testing

/// The formulas one by one, on the fact sheet's worked examples (zones-watermarks.md §2, §3, §4,
/// §5) and on the version differences.
struct WatermarkFormulaTests {
  static let v61 = KernelVersion(6, 1, 0)
  static let v62 = KernelVersion(6, 2, 0)

  /// The synthetic x86_64 machine of §5.
  static let x86Zones = [
    WatermarkZone(.dma, managed: 3840), WatermarkZone(.dma32, managed: 766_000),
    WatermarkZone(.normal, managed: 1_283_000), WatermarkZone(.movable, managed: 0),
    WatermarkZone(.device, managed: 0),
  ]

  /// The synthetic i386 HighMem machine of §5.
  static let i386Zones = [
    WatermarkZone(.dma, managed: 3976), WatermarkZone(.normal, managed: 215_000),
    WatermarkZone(.highmem, managed: 294_000), WatermarkZone(.movable, managed: 0),
  ]

  static func triple(_ w: ZoneWatermarks) -> [Int] { [w.min, w.low, w.high] }

  // MARK: - int_sqrt

  @Test(arguments: [0, 1, 2, 3, 4, 15, 16, 17, 131_381_760, 1 << 40, (1 << 40) - 1] as [UInt64])
  func intSqrtIsTheFloorOfTheSquareRoot(_ x: UInt64) {
    let root = WatermarkFormulas.intSqrt(x)
    #expect(root * root <= x)
    #expect((root + 1) * (root + 1) > x)
  }

  @Test func intSqrtOfTheLargestValues() {
    #expect(WatermarkFormulas.intSqrt(UInt64.max) == UInt64(UInt32.max))
    #expect(
      WatermarkFormulas.intSqrt(UInt64(UInt32.max) * UInt64(UInt32.max)) == UInt64(UInt32.max))
  }

  // MARK: - min_free_kbytes (§2.1)

  /// §2.1 "Typical values", with the 5.7 change of the upper clamp.
  @Test(
    arguments: [
      (1 << 18, "6.1", 4096), (1 << 20, "6.1", 8192), (1 << 22, "6.1", 16384),
      (1 << 24, "6.1", 32768), (1 << 26, "6.1", 65536), (1 << 30, "6.1", 262_144),
      (1 << 30, "5.6", 65536), (1 << 30, "5.7", 262_144), (1 << 28, "4.9", 65536),
      (100, "6.1", 128),
    ] as [(Int, String, Int)])
  func sqrtRuleAndClamps(pages: Int, kernel: String, kbytes: Int) throws {
    let version = try KernelVersion(parsing: kernel)
    let value = WatermarkFormulas.calculateMinFreeKbytes(
      nrFreeBufferPages: pages, current: 1024, version: version)
    #expect(value == kbytes)
  }

  @Test func userValueIsPreferredUnlessTheRuleGivesMore() {
    let rule = WatermarkFormulas.calculateMinFreeKbytes(
      nrFreeBufferPages: 1 << 18, current: 8000, userMinFreeKbytes: 5000, version: Self.v61)
    #expect(rule == 8000)  // 4096 ≤ 5000: the value in force stays
    let raised = WatermarkFormulas.calculateMinFreeKbytes(
      nrFreeBufferPages: 1 << 18, current: 1000, userMinFreeKbytes: 1000, version: Self.v61)
    #expect(raised == 4096)
  }

  @Test func nrFreeBufferPagesSkipsHighZonesAndSubtractsHigh() {
    let zones = [
      WatermarkZone(.dma, managed: 100), WatermarkZone(.normal, managed: 1000),
      WatermarkZone(.highmem, managed: 5000), WatermarkZone(.movable, managed: 7000),
    ]
    #expect(WatermarkFormulas.nrFreeBufferPages(zones) == 1100)
    let marks = [
      ZoneWatermarks(min: 0, low: 0, high: 150),
      ZoneWatermarks(min: 0, low: 0, high: 90, boost: 10),
      ZoneWatermarks(min: 0, low: 0, high: 1), ZoneWatermarks(min: 0, low: 0, high: 1),
    ]
    #expect(WatermarkFormulas.nrFreeBufferPages(zones, watermarks: marks) == 900)
  }

  // MARK: - Watermarks (§3, §5)

  /// §5, sqrt case: 11462 kB; DMA 5/8/11 (promo 14), DMA32 1069/1835/2601, Normal 1790/3073/4356.
  @Test func workedExampleX86() {
    let kbytes = WatermarkFormulas.calculateMinFreeKbytes(
      nrFreeBufferPages: WatermarkFormulas.nrFreeBufferPages(Self.x86Zones), current: 1024,
      version: Self.v61)
    #expect(kbytes == 11462)
    let marks = WatermarkFormulas.perZoneWatermarks(
      Self.x86Zones, minFreeKbytes: kbytes, version: Self.v61)
    #expect(
      marks.map(Self.triple) == [
        [5, 8, 11], [1069, 1835, 2601], [1790, 3073, 4356], [0, 0, 0], [0, 0, 0],
      ])
    #expect(marks[0].promo == 14)
  }

  /// §5: the pre-4.6 distances, DMA32 1069/1336/1603 and Normal 1790/2237/2685.
  @Test func workedExampleX86Before4_6() {
    let marks = WatermarkFormulas.perZoneWatermarks(
      Self.x86Zones, minFreeKbytes: 11462, version: KernelVersion(4, 5))
    #expect(marks[1...2].map(Self.triple) == [[1069, 1336, 1603], [1790, 2237, 2685]])
    #expect(marks.allSatisfy { $0.promo == 0 })
  }

  /// §5, THP case: 67584 kB; DMA 31/38/45, DMA32 6304/7880/9456, Normal 10559/13198/15837.
  @Test func workedExampleX86WithTHP() {
    let recommended = WatermarkFormulas.recommendedMinFreeKbytes(Self.x86Zones, version: Self.v61)
    #expect(recommended == 67584)
    let marks = WatermarkFormulas.perZoneWatermarks(
      Self.x86Zones, minFreeKbytes: recommended, version: Self.v61)
    #expect(
      marks[0...2].map(Self.triple) == [[31, 38, 45], [6304, 7880, 9456], [10559, 13198, 15837]])
  }

  /// §5: lowmem_reserve with the 5.10/6.x defaults, and totalreserve 3840 + 7612 + 4356.
  @Test func workedExampleX86Reserves() {
    let ratio = WatermarkFormulas.defaultLowmemReserveRatio(
      Self.x86Zones.map(\.kind), version: Self.v61)
    #expect(ratio == [256, 256, 32, 0, 0])
    let reserve = WatermarkFormulas.lowmemReserve(Self.x86Zones, ratio: ratio, version: Self.v61)
    #expect(reserve[0] == [0, 2992, 8003, 8003, 8003])
    #expect(reserve[1] == [0, 0, 5011, 5011, 5011])
    #expect(reserve[2...].allSatisfy { $0 == [0, 0, 0, 0, 0] })
    let marks = WatermarkFormulas.perZoneWatermarks(
      Self.x86Zones, minFreeKbytes: 11462, version: Self.v61)
    let total = WatermarkFormulas.totalreservePages(
      Self.x86Zones, watermarks: marks, lowmemReserve: reserve)
    #expect(total == 15808)
  }

  /// §5 i386: 3743 kB; Normal 918/1147/1376; HighMem 128/441/754.
  ///
  /// HighMem's min is clamped to 128 but its distance comes from the proportional tmp 1255. 6.1
  /// already clamps the empty Movable zone (its pages
  /// would come from HighMem).
  @Test func workedExampleI386HighMem() {
    let kbytes = WatermarkFormulas.calculateMinFreeKbytes(
      nrFreeBufferPages: WatermarkFormulas.nrFreeBufferPages(Self.i386Zones), current: 1024,
      version: Self.v61)
    #expect(kbytes == 3743)
    let marks = WatermarkFormulas.perZoneWatermarks(
      Self.i386Zones, minFreeKbytes: kbytes, version: Self.v61)
    #expect(marks[1...3].map(Self.triple) == [[918, 1147, 1376], [128, 441, 754], [32, 32, 32]])
  }

  /// §3 "Empty-zone subtlety": an x86_64 empty Movable zone is 0/0/0 on 6.1 and 32/32/32/32
  /// from 6.2; Device stays 0.
  @Test func emptyMovableZoneByVersion() {
    let old = WatermarkFormulas.perZoneWatermarks(
      Self.x86Zones, minFreeKbytes: 11462, version: Self.v61)
    #expect(old[3] == ZoneWatermarks(min: 0, low: 0, high: 0, promo: 0))
    let new = WatermarkFormulas.perZoneWatermarks(
      Self.x86Zones, minFreeKbytes: 11462, version: Self.v62)
    #expect(new[3] == ZoneWatermarks(min: 32, low: 32, high: 32, promo: 32))
    #expect(new[4] == ZoneWatermarks(min: 0, low: 0, high: 0, promo: 0))
    #expect(new[0...2] == old[0...2])  // the empty zone changes nobody's share
  }

  /// From 6.2 a populated Movable zone leaves lowmem_pages, so the other zones' shares grow.
  @Test func populatedMovableZoneLeavesLowmemFrom6_2() {
    var zones = Self.x86Zones
    zones[3].managed = 1_000_000
    let old = WatermarkFormulas.perZoneWatermarks(zones, minFreeKbytes: 11462, version: Self.v61)
    let new = WatermarkFormulas.perZoneWatermarks(zones, minFreeKbytes: 11462, version: Self.v62)
    #expect(old[3].min == 2865 * 1_000_000 / 3_052_840)
    #expect(new[3].min == 128)
    #expect(new[2].min == 2865 * 1_283_000 / 2_052_840)
  }

  @Test func watermarkScaleFactorWidensTheDistance() {
    let marks = WatermarkFormulas.perZoneWatermarks(
      Self.x86Zones, minFreeKbytes: 11462, watermarkScaleFactor: 200, version: Self.v61)
    #expect(Self.triple(marks[1]) == [1069, 1069 + 15320, 1069 + 2 * 15320])
  }

  // MARK: - THP (§2.2)

  /// Before 4.18 khugepaged counted a populated Movable zone too.
  @Test func thpZoneCountByVersion() {
    var zones = Self.x86Zones
    zones[3].managed = 1_000_000
    let old = WatermarkFormulas.recommendedMinFreeKbytes(zones, version: KernelVersion(4, 17))
    let new = WatermarkFormulas.recommendedMinFreeKbytes(zones, version: KernelVersion(4, 18))
    #expect(old == 11 * 512 * 4 * 4)
    #expect(new == 11 * 512 * 3 * 4)
  }

  @Test func thpValueIsCappedAtFivePercentOfUserPages() {
    let zones = [WatermarkZone(.dma, managed: 3840), WatermarkZone(.dma32, managed: 39632)]
    let marks = [
      ZoneWatermarks(min: 35, low: 43, high: 51), ZoneWatermarks(min: 367, low: 458, high: 549),
    ]
    // §2.3: the 256 MiB guest switched to THP at run time: (42872 / 20) × 4 kB.
    let value = WatermarkFormulas.recommendedMinFreeKbytes(
      zones, watermarks: marks, version: Self.v61)
    #expect(value == 8572)
  }

  // MARK: - lowmem_reserve variants (§4.2)

  /// i386-like node with a populated Movable zone above a ratio-0 HighMem zone.
  static let highmemNode = [
    WatermarkZone(.dma, managed: 3976), WatermarkZone(.normal, managed: 215_000),
    WatermarkZone(.highmem, managed: 294_000), WatermarkZone(.movable, managed: 1000),
  ]

  @Test(
    arguments: [
      ("4.9.56", [256, 32, 32], [[0, 839, 1988, 1992], [0, 0, 9187, 9218], [0, 0, 0, 31]]),
      ("5.4", [256, 32, 0, 0], [[0, 839, 1988, 1992], [0, 0, 9187, 9218], [0, 0, 0, 0]]),
      ("5.10.13", [256, 32, 0, 0], [[0, 839, 1988, 843], [0, 0, 9187, 31], [0, 0, 0, 0]]),
      ("5.10.50", [256, 32, 0, 0], [[0, 839, 1988, 1992], [0, 0, 9187, 9218], [0, 0, 0, 0]]),
      (
        "6.1.0-56-686-pae", [256, 32, 0, 0],
        [[0, 839, 1988, 1992], [0, 0, 9187, 9218], [0, 0, 0, 0]]
      ),
    ] as [(String, [Int], [[Int]])])
  func lowmemReservePerVersion(kernel: String, ratio: [Int], expected: [[Int]]) throws {
    let version = try KernelVersion(parsing: kernel)
    let kinds = Self.highmemNode.map(\.kind)
    #expect(WatermarkFormulas.defaultLowmemReserveRatio(kinds, version: version) == ratio)
    let reserve = WatermarkFormulas.lowmemReserve(Self.highmemNode, ratio: ratio, version: version)
    #expect(Array(reserve[0...2]) == expected)
    #expect(reserve[3] == [0, 0, 0, 0])
  }

  /// An empty lower zone still got a reserve up to 5.7.
  @Test func emptyLowerZone() {
    let zones = [
      WatermarkZone(.dma, managed: 0), WatermarkZone(.dma32, managed: 1000),
      WatermarkZone(.normal, managed: 2000),
    ]
    let old = WatermarkFormulas.lowmemReserve(
      zones, ratio: [256, 256], version: KernelVersion(4, 9))
    #expect(old[0] == [0, 3, 11])
    let new = WatermarkFormulas.lowmemReserve(zones, ratio: [256, 256, 32], version: Self.v61)
    #expect(new[0] == [0, 0, 0])
    #expect(new[1] == [0, 0, 7])
  }

  @Test func lowmemReservePerNode() {
    let zones = [
      WatermarkZone(node: 0, .dma32, managed: 2560),
      WatermarkZone(node: 0, .normal, managed: 25600),
      WatermarkZone(node: 1, .dma32, managed: 0), WatermarkZone(node: 1, .normal, managed: 51200),
    ]
    let reserve = WatermarkFormulas.lowmemReserve(zones, ratio: [256, 32], version: Self.v61)
    #expect(reserve == [[0, 100], [0, 0], [0, 0], [0, 0]])
  }
}
