import Foundation
import MMTestSupport
import Testing

/// `oomlab inspect` as a user runs it.
struct InspectCommandTests {
  static let groundTruth = Fixtures.groundTruth

  func json(_ result: GFPCommandTests.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test func capturedProcWithItsBootLogAgrees() throws {
    let run = Self.groundTruth.appendingPathComponent("watermarks/m256M")
    let result = try GFPCommandTests().run(
      "inspect", "--proc", run.appendingPathComponent("00-as-booted/proc").path,
      "--dmesg", run.appendingPathComponent("dmesg.txt").path, "--json")
    #expect(result.status == 0)
    let object = try json(result)
    #expect(object["kernel"] as? String == "6.1.0-56-amd64")
    let minFree = try #require(object["minFreeKbytes"] as? [String: Int])
    #expect(minFree == ["kernel": 1615, "model": 1615, "modelDefault": 1615])
    let zones = try #require(object["zones"] as? [[String: Any]])
    let dma32 = try #require(zones.first { $0["zone"] as? String == "DMA32" })
    #expect(dma32["history"] as? String == "boot")
    #expect((dma32["kernel"] as? [String: Any])?["min"] as? Int == 365)
    #expect((dma32["model"] as? [String: Any])?["min"] as? Int == 365)
    #expect((dma32["model"] as? [String: Any])?["protection"] as? [Int] == [0, 0, 0, 0, 0])
  }

  @Test func textSaysWhetherTheModelAgrees() throws {
    let run = Self.groundTruth.appendingPathComponent("watermarks/m256M")
    let result = try GFPCommandTests().run(
      "inspect", "--proc", run.appendingPathComponent("02-mfk-16384_wsf-default/proc").path)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("model agrees with your kernel"))
    #expect(result.stdout.contains("0/DMA32"))
  }

  /// This machine's own /proc, with its kernel log from /dev/kmsg: one entry per zone of
  /// /proc/zoneinfo.
  @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/proc/zoneinfo")))
  func liveProcAgreesWhenTheBootLogIsReadable() throws {
    let result = try GFPCommandTests().run("inspect", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let object = try json(result)
    let zones = try #require(object["zones"] as? [[String: Any]])
    let zoneInfo = try String(contentsOfFile: "/proc/zoneinfo", encoding: .utf8)
    #expect(zones.count == zoneInfo.split(separator: "\n").filter { $0.hasPrefix("Node ") }.count)
    if object["lateFreedPages"] != nil {
      for zone in zones { #expect((zone["differences"] as? [String])?.isEmpty == true, "\(zone)") }
    }
  }

  @Test func missingOrBrokenInputIsOneLineWithTheFile() throws {
    let missing = try GFPCommandTests().run("inspect", "--proc", "/nonexistent")
    #expect(missing.status == 1)
    #expect(missing.stderr == "oomlab: /nonexistent/zoneinfo: missing\n")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "oomlab-inspect-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "Node 0, zone      DMA\n  pages free     garbage\n".write(
      to: folder.appendingPathComponent("zoneinfo"), atomically: true, encoding: .utf8)
    let broken = try GFPCommandTests().run("inspect", "--proc", folder.path, "--kernel", "6.1")
    #expect(broken.status == 1)
    #expect(broken.stderr.hasPrefix("oomlab: \(folder.path)/zoneinfo:2:"))
    #expect(broken.stderr.split(separator: "\n").count == 1)
  }
}

// MARK: - Commit accounting

extension InspectCommandTests {
  /// A capture with meminfo and sys/vm but no zoneinfo gives the commit section alone.
  @Test func commitSectionWithoutZoneinfo() throws {
    let step = Self.groundTruth.appendingPathComponent("overcommit/m1G/01-mode2-ratio50/proc")
    let result = try GFPCommandTests().run("inspect", "--proc", step.path, "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let object = try json(result)
    #expect(object["zones"] == nil)
    let commit = try #require(object["commit"] as? [String: Any])
    #expect(commit["limitKB"] as? [String: Int] == ["kernel": 473_440, "model": 473_440])
    #expect(commit["committedKB"] as? Int == 8024)
    #expect(commit["mode"] as? Int == 2)
    let text = try GFPCommandTests().run("inspect", "--proc", step.path)
    #expect(
      text.stdout.hasPrefix("commit: overcommit_memory 2 (OVERCOMMIT_NEVER), CommitLimit 473440 kB")
    )
    #expect(text.stdout.contains("465412 kB with CAP_SYS_ADMIN, 457220 kB without"))
  }

  /// With zoneinfo too, the commit section follows the watermarks.
  @Test func commitSectionFollowsTheWatermarks() throws {
    let step = Self.groundTruth.appendingPathComponent(
      "watermarks/m6G-thp-default/00-as-booted/proc")
    let result = try GFPCommandTests().run("inspect", "--proc", step.path, "--json")
    let object = try json(result)
    #expect(object["zones"] != nil)
    let commit = try #require(object["commit"] as? [String: Any])
    #expect(commit["limitKB"] as? [String: Int] == ["kernel": 3_015_384, "model": 3_015_384])
    let text = try GFPCommandTests().run("inspect", "--proc", step.path)
    #expect(
      text.stdout.contains(
        "\n\ncommit: overcommit_memory 0 (OVERCOMMIT_GUESS), CommitLimit 3015384 kB"))
  }
}
