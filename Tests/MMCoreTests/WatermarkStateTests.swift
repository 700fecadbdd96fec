import MMCore
import Testing

/// The boot sequence and the run-time events of ``WatermarkState`` (zones-watermarks.md §2.3,
/// §2.4, §4.3a).
struct WatermarkStateTests {
  static let debian61 = KernelVersion(6, 1, 0, localVersion: "-56-amd64")

  /// Debian 6.1 amd64 under QEMU with 2695 late-freed DMA32 pages (§1).
  static func amd64(
    dma32: Int, normal: Int = 0, thp: TransparentHugepageMode? = .always,
    version: KernelVersion = debian61
  ) -> WatermarkState.BootConfiguration {
    .init(
      version: version,
      zones: [
        WatermarkZone(.dma, managed: 3840), WatermarkZone(.dma32, managed: dma32),
        WatermarkZone(.normal, managed: normal), WatermarkZone(.movable, managed: 0),
        WatermarkZone(.device, managed: 0),
      ],
      lateFreedPages: [0, 2695, 0, 0, 0], transparentHugepage: thp)
  }

  /// §2.4: the seed board (csky 4.9.56, one Normal zone of 734568 kB, 90112 CMA pages, no THP)
  /// prints `min:2444kB low:3052kB high:3660kB` and `lowmem_reserve[]: 0 0 0`, because its boot
  /// computation ran before the CMA pages joined managed.
  @Test func seedBoardLeavesCMAOutOfTheBootWatermarks() throws {
    let boot = WatermarkState.BootConfiguration(
      version: try KernelVersion(parsing: "4.9.56"),
      zones: [
        WatermarkZone(.normal, managed: 734_568 / 4), WatermarkZone(.highmem, managed: 0),
        WatermarkZone(.movable, managed: 0),
      ],
      cmaPages: [90112, 0, 0], transparentHugepage: nil)
    let state = WatermarkState(booting: boot)
    #expect(state.minFreeKbytes == 2446)
    let normal = state.watermarks[0]
    #expect([normal.min, normal.low, normal.high].map { $0 * 4 } == [2444, 3052, 3660])
    #expect(state.lowmemReserve[0] == [0, 0, 0])
    #expect(state.zones[0].managed == 183_642)
    #expect(state.lowmemReserveRatio == [32, 32])

    // The same board on a 5.9+ kernel counts CMA: 3428 kB (§2.4).
    var counted = boot
    counted.version = KernelVersion(5, 10)
    #expect(WatermarkState(booting: counted).watermarks[0].min * 4 == 3428)
  }

  /// §2.1 and §2.3: Debian 6.1 with `transparent_hugepage=never` shows 3858 kB at 1 GiB, 9796 kB
  /// at 6 GiB.
  ///
  /// The khugepaged hook reruns the square-root rule over the pages above the step-1 high
  /// watermarks. Before 5.16 the hook does not run with THP off (3870 kB).
  @Test func thpNeverAtBootRunsTheSquareRootRuleTwice() {
    #expect(WatermarkState(booting: Self.amd64(dma32: 232_880, thp: .never)).minFreeKbytes == 3858)
    let sixGiB = Self.amd64(dma32: 754_602, normal: 749_251, thp: .never)
    #expect(WatermarkState(booting: sixGiB).minFreeKbytes == 9796)
    let old = Self.amd64(dma32: 232_880, thp: .never, version: KernelVersion(5, 15))
    #expect(WatermarkState(booting: old).minFreeKbytes == 3870)
  }

  /// Below 512 MiB hugepage_init switches THP off and runs no hook; sysfs can switch it on.
  @Test func smallMachineSwitchesTHPOff() {
    var state = WatermarkState(booting: Self.amd64(dma32: 39632))
    #expect(state.transparentHugepage == .never)
    #expect(state.minFreeKbytes == 1615)
    state.writeTransparentHugepageEnabled(.always)
    #expect(state.minFreeKbytes == 8572)
    #expect(state.transparentHugepage == .always)
    // The machine limit can also be given: forcing "not small" runs the hook at boot, capped
    // at (3840 − 55 + 36937 − 547) / 20 pages.
    var forced = Self.amd64(dma32: 39632)
    forced.smallMemory = false
    #expect(WatermarkState(booting: forced).minFreeKbytes == 2008 * 4)
  }

