import MMCore
import Testing

/// Replays every snapshot of the ground-truth runs (`shared/ground-truth/INDEX.md`,
/// `shared/ground-truth/cma-arm64/INDEX.md`) through ``WatermarkState`` and compares every
/// `min_free_kbytes`, min/low/high and `protection` value with the kernel's.
///
/// The literals are copied from each snapshot's `proc/zoneinfo` and `proc/sys/vm/min_free_kbytes`
/// (zones in zoneinfo order, printed min/low/high which include the boost). The inputs are the
/// final managed pages of zoneinfo, the boot log's late `Freeing … memory` lines and the THP
/// mode; the events between snapshots are the scenario's sysctl accesses
/// (`shared/tools/kernel-lab/scenarios/*.sh`). Every full snapshot dumps zoneinfo first and
/// then all of `/proc/sys/vm`, which reads `lowmem_reserve_ratio` and so recomputes
/// `lowmem_reserve` before the next snapshot.
@Suite(.timeLimit(.minutes(1)))
struct WatermarkGroundTruthTests {
  /// A sysctl or sysfs access of the scenario between two snapshots.
  enum Event: Sendable {
    /// `vm.watermark_scale_factor` written.
    case wsf(Int)
    /// `vm.min_free_kbytes` written.
    case mfk(Int)
    /// `vm.lowmem_reserve_ratio` written.
    case ratio([Int])
    /// `vm.lowmem_reserve_ratio` read.
    case readLowmemReserveRatio
    /// `transparent_hugepage/enabled` written.
    case thp(TransparentHugepageMode)

    func apply(to state: inout WatermarkState) {
      switch self {
      case .wsf(let factor): state.writeWatermarkScaleFactor(factor)
      case .mfk(let kbytes): state.writeMinFreeKbytes(kbytes)
      case .ratio(let ratio): state.writeLowmemReserveRatio(ratio)
      case .readLowmemReserveRatio: state.readLowmemReserveRatio()
      case .thp(let mode): state.writeTransparentHugepageEnabled(mode)
      }
    }
  }

  /// One zone of a snapshot's zoneinfo: name, managed, printed min/low/high, boost, protection.
  struct Z: Sendable {
    var name: String
    var managed: Int
    var min: Int
    var low: Int
    var high: Int
    var boost: Int
    var protection: [Int]

    init(
      _ name: String, _ managed: Int, _ min: Int, _ low: Int, _ high: Int, boost: Int = 0,
      _ protection: [Int]
    ) {
      (self.name, self.managed, self.min, self.low, self.high) = (name, managed, min, low, high)
      (self.boost, self.protection) = (boost, protection)
    }

    /// How many kernel-printed values the test compares for this zone.
    var valueCount: Int { 3 + protection.count }
  }

  /// One snapshot directory: the events before it and what the kernel showed.
  struct Snapshot: Sendable {
    var step: String
    var events: [Event]
    var minFreeKbytes: Int?
    var readsSysctls: Bool
    var zones: [Z]

    init(
      _ step: String, _ events: [Event], minFreeKbytes: Int?, readsSysctls: Bool = true,
      zones: [Z]
    ) {
      (self.step, self.events, self.minFreeKbytes) = (step, events, minFreeKbytes)
      (self.readsSysctls, self.zones) = (readsSysctls, zones)
    }
  }

  /// One boot of the kernel-lab and its snapshots in order.
  struct GroundTruthRun: Sendable {
    var path: String
    var boot: WatermarkState.BootConfiguration
    var snapshots: [Snapshot]

    init(_ path: String, boot: WatermarkState.BootConfiguration, snapshots: [Snapshot]) {
      (self.path, self.boot, self.snapshots) = (path, boot, snapshots)
    }
  }

  /// One snapshot to reproduce: replay the run up to it.
  struct Case: Sendable, CustomTestStringConvertible {
    var run: GroundTruthRun
    var index: Int
    var testDescription: String { "\(run.path)/\(run.snapshots[index].step)" }
  }

  static let cases: [Case] = runs.flatMap { run in
    run.snapshots.indices.map { Case(run: run, index: $0) }
  }

