import MMCore
import Testing

/// Telling boot values from recomputed ones in a captured `/proc` (zones-watermarks.md §1,
/// §4.3a), on ground-truth snapshots (`shared/ground-truth`, Debian 6.1 amd64, 2695 late-freed
/// DMA32 pages).
struct WatermarkHistoryTests {
  /// One snapshot's DMA and DMA32 values, and the histories each should match.
  struct Capture: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var dma32Managed: Int
    var minFreeKbytes: Int
    /// DMA then DMA32: printed min/low/high and boost.
    var watermarks: [ZoneWatermarks]
    /// DMA's protection (DMA32's is all 0 on these machines).
    var dmaProtection: [Int]
    var dmaWatermarks: [WatermarkHistory]
    var dma32Watermarks: [WatermarkHistory]
    var protection: [WatermarkHistory]
  }

  static let both = WatermarkHistory.allCases

  static func printed(_ min: Int, _ low: Int, _ high: Int, boost: Int = 0) -> ZoneWatermarks {
    ZoneWatermarks(min: min - boost, low: low - boost, high: high - boost, boost: boost)
  }

  static let captures: [Capture] = [
    // alloc-failure/m512M/00-boot: nothing recomputed yet; THP is off at 512 MiB, and both
    // managed counts give the same watermarks.
    Capture(
      testDescription: "alloc-failure/m512M/00-boot", dma32Managed: 104_048,
      minFreeKbytes: 2594, watermarks: [printed(23, 28, 33), printed(624, 780, 936)],
      dmaProtection: [0, 395, 395, 395, 395], dmaWatermarks: both, dma32Watermarks: both,
      protection: [.boot]),
    // alloc-failure/m512M/99-end: the 00 snapshot's sysctl dump recomputed lowmem_reserve;
    // DMA32 prints min 2028 = 624 + boost 1404.
    Capture(
      testDescription: "alloc-failure/m512M/99-end", dma32Managed: 104_048, minFreeKbytes: 2594,
      watermarks: [printed(23, 28, 33), printed(2028, 2184, 2340, boost: 1404)],
      dmaProtection: [0, 406, 406, 406, 406], dmaWatermarks: both, dma32Watermarks: both,
      protection: [.recomputed]),
    // watermarks/m256M/00-as-booted: watermarks as booted, lowmem_reserve recomputed by the
    // scenario's read of lowmem_reserve_ratio.
    Capture(
      testDescription: "watermarks/m256M/00-as-booted", dma32Managed: 39632,
      minFreeKbytes: 1615, watermarks: [printed(37, 46, 55), printed(365, 456, 547)],
      dmaProtection: [0, 154, 154, 154, 154], dmaWatermarks: [.boot], dma32Watermarks: [.boot],
      protection: [.recomputed]),
    // watermarks/m256M/01: the as-booted min_free_kbytes written back.
    Capture(
      testDescription: "watermarks/m256M/01-mfk-default_wsf-default", dma32Managed: 39632,
      minFreeKbytes: 1615, watermarks: [printed(35, 43, 51), printed(367, 458, 549)],
      dmaProtection: [0, 154, 154, 154, 154], dmaWatermarks: [.recomputed],
      dma32Watermarks: [.recomputed], protection: [.recomputed]),
    // overcommit/m1G/00-boot: all as booted (THP on, 45056 kB).
    Capture(
      testDescription: "overcommit/m1G/00-boot", dma32Managed: 232_880, minFreeKbytes: 45056,
      watermarks: [printed(184, 230, 276), printed(11079, 13848, 16617)],
      dmaProtection: [0, 899, 899, 899, 899], dmaWatermarks: [.boot], dma32Watermarks: [.boot],
      protection: [.boot]),
    // A made-up capture that matches neither history.
    Capture(
      testDescription: "edited by hand", dma32Managed: 232_880, minFreeKbytes: 45056,
      watermarks: [printed(1, 2, 3), printed(11079, 13848, 16617)],
      dmaProtection: [0, 1, 1, 1, 1], dmaWatermarks: [], dma32Watermarks: [.boot],
      protection: []),
  ]

  static func zones(dma32: Int) -> [WatermarkZone] {
    [
      WatermarkZone(.dma, managed: 3840), WatermarkZone(.dma32, managed: dma32),
      WatermarkZone(.normal, managed: 0), WatermarkZone(.movable, managed: 0),
      WatermarkZone(.device, managed: 0),
    ]
  }

  @Test(arguments: captures)
  func classifiesEachZone(_ capture: Capture) {
    let candidates = WatermarkFormulas.candidates(
      zones: Self.zones(dma32: capture.dma32Managed), minFreeKbytes: capture.minFreeKbytes,
      watermarkScaleFactor: 10, lowmemReserveRatio: [256, 256, 32, 0, 0],
      lateFreedPages: [0, 2695, 0, 0, 0], version: KernelVersion(6, 1, 0))
    #expect(
      candidates.histories(ofZone: 0, watermarks: capture.watermarks[0]) == capture.dmaWatermarks)
    #expect(
      candidates.histories(ofZone: 1, watermarks: capture.watermarks[1]) == capture.dma32Watermarks)
    #expect(
      candidates.histories(ofZone: 0, protection: capture.dmaProtection) == capture.protection)
    #expect(candidates.histories(ofZone: 1, protection: [0, 0, 0, 0, 0]) == Self.both)
  }

  @Test func withoutLateFreesOnlyTheRecomputedHistoryExists() {
    let candidates = WatermarkFormulas.candidates(
      zones: Self.zones(dma32: 39632), minFreeKbytes: 1615, watermarkScaleFactor: 10,
      lowmemReserveRatio: [256, 256, 32, 0, 0], lateFreedPages: nil, version: KernelVersion(6, 1))
    #expect(candidates.boot == nil)
    #expect(candidates.histories(ofZone: 0, watermarks: Self.printed(37, 46, 55)).isEmpty)
    #expect(candidates.histories(ofZone: 0, watermarks: Self.printed(35, 43, 51)) == [.recomputed])
  }

  /// The boot candidate is what the boot sequence leaves when min_free_kbytes is the booted one.
  @Test func bootCandidateAgreesWithTheBootSequence() throws {
    let boot = WatermarkStateTests.amd64(dma32: 232_880)
    let state = WatermarkState(booting: boot)
    let candidates = WatermarkFormulas.candidates(
      zones: state.zones, minFreeKbytes: state.minFreeKbytes,
      watermarkScaleFactor: state.watermarkScaleFactor,
      lowmemReserveRatio: state.lowmemReserveRatio, lateFreedPages: boot.lateFreedPages,
      version: boot.version)
    #expect(candidates.boot == state.reserves)
    // What the kernel printed for that boot (overcommit/m1G/00-boot zoneinfo, boost 0).
    let dma32 = try #require(candidates.boot?.watermarks[1])
    #expect((dma32.min, dma32.low, dma32.high) == (11079, 13848, 16617))
  }
}