  /// Switching THP off at run time: 5.16+ recomputes with the square-root rule; 5.15 keeps the
  /// raised value.
  @Test func thpOffAtRunTime() {
    var state = WatermarkState(booting: Self.amd64(dma32: 232_880))
    #expect(state.minFreeKbytes == 45056)
    state.writeTransparentHugepageEnabled(.never)
    // isqrt((3840 − 276 + 232880 − 16617) × 4 × 16)
    #expect(state.minFreeKbytes == 3750)
    #expect(state.watermarks[1].min == 3750 / 4 * 232_880 / 236_720)

    var old = WatermarkState(booting: Self.amd64(dma32: 232_880, version: KernelVersion(5, 15)))
    old.writeTransparentHugepageEnabled(.never)
    #expect(old.minFreeKbytes == 45056)
  }

  /// A user value above the square-root rule survives THP being switched off.
  @Test func userValueSurvivesTHPOff() {
    var state = WatermarkState(booting: Self.amd64(dma32: 232_880))
    state.writeMinFreeKbytes(50000)
    state.writeTransparentHugepageEnabled(.never)
    #expect(state.minFreeKbytes == 50000)
    #expect(state.userMinFreeKbytes == 50000)
  }

  /// Writes recompute only their own half: min_free_kbytes and watermark_scale_factor the
  /// watermarks, lowmem_reserve_ratio (read or written) the reserves (§2.3, §4.3a).
  @Test func eachEventRecomputesItsOwnValues() {
    let booted = WatermarkState(booting: Self.amd64(dma32: 39632))
    #expect(booted.lowmemReserve[0] == [0, 144, 144, 144, 144])
    #expect(booted.watermarks[1].min == 365)
    // totalreserve as booted: min(144 + 55, 3840) + min(0 + 547, 36937)
    #expect(booted.totalreservePages == 746)

    var written = booted
    written.writeMinFreeKbytes(1615)
    #expect(written.watermarks[1].min == 367)
    #expect(written.lowmemReserve == booted.lowmemReserve)
    #expect(written.totalreservePages == 144 + 51 + 549)

    var read = booted
    read.readLowmemReserveRatio()
    #expect(read.lowmemReserve[0] == [0, 154, 154, 154, 154])
    #expect(read.watermarks == booted.watermarks)
    #expect(read.totalreservePages == 154 + 55 + 547)

    var scaled = booted
    scaled.writeWatermarkScaleFactor(200)
    #expect(scaled.watermarks[1].low == 367 + 39632 * 200 / 10000)
  }

  /// Before 5.9 the CMA pages miss the first pass but are in managed when khugepaged's hook
  /// recomputes the watermarks.
  @Test func cmaBefore5_9JoinsAtTheTHPHook() {
    var boot = Self.amd64(dma32: 232_880, version: KernelVersion(4, 14))
    boot.lateFreedPages = []
    boot.cmaPages = [0, 65536, 0, 0, 0]
    let state = WatermarkState(booting: boot)
    #expect(state.minFreeKbytes == 45056)
    let expected = WatermarkFormulas.perZoneWatermarks(
      boot.zones, minFreeKbytes: 45056, version: boot.version)
    #expect(state.watermarks == expected)
    // lowmem_reserve stays as computed without CMA: (232880 − 65536) / 256.
    #expect(state.lowmemReserve[0][1] == 653)
  }

  /// Hotplug reruns the first pass over the pages above the current high watermarks.
  @Test func hotplugRerunsInitPerZoneWmarkMin() {
    var state = WatermarkState(booting: Self.amd64(dma32: 39632))
    state.adjustManagedPageCount(zone: 2, by: 262_144)
    state.initPerZoneWmarkMin()
    // isqrt((3840 − 55 + 39632 − 547 + 262144) × 4 × 16)
    #expect(state.minFreeKbytes == 4418)
    #expect(state.lowmemReserve[1][2] == 262_144 / 256)
  }
}