  @Test(arguments: cases)
  func reproducesSnapshot(_ test: Case) throws {
    var state = WatermarkState(booting: test.run.boot)
    for snapshot in test.run.snapshots[..<test.index] {
      for event in snapshot.events { event.apply(to: &state) }
      if snapshot.readsSysctls { state.readLowmemReserveRatio() }
    }
    let snapshot = test.run.snapshots[test.index]
    for event in snapshot.events { event.apply(to: &state) }

    if let kbytes = snapshot.minFreeKbytes { #expect(state.minFreeKbytes == kbytes) }
    try #require(state.zones.count == snapshot.zones.count)
    for (i, zone) in snapshot.zones.enumerated() {
      #expect(state.zones[i].kind.kernelName == zone.name)
      #expect(state.zones[i].managed == zone.managed, "\(zone.name) managed")
      let computed = state.watermarks[i]
      let printed = (computed.min, computed.low, computed.high)
      let expected = (zone.min - zone.boost, zone.low - zone.boost, zone.high - zone.boost)
      #expect(printed == expected, "\(zone.name) min/low/high")
      #expect(state.lowmemReserve[i] == zone.protection, "\(zone.name) protection")
    }
  }

  /// The tables hold the values the report counts; keep the count honest when editing them.
  @Test func countsTheReproducedValues() {
    let snapshots = Self.runs.flatMap(\.snapshots)
    let values = snapshots.reduce(0) { total, snapshot in
      total + (snapshot.minFreeKbytes == nil ? 0 : 1)
        + snapshot.zones.reduce(0) { $0 + $1.valueCount }
    }
    #expect(snapshots.count == 75)
    #expect(values == 2916)
  }
}

// MARK: - Machines

extension WatermarkState.BootConfiguration {
  /// Debian 6.1.192 amd64 (`6.1.0-56-amd64`) under QEMU `pc`.
  ///
  /// Zones DMA, DMA32, Normal, Movable, Device; THP `always` by config. Every boot frees 10780 kB = 2695 pages of DMA32 late
  /// (`Freeing initrd memory: 2772K`, `unused decrypted memory: 2036K`, `kernel image (initmem)
  /// memory: 2824K`, `(text/rodata gap) memory: 2040K`, `(rodata/data gap) memory: 1108K`).
  static func debianAMD64(dma: Int, dma32: Int, normal: Int = 0) -> Self {
    Self(
      version: KernelVersion(6, 1, 0, localVersion: "-56-amd64"),
      zones: [
        WatermarkZone(.dma, managed: dma), WatermarkZone(.dma32, managed: dma32),
        WatermarkZone(.normal, managed: normal), WatermarkZone(.movable, managed: 0),
        WatermarkZone(.device, managed: 0),
      ],
      lateFreedPages: [0, 2695, 0, 0, 0], transparentHugepage: .always)
  }

