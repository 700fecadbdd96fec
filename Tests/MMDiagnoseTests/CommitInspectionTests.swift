import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// `oomlab inspect`'s commit section against the ground truth: every captured meminfo, and the
/// overcommit run's probes (`Tests/Fixtures/ground-truth/overcommit/m1G`).
struct CommitInspectionTests {
  /// Every `proc/` folder with a meminfo.
  static let snapshots = Fixtures.procFolders(holding: "meminfo")

  static func inspect(_ folder: URL, committedKB: Int? = nil, taskSizeKB: Int = 0) throws
    -> CommitInspection
  {
    var memInfo = try MemInfo(parsing: Fixtures.text(of: folder.appendingPathComponent("meminfo")))
    if let committedKB, let index = memInfo.fields.firstIndex(where: { $0.name == "Committed_AS" })
    {
      memInfo.fields[index].value = committedKB
    }
    var files: [String: String] = [:]
    let vm = folder.appendingPathComponent("sys/vm")
    for name in (try? FileManager.default.contentsOfDirectory(atPath: vm.path)) ?? [] {
      files[name] = try Fixtures.text(of: vm.appendingPathComponent(name))
    }
    let zoneInfo = try? ZoneInfo(
      parsing: Fixtures.text(of: folder.appendingPathComponent("zoneinfo")))
    let version = try #require(
      KernelVersion.find(inLogLine: Fixtures.text(of: folder.appendingPathComponent("version"))))
    return try CommitInspection(
      memInfo: memInfo, sysVM: SysVM(parsing: files), kernel: version, zoneInfo: zoneInfo,
      taskSizeKB: taskSizeKB)
  }

  /// The model's CommitLimit is the kernel's in every capture, with its sysctls or, where the
  /// capture has none, the defaults.
  @Test func everyCaptureAgrees() throws {
    #expect(Self.snapshots.count == 85)
    for folder in Self.snapshots {
      let report = try Self.inspect(folder)
      #expect(report.agrees, "\(Fixtures.relativePath(folder)): \(report.differences)")
      #expect(report.limitKB.kernel == report.limitKB.model)
    }
  }

  /// In mode 2 the largest mapping granted, for the probe's own size and Committed_AS, is what
  /// the kernel granted the probe, as root and as uid 65534.
  @Test(arguments: [
    ("01-mode2-ratio50", 465_068, 456_876), ("02-mode2-ratio80", 749_132, 740_940),
    ("03-mode2-kbytes400000", 391_628, 383_436),
  ])
  func strictHeadroomIsTheProbesLargestMapping(step: String, root: Int, nobody: Int) throws {
    let folder = Fixtures.groundTruth.appendingPathComponent("overcommit/m1G/\(step)/proc")
    let report = try Self.inspect(folder, committedKB: 8340, taskSizeKB: 996)
    #expect(report.mode == 2)
    #expect(report.largestGrantedKB == .init(capSysAdmin: root, unprivileged: nobody))
    #expect(report.verdict.contains("\(root) kB with CAP_SYS_ADMIN, \(nobody) kB without"))
  }

  /// Mode 0 names the single-request limit, mode 1 grants anything.
  @Test func guessAndAlwaysVerdicts() throws {
    let run = Fixtures.groundTruth.appendingPathComponent("overcommit/m1G")
    let guess = try Self.inspect(run.appendingPathComponent("04-mode0/proc"))
    #expect(guess.largestGrantedKB == .init(capSysAdmin: 946_880, unprivileged: 946_880))
    #expect(guess.verdict.contains("larger than RAM + swap (946880 kB)"))
    let always = try Self.inspect(run.appendingPathComponent("05-mode1/proc"))
    #expect(always.largestGrantedKB == nil)
    #expect(
      always.text == """
        commit: overcommit_memory 1 (OVERCOMMIT_ALWAYS), CommitLimit 473440 kB (model 473440 kB), Committed_AS 8024 kB
        overcommit_memory 1: every request is granted; CommitLimit is not enforced
        model agrees with your kernel's CommitLimit

        """)
  }

  /// A CommitLimit the sysctls do not give is reported with the reason.
  @Test func differenceIsReported() throws {
    var memInfo = MemInfo(fields: [
      .init(name: "MemTotal", value: 946_880), .init(name: "CommitLimit", value: 500_000),
      .init(name: "Committed_AS", value: 8024),
    ])
    let report = try CommitInspection(
      memInfo: memInfo, sysVM: SysVM(overcommitMemory: 2, overcommitRatio: 50),
      kernel: KernelVersion(6, 1))
    #expect(!report.agrees)
    #expect(
      report.differences.first?.hasPrefix("CommitLimit: kernel 500000 kB, model 473440 kB") == true)
    #expect(report.text.contains("model differs from your kernel:\n- CommitLimit"))
    memInfo.fields.removeFirst()
    #expect(throws: OvercommitError.missingMemInfoField("MemTotal")) {
      try CommitInspection(memInfo: memInfo, sysVM: SysVM(), kernel: KernelVersion(6, 1))
    }
  }

  /// The JSON puts the section under "commit", beside the watermark keys.
  @Test func reportJSONMergesTheSections() throws {
    let folder = Fixtures.groundTruth.appendingPathComponent(
      "watermarks/m256M/00-as-booted/proc")
    let commit = try Self.inspect(folder)
    let watermarks = WatermarkInspection(
      zoneInfo: try ZoneInfo(parsing: Fixtures.text(of: folder.appendingPathComponent("zoneinfo"))),
      sysVM: SysVM(), kernel: KernelVersion(6, 1))
    let data = try JSONEncoder().encode(InspectionReport(watermarks: watermarks, commit: commit))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["zones"] != nil)
    let section = try #require(object["commit"] as? [String: Any])
    #expect(section["limitKB"] as? [String: Int] == ["kernel": 86944, "model": 86944])
    #expect(section["mode"] as? Int == 0)
    let onlyCommit = try JSONEncoder().encode(InspectionReport(watermarks: nil, commit: commit))
    let keys = try #require(try JSONSerialization.jsonObject(with: onlyCommit) as? [String: Any])
    #expect(Array(keys.keys) == ["commit"])
  }
}
