import Foundation
import MMTestSupport
import Testing

/// `oomlab inspect`'s task section as a user runs it.
struct InspectTasksCommandTests {
  static let holdersReady = Fixtures.groundTruth.appendingPathComponent(
    "oom-victim/default/01-holders-ready/proc")

  @Test func jsonListsTasksAndTheVictim() throws {
    let result = try GFPCommandTests().run("inspect", "--proc", Self.holdersReady.path, "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let object = try InspectCommandTests().json(result)
    #expect(object["zones"] != nil)
    let tasks = try #require(object["tasks"] as? [[String: Any]])
    #expect(tasks.count == 4)
    let holder1 = try #require(tasks.first { $0["pid"] as? Int == 253 })
    #expect(holder1["comm"] as? String == "holder1")
    #expect(holder1["oomScoreAdj"] as? Int == 500)
    #expect(holder1["oomScore"] as? [String: Int] == ["kernel": 1140, "model": 1140])
    #expect(holder1["badnessPages"] as? Int == 76749)
    let victim = try #require(object["oomVictim"] as? [String: Any])
    #expect(victim["pid"] as? Int == 253)
    #expect(victim["comm"] as? String == "holder1")
    #expect((object["oomRunnerUp"] as? [String: Any])?["pid"] as? Int == 249)
    #expect(object["oomDecision"] as? String == "killVictim")
  }

  @Test func textFollowsTheZones() throws {
    let result = try GFPCommandTests().run("inspect", "--proc", Self.holdersReady.path)
    #expect(result.status == 0, "\(result.stderr)")
    let zones = try #require(result.stdout.range(of: "model agrees with your kernel: every zone"))
    let tasks = try #require(result.stdout.range(of: "\ntasks (pages; totalpages 107888"))
    #expect(zones.upperBound < tasks.lowerBound)
    #expect(result.stdout.contains("OOM killer would kill now: 253 (holder1)"))
  }

  @Test func aCaptureWithoutProcessesHasNoTaskKeys() throws {
    let folder = Fixtures.groundTruth.appendingPathComponent("watermarks/m256M/00-as-booted/proc")
    let result = try GFPCommandTests().run("inspect", "--proc", folder.path, "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let object = try InspectCommandTests().json(result)
    #expect(object["tasks"] == nil)
    #expect(object["oomVictim"] == nil)
  }

  @Test func aBrokenStatusIsOneLineWithItsPosition() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "oomlab-inspect-tasks-\(getpid())")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("42"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["zoneinfo", "meminfo"] {
      try FileManager.default.copyItem(
        at: Self.holdersReady.appendingPathComponent(name),
        to: folder.appendingPathComponent(name))
    }
    try "Name:\tx\nVmRSS:\t 12 MB\n".write(
      to: folder.appendingPathComponent("42/status"), atomically: true, encoding: .utf8)
    let result = try GFPCommandTests().run("inspect", "--proc", folder.path, "--kernel", "6.1")
    #expect(result.status == 1)
    #expect(result.stderr == "oomlab: \(folder.path)/42/status:2:11: expected 'kB'\n")
  }
}
