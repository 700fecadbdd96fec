import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// `oomlab inspect`'s watermark check against real kernels: every captured /proc of the ground
/// truth (Debian 6.1 x86_64 and arm64) and this machine's live /proc.
@Suite(.timeLimit(.minutes(2)))
struct WatermarkInspectionTests {
  /// Every `proc/` folder with a zoneinfo.
  static let snapshots = Fixtures.procFolders(holding: "zoneinfo")

  static func read(_ url: URL) -> String? { try? Fixtures.text(of: url) }

  /// The run's boot log: the nearest `dmesg.txt` above the snapshot.
  static func bootLog(for folder: URL) -> String? {
    var directory = folder
    while directory.path.hasPrefix(Fixtures.groundTruth.path) {
      if let text = read(directory.appendingPathComponent("dmesg.txt")) { return text }
      directory.deleteLastPathComponent()
    }
    return nil
  }

  static func inspect(_ folder: URL) throws -> (WatermarkInspection, ZoneInfo) {
    let zoneInfo = try ZoneInfo(parsing: read(folder.appendingPathComponent("zoneinfo")) ?? "")
    var files: [String: String] = [:]
    let vm = folder.appendingPathComponent("sys/vm")
    for name in (try? FileManager.default.contentsOfDirectory(atPath: vm.path)) ?? [] {
      files[name] = read(vm.appendingPathComponent(name))
    }
    let version = read(folder.appendingPathComponent("version")).flatMap {
      KernelVersion.find(inLogLine: $0)
    }
    let report = WatermarkInspection(
      zoneInfo: zoneInfo, sysVM: try SysVM(parsing: files), kernel: try #require(version),
      bootMemory: bootLog(for: folder).map { BootMemory(parsingLog: $0) })
    return (report, zoneInfo)
  }

  @Test func everySnapshotIsFound() {
    #expect(Self.snapshots.count == 75)
  }

  @Test(arguments: snapshots)
  func modelReproducesTheKernelsWatermarksAndProtection(folder: URL) throws {
    let (report, zoneInfo) = try Self.inspect(folder)
    #expect(report.agrees, "\(report.zones.flatMap(\.differences))")
    #expect(report.zones.count == zoneInfo.entries.count)
    #expect(!report.zones.contains { $0.managed > 0 && $0.history == "unexplained" })
  }

  /// The as-booted snapshots.
  static let bootSnapshots = snapshots.filter {
    ["00-as-booted", "00-boot"].contains($0.deletingLastPathComponent().lastPathComponent)
  }

  /// As booted, with THP off at boot (less than 512 MiB managed switches it off), the model's
  /// default min_free_kbytes is the kernel's; with THP on, the kernel's is THP's larger
  /// recommendation.
  @Test(arguments: bootSnapshots)
  func bootDefaultMatchesWhereTHPWasOff(folder: URL) throws {
    let (report, zoneInfo) = try Self.inspect(folder)
    let managed = zoneInfo.entries.reduce(0) { $0 + $1.managed }
    let thpOff = managed < 131072 || folder.path.contains("thp-never")
    if thpOff {
      #expect(report.minFreeKbytes.modelDefault == report.minFreeKbytes.kernel)
    } else {
      #expect(report.minFreeKbytes.modelDefault < report.minFreeKbytes.kernel)
    }
  }

  /// 15 as-booted snapshots, 6 of them with THP off: four 512 MiB amd64 runs, m256M and the
  /// arm64 thp-never boot.
  @Test func bootSnapshotsCoverTHPOffAndOn() throws {
    let thpOff = try Self.bootSnapshots.filter { folder in
      let zoneInfo = try Self.inspect(folder).1
      return zoneInfo.entries.reduce(0) { $0 + $1.managed } < 131072
        || folder.path.contains("thp-never")
    }
    #expect(Self.bootSnapshots.count == 15)
    #expect(thpOff.count == 6)
  }

  @Test func historiesAreNamed() throws {
    let booted = try #require(Self.snapshots.first { $0.path.hasSuffix("m256M/00-as-booted/proc") })
    let written = try #require(
      Self.snapshots.first { $0.path.hasSuffix("m256M/02-mfk-16384_wsf-default/proc") })
    #expect(try Self.inspect(booted).0.zones.map(\.history).prefix(2) == ["boot", "boot"])
    #expect(
      try Self.inspect(written).0.zones.map(\.history).prefix(2) == ["recomputed", "recomputed"])
  }

  @Test func withoutTheBootLogBootValuesAreNamedAsUnexplained() throws {
    let booted = try #require(Self.snapshots.first { $0.path.hasSuffix("m256M/00-as-booted/proc") })
    let zoneInfo = try ZoneInfo(parsing: Self.read(booted.appendingPathComponent("zoneinfo")) ?? "")
    let report = WatermarkInspection(
      zoneInfo: zoneInfo, sysVM: SysVM(minFreeKbytes: 1615),
      kernel: try KernelVersion(parsing: "6.1.0"))
    #expect(!report.agrees)
    #expect(report.zones[1].differences.first?.contains("pass the boot log with --dmesg") == true)
  }
}
