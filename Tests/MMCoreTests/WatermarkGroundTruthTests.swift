import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// Replays every snapshot of the ground-truth runs (`Tests/Fixtures/ground-truth/INDEX.md`,
/// `Tests/Fixtures/ground-truth/cma-arm64/INDEX.md`) through ``WatermarkState`` and compares every
/// `min_free_kbytes`, min/low/high and `protection` value with the kernel's.
///
/// The kernel's values are read from each snapshot's `proc/zoneinfo` and
/// `proc/sys/vm/min_free_kbytes` in `Tests/Fixtures/ground-truth` (printed min/low/high include
/// the boost). The inputs are the
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

  /// One snapshot directory and the events before it.
  struct Snapshot: Sendable {
    var step: String
    var events: [Event]
    var readsSysctls: Bool

    init(_ step: String, _ events: [Event], readsSysctls: Bool = true) {
      (self.step, self.events, self.readsSysctls) = (step, events, readsSysctls)
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

  /// What the kernel showed in a snapshot: its zoneinfo and, when captured, `min_free_kbytes`.
  static func captured(_ test: Case) throws -> (zones: ZoneInfo, minFreeKbytes: Int?) {
    let proc = Fixtures.groundTruth.appendingPathComponent(test.testDescription)
      .appendingPathComponent("proc")
    let zones = try ZoneInfo(parsing: Fixtures.text(of: proc.appendingPathComponent("zoneinfo")))
    let sysctl = proc.appendingPathComponent("sys/vm/min_free_kbytes")
    guard FileManager.default.fileExists(atPath: sysctl.path) else { return (zones, nil) }
    let text = try Fixtures.text(of: sysctl).trimmingCharacters(in: .whitespacesAndNewlines)
    let kbytes: Int = try #require(Int(text), "min_free_kbytes of \(test.testDescription)")
    return (zones, kbytes)
  }

  @Test(arguments: cases)
  func reproducesSnapshot(_ test: Case) throws {
    var state = WatermarkState(booting: test.run.boot)
    for snapshot in test.run.snapshots[..<test.index] {
      for event in snapshot.events { event.apply(to: &state) }
      if snapshot.readsSysctls { state.readLowmemReserveRatio() }
    }
    for event in test.run.snapshots[test.index].events { event.apply(to: &state) }

    let kernel = try Self.captured(test)
    if let kbytes = kernel.minFreeKbytes { #expect(state.minFreeKbytes == kbytes) }
    try #require(state.zones.count == kernel.zones.entries.count)
    for (i, zone) in kernel.zones.entries.enumerated() {
      #expect(state.zones[i].kind.kernelName == zone.zone)
      #expect(state.zones[i].managed == zone.managed, "\(zone.zone) managed")
      let computed = state.watermarks[i]
      let printed = (computed.min, computed.low, computed.high)
      let expected = (zone.min - zone.boost, zone.low - zone.boost, zone.high - zone.boost)
      #expect(printed == expected, "\(zone.zone) min/low/high")
      #expect(state.lowmemReserve[i] == zone.protection, "\(zone.zone) protection")
    }
  }

  /// Every snapshot is read: 75 of them, 2916 kernel-printed values (`min_free_kbytes` where
  /// captured, and each zone's min, low, high and protection entries).
  @Test func countsTheReproducedValues() throws {
    let values = try Self.cases.reduce(0) { total, test in
      let kernel = try Self.captured(test)
      return total + (kernel.minFreeKbytes == nil ? 0 : 1)
        + kernel.zones.entries.reduce(0) { $0 + 3 + $1.protection.count }
    }
    #expect(Self.cases.count == 75)
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
          "00-as-booted", [.readLowmemReserveRatio]),
        Snapshot(
          "01-mfk-default_wsf-default", [.wsf(10), .mfk(1615)]),
        Snapshot(
          "02-mfk-16384_wsf-default", [.wsf(10), .mfk(16384)]),
        Snapshot(
          "03-mfk-65536_wsf-default", [.wsf(10), .mfk(65536)]),
        Snapshot(
          "04-mfk-default_wsf-200", [.wsf(200), .mfk(1615)]),
        Snapshot(
          "05-mfk-16384_wsf-200", [.wsf(200), .mfk(16384)]),
        Snapshot(
          "06-mfk-65536_wsf-200", [.wsf(200), .mfk(65536)]),
        Snapshot(
          "07-lowmem_reserve_ratio-128-128-16-0-0",
          [.wsf(10), .mfk(1615), .ratio([128, 128, 16, 0, 0])]),
        Snapshot(
          "08-thp-always-via-sysfs", [.ratio([256, 256, 32, 0, 0]), .mfk(1615), .thp(.always)]),
      ]),
    // INDEX.md §1 `watermarks/m1G-thp-default`: THP always at boot, two zones → 45056 kB; same
    // steps as m256M.
    GroundTruthRun(
      "watermarks/m1G-thp-default", boot: .debianAMD64(dma: 3840, dma32: 232880),
      snapshots: [
        Snapshot(
          "00-as-booted", [.readLowmemReserveRatio]),
        Snapshot(
          "01-mfk-default_wsf-default", [.wsf(10), .mfk(45056)]),
        Snapshot(
          "02-mfk-16384_wsf-default", [.wsf(10), .mfk(16384)]),
        Snapshot(
          "03-mfk-65536_wsf-default", [.wsf(10), .mfk(65536)]),
        Snapshot(
          "04-mfk-default_wsf-200", [.wsf(200), .mfk(45056)]),
        Snapshot(
          "05-mfk-16384_wsf-200", [.wsf(200), .mfk(16384)]),
        Snapshot(
          "06-mfk-65536_wsf-200", [.wsf(200), .mfk(65536)]),
        Snapshot(
          "07-lowmem_reserve_ratio-128-128-16-0-0",
          [.wsf(10), .mfk(45056), .ratio([128, 128, 16, 0, 0])]),
        Snapshot(
          "08-thp-always-via-sysfs", [.ratio([256, 256, 32, 0, 0]), .mfk(45056), .thp(.always)]),
      ]),
    // INDEX.md §1 `watermarks/m6G-thp-default`: three zones → 67584 kB; same steps as m256M.
    GroundTruthRun(
      "watermarks/m6G-thp-default", boot: .debianAMD64(dma: 3840, dma32: 754602, normal: 749251),
      snapshots: [
        Snapshot(
          "00-as-booted", [.readLowmemReserveRatio]),
        Snapshot(
          "01-mfk-default_wsf-default", [.wsf(10), .mfk(67584)]),
        Snapshot(
          "02-mfk-16384_wsf-default", [.wsf(10), .mfk(16384)]),
        Snapshot(
          "03-mfk-65536_wsf-default", [.wsf(10), .mfk(65536)]),
        Snapshot(
          "04-mfk-default_wsf-200", [.wsf(200), .mfk(67584)]),
        Snapshot(
          "05-mfk-16384_wsf-200", [.wsf(200), .mfk(16384)]),
        Snapshot(
          "06-mfk-65536_wsf-200", [.wsf(200), .mfk(65536)]),
        Snapshot(
          "07-lowmem_reserve_ratio-128-128-16-0-0",
          [.wsf(10), .mfk(67584), .ratio([128, 128, 16, 0, 0])]),
        Snapshot(
          "08-thp-always-via-sysfs", [.ratio([256, 256, 32, 0, 0]), .mfk(67584), .thp(.always)]),
      ]),
    // INDEX.md §6 `alloc-failure/m512M`: as booted in 00 (DMA protection 395 = 101353 / 256), 406 after
    // the 00 snapshot read the ratios; the case snapshots have no sysctl dump and some carry a
    // watermark boost (zoneinfo prints min/low/high + boost).
    GroundTruthRun(
      "alloc-failure/m512M", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", []),
        Snapshot(
          "01-fragmented", []),
        Snapshot(
          "A-order10-atomic/before", [], readsSysctls: false),
        Snapshot(
          "A-order10-atomic/held", [], readsSysctls: false),
        Snapshot(
          "A-order10-atomic/after-rmmod", [], readsSysctls: false),
        Snapshot(
          "B-order10-atomic-fragmented/before", [], readsSysctls: false),
        Snapshot(
          "B-order10-atomic-fragmented/held", [], readsSysctls: false),
        Snapshot(
          "B-order10-atomic-fragmented/after-rmmod", [], readsSysctls: false),
        Snapshot(
          "C-order3-atomic-fragmented/before", [], readsSysctls: false),
        Snapshot(
          "C-order3-atomic-fragmented/held", [], readsSysctls: false),
        Snapshot(
          "C-order3-atomic-fragmented/after-rmmod", [], readsSysctls: false),
        Snapshot(
          "D-order0-atomic-drain/before", [], readsSysctls: false),
        Snapshot(
          "D-order0-atomic-drain/held", [], readsSysctls: false),
        Snapshot(
          "D-order0-atomic-drain/after-rmmod", [], readsSysctls: false),
        Snapshot(
          "E-order10-kernel-fragmented/before", [], readsSysctls: false),
        Snapshot(
          "E-order10-kernel-fragmented/held", [], readsSysctls: false),
        Snapshot(
          "E-order10-kernel-fragmented/after-rmmod", [], readsSysctls: false),
        Snapshot(
          "99-end", []),
      ]),
    // INDEX.md `oom-victim/default`: 512 MiB, as booted in 00.
    GroundTruthRun(
      "oom-victim/default", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", []),
        Snapshot(
          "01-holders-ready", []),
        Snapshot(
          "02-after-hog", []),
      ]),
    // INDEX.md `oom-kill-allocating-task/hog-killable`: 512 MiB, as booted in 00.
    GroundTruthRun(
      "oom-kill-allocating-task/hog-killable", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", []),
        Snapshot(
          "01-holders-ready", []),
        Snapshot(
          "02-after-hog", []),
      ]),
    // INDEX.md `memcg-oom/max64M`: 512 MiB, as booted in 00.
    GroundTruthRun(
      "memcg-oom/max64M", boot: .debianAMD64(dma: 3840, dma32: 104048),
      snapshots: [
        Snapshot(
          "00-boot", [])
      ]),
    // INDEX.md §2 `overcommit/m1G`: 1 GiB as booted (DMA protection 899 = 230185 / 256).
    GroundTruthRun(
      "overcommit/m1G", boot: .debianAMD64(dma: 3840, dma32: 232880),
      snapshots: [
        Snapshot(
          "00-boot", [])
      ]),
    // INDEX.md §7 `pagecache/m512M-ext4`: with a virtio disk QEMU maps 3 pages less RAM
    // (`Memory: …/523756K`), so DMA32 ends at 104045 managed pages.
    GroundTruthRun(
      "pagecache/m512M-ext4", boot: .debianAMD64(dma: 3840, dma32: 104045),
      snapshots: [
        Snapshot(
          "00-baseline", []),
        Snapshot(
          "01-after-write-and-sync", []),
        Snapshot(
          "02-after-drop_caches-3", []),
        Snapshot(
          "03-after-read", []),
        Snapshot(
          "04-after-drop_caches-1", []),
        Snapshot(
          "05-cache-plus-fragmented-anon", []),
        Snapshot(
          "06-after-drop_caches-3", []),
        Snapshot(
          "07-after-compact_memory", []),
        Snapshot(
          "08-after-frag-exit", []),
        Snapshot(
          "09-after-compact_memory-2", []),
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-cma0`: cma=0.
    GroundTruthRun(
      "cma-arm64/boot-cma0", boot: .debianARM64(cmaPages: 0, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-cma256M`: cma=256M.
    GroundTruthRun(
      "cma-arm64/boot-cma256M", boot: .debianARM64(cmaPages: 65536, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-cma256M-thp-never`: cma=256M transparent_hugepage=never: the hook reruns the square-root
    // rule over 238713 − 1465 (step-1 high) pages → 3896 kB.
    GroundTruthRun(
      "cma-arm64/boot-cma256M-thp-never",
      boot: .debianARM64(cmaPages: 65536, transparentHugepage: .never),
      snapshots: [
        Snapshot(
          "00-boot", [])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/boot-default`: no cma= (CONFIG_CMA_SIZE_MBYTES=64).
    GroundTruthRun(
      "cma-arm64/boot-default", boot: .debianARM64(cmaPages: 16384, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", [])
      ]),
    // cma-arm64/INDEX.md `cma-arm64/movable-cma0`: cma=0.
    GroundTruthRun(
      "cma-arm64/movable-cma0", boot: .debianARM64(cmaPages: 0, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", []),
        Snapshot(
          "01-near-oom", []),
        Snapshot(
          "02-after-oom", []),
      ]),
    // cma-arm64/INDEX.md `cma-arm64/movable-cma256M`: cma=256M.
    GroundTruthRun(
      "cma-arm64/movable-cma256M",
      boot: .debianARM64(cmaPages: 65536, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", []),
        Snapshot(
          "01-near-oom", []),
        Snapshot(
          "02-after-oom", []),
      ]),
    // cma-arm64/INDEX.md `cma-arm64/movable-cma256M-holder-unkillable`: cma=256M; the run panicked before its dmesg.txt was saved: same kernel,
    // command line and late frees as movable-cma256M.
    GroundTruthRun(
      "cma-arm64/movable-cma256M-holder-unkillable",
      boot: .debianARM64(cmaPages: 65536, transparentHugepage: .always),
      snapshots: [
        Snapshot(
          "00-boot", []),
        Snapshot(
          "01-near-oom", []),
      ]),
  ]
}