  /// Debian 6.1.192 arm64 (`6.1.0-56-arm64`) under QEMU `virt`, 1 GiB.
  ///
  /// Everything is in DMA (241025 managed pages, CMA included); DMA32 and Normal are empty;
  /// there is no Device zone. Every boot
  /// frees 9248 kB = 2312 pages of DMA late (`Freeing initrd memory: 2784K`, `Freeing unused
  /// kernel memory: 6464K`).
  static func debianARM64(cmaPages: Int, transparentHugepage: TransparentHugepageMode) -> Self {
    Self(
      version: KernelVersion(6, 1, 0, localVersion: "-56-arm64"),
      zones: [
        WatermarkZone(.dma, managed: 241_025), WatermarkZone(.dma32, managed: 0),
        WatermarkZone(.normal, managed: 0), WatermarkZone(.movable, managed: 0),
      ],
      lateFreedPages: [2312, 0, 0, 0], cmaPages: [cmaPages, 0, 0, 0],
      transparentHugepage: transparentHugepage)
  }
}

// MARK: - Runs

extension WatermarkGroundTruthTests {
  static let runs: [GroundTruthRun] = [
    // INDEX.md §1 `watermarks/m256M`: THP off by itself (< 512 MiB). The scenario reads
    // lowmem_reserve_ratio (boot-defaults.txt) before 00; 01–06 write watermark_scale_factor then
    // min_free_kbytes; 07 writes the halved ratios; 08 restores them, writes min_free_kbytes and
    // switches THP to always (1615 → 8572 kB).
    GroundTruthRun(
      "watermarks/m256M", boot: .debianAMD64(dma: 3840, dma32: 39632),
      snapshots: [
        Snapshot(
          "00-as-booted", [.readLowmemReserveRatio], minFreeKbytes: 1615,
          zones: [
            Z("DMA", 3840, 37, 46, 55, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 365, 456, 547, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-mfk-default_wsf-default", [.wsf(10), .mfk(1615)], minFreeKbytes: 1615,
          zones: [
            Z("DMA", 3840, 35, 43, 51, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 367, 458, 549, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-mfk-16384_wsf-default", [.wsf(10), .mfk(16384)], minFreeKbytes: 16384,
          zones: [
            Z("DMA", 3840, 361, 451, 541, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 3734, 4667, 5600, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "03-mfk-65536_wsf-default", [.wsf(10), .mfk(65536)], minFreeKbytes: 65536,
          zones: [
            Z("DMA", 3840, 1447, 1808, 2169, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 14936, 18670, 22404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "04-mfk-default_wsf-200", [.wsf(200), .mfk(1615)], minFreeKbytes: 1615,
          zones: [
            Z("DMA", 3840, 35, 111, 187, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 367, 1159, 1951, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "05-mfk-16384_wsf-200", [.wsf(200), .mfk(16384)], minFreeKbytes: 16384,
          zones: [
            Z("DMA", 3840, 361, 451, 541, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 3734, 4667, 5600, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "06-mfk-65536_wsf-200", [.wsf(200), .mfk(65536)], minFreeKbytes: 65536,
          zones: [
            Z("DMA", 3840, 1447, 1808, 2169, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 14936, 18670, 22404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "07-lowmem_reserve_ratio-128-128-16-0-0",
          [.wsf(10), .mfk(1615), .ratio([128, 128, 16, 0, 0])], minFreeKbytes: 1615,
          zones: [
            Z("DMA", 3840, 35, 43, 51, [0, 309, 309, 309, 309]),
            Z("DMA32", 39632, 367, 458, 549, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "08-thp-always-via-sysfs", [.ratio([256, 256, 32, 0, 0]), .mfk(1615), .thp(.always)],
          minFreeKbytes: 8572,
          zones: [
            Z("DMA", 3840, 189, 236, 283, [0, 154, 154, 154, 154]),
            Z("DMA32", 39632, 1953, 2441, 2929, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
      ]),
    // INDEX.md §1 `watermarks/m1G-thp-default`: THP always at boot, two zones → 45056 kB; same
    // steps as m256M.
    GroundTruthRun(
      "watermarks/m1G-thp-default", boot: .debianAMD64(dma: 3840, dma32: 232880),
      snapshots: [
        Snapshot(
          "00-as-booted", [.readLowmemReserveRatio], minFreeKbytes: 45056,
          zones: [
            Z("DMA", 3840, 184, 230, 276, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 11079, 13848, 16617, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-mfk-default_wsf-default", [.wsf(10), .mfk(45056)], minFreeKbytes: 45056,
          zones: [
            Z("DMA", 3840, 182, 227, 272, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 11081, 13851, 16621, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-mfk-16384_wsf-default", [.wsf(10), .mfk(16384)], minFreeKbytes: 16384,
          zones: [
            Z("DMA", 3840, 66, 82, 98, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 4029, 5036, 6043, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "03-mfk-65536_wsf-default", [.wsf(10), .mfk(65536)], minFreeKbytes: 65536,
          zones: [
            Z("DMA", 3840, 265, 331, 397, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 16118, 20147, 24176, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "04-mfk-default_wsf-200", [.wsf(200), .mfk(45056)], minFreeKbytes: 45056,
          zones: [
            Z("DMA", 3840, 182, 258, 334, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 11081, 15738, 20395, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "05-mfk-16384_wsf-200", [.wsf(200), .mfk(16384)], minFreeKbytes: 16384,
          zones: [
            Z("DMA", 3840, 66, 142, 218, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 4029, 8686, 13343, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "06-mfk-65536_wsf-200", [.wsf(200), .mfk(65536)], minFreeKbytes: 65536,
          zones: [
            Z("DMA", 3840, 265, 341, 417, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 16118, 20775, 25432, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "07-lowmem_reserve_ratio-128-128-16-0-0",
          [.wsf(10), .mfk(45056), .ratio([128, 128, 16, 0, 0])], minFreeKbytes: 45056,
          zones: [
            Z("DMA", 3840, 182, 227, 272, [0, 1819, 1819, 1819, 1819]),
            Z("DMA32", 232880, 11081, 13851, 16621, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "08-thp-always-via-sysfs", [.ratio([256, 256, 32, 0, 0]), .mfk(45056), .thp(.always)],
          minFreeKbytes: 45056,
          zones: [
            Z("DMA", 3840, 182, 227, 272, [0, 909, 909, 909, 909]),
            Z("DMA32", 232880, 11081, 13851, 16621, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
      ]),
    // INDEX.md §1 `watermarks/m6G-thp-default`: three zones → 67584 kB; same steps as m256M.
    GroundTruthRun(
      "watermarks/m6G-thp-default", boot: .debianAMD64(dma: 3840, dma32: 754602, normal: 749251),
      snapshots: [
        Snapshot(
          "00-as-booted", [.readLowmemReserveRatio], minFreeKbytes: 67584,
          zones: [
            Z("DMA", 3840, 43, 53, 63, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 8441, 10551, 12661, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 8411, 10513, 12615, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-mfk-default_wsf-default", [.wsf(10), .mfk(67584)], minFreeKbytes: 67584,
          zones: [
            Z("DMA", 3840, 43, 53, 63, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 8456, 10570, 12684, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 8396, 10495, 12594, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-mfk-16384_wsf-default", [.wsf(10), .mfk(16384)], minFreeKbytes: 16384,
          zones: [
            Z("DMA", 3840, 10, 13, 16, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 2050, 2804, 3558, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 2035, 2784, 3533, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "03-mfk-65536_wsf-default", [.wsf(10), .mfk(65536)], minFreeKbytes: 65536,
          zones: [
            Z("DMA", 3840, 41, 51, 61, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 8200, 10250, 12300, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 8142, 10177, 12212, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "04-mfk-default_wsf-200", [.wsf(200), .mfk(67584)], minFreeKbytes: 67584,
          zones: [
            Z("DMA", 3840, 43, 119, 195, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 8456, 23548, 38640, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 8396, 23381, 38366, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "05-mfk-16384_wsf-200", [.wsf(200), .mfk(16384)], minFreeKbytes: 16384,
          zones: [
            Z("DMA", 3840, 10, 86, 162, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 2050, 17142, 32234, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 2035, 17020, 32005, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "06-mfk-65536_wsf-200", [.wsf(200), .mfk(65536)], minFreeKbytes: 65536,
          zones: [
            Z("DMA", 3840, 41, 117, 193, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 8200, 23292, 38384, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 8142, 23127, 38112, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "07-lowmem_reserve_ratio-128-128-16-0-0",
          [.wsf(10), .mfk(67584), .ratio([128, 128, 16, 0, 0])], minFreeKbytes: 67584,
          zones: [
            Z("DMA", 3840, 43, 53, 63, [0, 5895, 11748, 11748, 11748]),
            Z("DMA32", 754602, 8456, 10570, 12684, [0, 0, 5853, 5853, 5853]),
            Z("Normal", 749251, 8396, 10495, 12594, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "08-thp-always-via-sysfs", [.ratio([256, 256, 32, 0, 0]), .mfk(67584), .thp(.always)],
          minFreeKbytes: 67584,
          zones: [
            Z("DMA", 3840, 43, 53, 63, [0, 2947, 5874, 5874, 5874]),
            Z("DMA32", 754602, 8456, 10570, 12684, [0, 0, 2926, 2926, 2926]),
            Z("Normal", 749251, 8396, 10495, 12594, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
      ]),
    // INDEX.md §6 `alloc-failure/m512M`: as booted in 00 (DMA protection 395 = 101353 / 256), 406 after
    // the 00 snapshot read the ratios; the case snapshots have no sysctl dump and some carry a
    // watermark boost (zoneinfo prints min/low/high + boost).
    GroundTruthRun(
      "alloc-failure/m512M", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 395, 395, 395, 395]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-fragmented", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "A-order10-atomic/before", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "A-order10-atomic/held", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "A-order10-atomic/after-rmmod", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "B-order10-atomic-fragmented/before", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "B-order10-atomic-fragmented/held", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "B-order10-atomic-fragmented/after-rmmod", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "C-order3-atomic-fragmented/before", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "C-order3-atomic-fragmented/held", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "C-order3-atomic-fragmented/after-rmmod", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "D-order0-atomic-drain/before", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "D-order0-atomic-drain/held", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 2028, 2184, 2340, boost: 1404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "D-order0-atomic-drain/after-rmmod", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 2028, 2184, 2340, boost: 1404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "E-order10-kernel-fragmented/before", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 2028, 2184, 2340, boost: 1404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "E-order10-kernel-fragmented/held", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 2028, 2184, 2340, boost: 1404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "E-order10-kernel-fragmented/after-rmmod", [], minFreeKbytes: nil, readsSysctls: false,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 2028, 2184, 2340, boost: 1404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "99-end", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 2028, 2184, 2340, boost: 1404, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
      ]),
    // INDEX.md `oom-victim/default`: 512 MiB, as booted in 00.
    GroundTruthRun(
      "oom-victim/default", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 395, 395, 395, 395]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-holders-ready", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-after-hog", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
      ]),
    // INDEX.md `oom-kill-allocating-task/hog-killable`: 512 MiB, as booted in 00.
    GroundTruthRun(
      "oom-kill-allocating-task/hog-killable", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 395, 395, 395, 395]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-holders-ready", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-after-hog", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
      ]),
    // INDEX.md `memcg-oom/max64M`: 512 MiB, as booted in 00.
    GroundTruthRun(
      "memcg-oom/max64M", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 395, 395, 395, 395]),
            Z("DMA32", 104048, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ])
      ]),
    // INDEX.md §2 `overcommit/m1G`: 1 GiB as booted (DMA protection 899 = 230185 / 256).
    GroundTruthRun(
      "overcommit/m1G", boot: .debianAMD64(dma: 3840, dma32: 232880),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 45056,
          zones: [
            Z("DMA", 3840, 184, 230, 276, [0, 899, 899, 899, 899]),
            Z("DMA32", 232880, 11079, 13848, 16617, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ])
      ]),
    // INDEX.md §7 `pagecache/m512M-ext4`: with a virtio disk QEMU maps 3 pages less RAM
    // (`Memory: …/523756K`), so DMA32 ends at 104045 managed pages.
    GroundTruthRun(
      "pagecache/m512M-ext4", boot: .debianAMD64(dma: 3840, dma32: 104045),
      snapshots: [
        Snapshot(
          "00-baseline", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 395, 395, 395, 395]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-after-write-and-sync", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-after-drop_caches-3", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "03-after-read", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "04-after-drop_caches-1", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "05-cache-plus-fragmented-anon", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "06-after-drop_caches-3", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "07-after-compact_memory", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "08-after-frag-exit", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
        Snapshot(
          "09-after-compact_memory-2", [], minFreeKbytes: 2594,
          zones: [
            Z("DMA", 3840, 23, 28, 33, [0, 406, 406, 406, 406]),
            Z("DMA32", 104045, 624, 780, 936, [0, 0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
            Z("Device", 0, 0, 0, 0, [0, 0, 0, 0, 0]),
          ]),
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-cma0`: cma=0.
    GroundTruthRun(
      "cma-arm64/boot-cma0", boot: .debianARM64(cmaPages: 0, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-cma256M`: cma=256M.
    GroundTruthRun(
      "cma-arm64/boot-cma256M", boot: .debianARM64(cmaPages: 65536, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-cma256M-thp-never`: cma=256M transparent_hugepage=never: the hook reruns the square-root
    // rule over 238713 − 1465 (step-1 high) pages → 3896 kB.
    GroundTruthRun(
      "cma-arm64/boot-cma256M-thp-never",
      boot: .debianARM64(cmaPages: 65536, transparentHugepage: .never),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 3896,
          zones: [
            Z("DMA", 241025, 974, 1217, 1460, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-default`: no cma= (CONFIG_CMA_SIZE_MBYTES=64).
    GroundTruthRun(
      "cma-arm64/boot-default", boot: .debianARM64(cmaPages: 16384, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/movable-cma0`: cma=0.
    GroundTruthRun(
      "cma-arm64/movable-cma0", boot: .debianARM64(cmaPages: 0, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-near-oom", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-after-oom", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
      ]),
    // cma-arm64/INDEX.md `cma-arm64/movable-cma256M`: cma=256M.
    GroundTruthRun(
      "cma-arm64/movable-cma256M",
      boot: .debianARM64(cmaPages: 65536, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-near-oom", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
        Snapshot(
          "02-after-oom", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
      ]),
    // cma-arm64/INDEX.md `cma-arm64/movable-cma256M-holder-unkillable`: cma=256M; the run panicked before its dmesg.txt was saved: same kernel,
    // command line and late frees as movable-cma256M.
    GroundTruthRun(
      "cma-arm64/movable-cma256M-holder-unkillable",
      boot: .debianARM64(cmaPages: 65536, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
        Snapshot(
          "01-near-oom", [], minFreeKbytes: 22528,
          zones: [
            Z("DMA", 241025, 5632, 7040, 8448, [0, 0, 0, 0]),
            Z("DMA32", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Normal", 0, 0, 0, 0, [0, 0, 0, 0]),
            Z("Movable", 0, 0, 0, 0, [0, 0, 0, 0]),
          ]),
      ]),
  ]
}
