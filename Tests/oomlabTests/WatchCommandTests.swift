import Foundation
import MMTestSupport
import Testing

/// `oomlab watch` as a user runs it: on the live /proc, over a folder of captures, and on
/// captures with missing or broken files.
///
/// One test at a time, so that the suite spawns one oomlab process at once instead of crowding
/// out other suites' time limits.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct WatchCommandTests {
  /// The keys docs/watch.md lists for a sample.
  static let documentedKeys: Set = [
    "sample", "time", "source", "memFreeKB", "memAvailableKB", "swapFreeKB", "zones",
    "topGrowers", "trend", "predictions",
  ]

  func run(_ arguments: String...) async throws -> OOMLabProcess.Result {
    try await Self.watch(arguments)
  }

  /// Runs `oomlab watch arguments…` on a thread of its own: a live watch sleeps between
  /// samples, and waiting on a cooperative-pool thread (two on this machine) would hold back
  /// every other suite meanwhile.
  static func watch(_ arguments: [String]) async throws -> OOMLabProcess.Result {
    try await withCheckedThrowingContinuation { continuation in
      Thread {
        continuation.resume(with: Result { try OOMLabProcess.run(["watch"] + arguments) })
      }.start()
    }
  }

  /// Each line of standard output parsed as a JSON object.
  func objects(_ result: OOMLabProcess.Result) throws -> [[String: Any]] {
    try result.stdout.split(separator: "\n").map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
  }

  /// A fresh empty folder, removed by `body`'s caller through the returned URL.
  func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "oomlab-watch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// The leak series' first `steps` captures in `folder`, named `<seconds>-leak`.
  func writeSeries(_ series: LeakSeries, steps: Int, to folder: URL) throws {
    for step in 0..<steps {
      let name = "\(Int(series.time(ofStep: step)))-leak"
      try series.write(step: step, to: folder.appendingPathComponent(name))
    }
  }

  @Test func samplesTheLiveProcThreeTimesOneSecondApart() async throws {
    let result = try await run("--samples", "3", "--interval", "1", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let samples = try objects(result)
    #expect(samples.count == 3)
    #expect(samples.map { $0["sample"] as? Int } == [1, 2, 3])
    let times = samples.compactMap { $0["time"] as? Double }
    #expect(times.count == 3)
    for (earlier, later) in zip(times, times.dropFirst()) {
      #expect((0.8...2.5).contains(later - earlier), "times \(times)")
    }
    #expect(samples.allSatisfy { ($0["memFreeKB"] as? Int ?? 0) > 0 })
    #expect(samples.allSatisfy { !(($0["zones"] as? [Any]) ?? []).isEmpty })
    #expect(samples[0]["predictions"] is NSNull)
    let oom = (samples[2]["predictions"] as? [String: Any])?["oomKill"] as? [String: Any]
    #expect(oom?["measure"] as? String == "MemAvailable+SwapFree")
  }

  @Test func liveTextFitsOneHundredColumns() async throws {
    let result = try await run("--samples", "2", "--interval", "1")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("sample 2 at "))
    #expect(result.stdout.contains("linear fit over 2 samples"))
    for line in result.stdout.split(separator: "\n") {
      #expect(line.count <= 100, "\(line)")
    }
  }

  @Test func replaysAFolderOfCapturesInTimeOrderWithoutSleeping() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let series = LeakSeries()
    try writeSeries(series, steps: 12, to: folder)
    let started = Date()
    let result = try await run("--proc", folder.path, "--json", "--interval", "60")
    #expect(Date().timeIntervalSince(started) < 30)
    #expect(result.status == 0, "\(result.stderr)")
    let samples = try objects(result)
    // docs/watch.md: every key in every sample, null when unknown.
    for sample in samples { #expect(Set(sample.keys) == Self.documentedKeys) }
    // Names sort 0, 10, 100, 110, 20, …: the times put them in order.
    #expect(samples.compactMap { $0["time"] as? Double } == (0..<12).map { Double($0) * 10 })
    let predictions = try #require(samples.last?["predictions"] as? [String: Any])
    let oom = try #require(predictions["oomKill"] as? [String: Any])
    let predicted = try #require(oom["inSeconds"] as? Double)
    let truth = try series.oomTime() - series.time(ofStep: 11)
    #expect(abs(predicted - truth) <= truth / 10, "predicted \(predicted) s, truth \(truth) s")
    let victim = try #require(predictions["oomVictim"] as? [String: Any])
    #expect(victim["pid"] as? Int == LeakSeries.leakerPID)
    #expect(victim["comm"] as? String == "holder0")

    let text = try await run("--proc", folder.path, "--samples", "3")
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("sample 3 at 20.0 s"))
    #expect(text.stdout.contains("then the OOM killer picks 249 (holder0)"))
    #expect(!text.stdout.contains("sample 4"))
  }

  @Test func capturesGivenOneByOneAreOrderedByTheirUptime() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let series = LeakSeries()
    for (step, name, uptime) in [(0, "b", "100.00 90.00\n"), (1, "a", "110.50 99.00\n")] {
      let capture = folder.appendingPathComponent(name)
      try series.write(step: step, to: capture)
      try uptime.write(
        to: capture.appendingPathComponent("uptime"), atomically: true, encoding: .utf8)
    }
    let result = try await run(
      "--proc", folder.appendingPathComponent("a").path, "--proc",
      folder.appendingPathComponent("b").path, "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let samples = try objects(result)
    #expect(samples.map { $0["time"] as? Double } == [100, 110.5])
    #expect((samples.first?["source"] as? String)?.hasSuffix("/b") == true)
  }

  @Test func aCaptureWithoutMeminfoShrinksItsSample() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeSeries(LeakSeries(), steps: 3, to: folder)
    try FileManager.default.removeItem(at: folder.appendingPathComponent("10-leak/meminfo"))
    try FileManager.default.removeItem(at: folder.appendingPathComponent("20-leak/buddyinfo"))
    let result = try await run("--proc", folder.path, "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let samples = try objects(result)
    #expect(samples.count == 3)
    #expect(samples[1]["memFreeKB"] is NSNull)
    #expect(!((samples[1]["zones"] as? [Any]) ?? []).isEmpty)
    let largest = { (sample: [String: Any]) in
      ((sample["zones"] as? [[String: Any]]) ?? []).map { $0["largestFreeOrder"] as? Int }
    }
    #expect(largest(samples[0]) == [10, 10])
    #expect(largest(samples[2]) == [nil, nil])
    // Without buddyinfo (or pagetypeinfo) the free lists are unknown, and so is the highest
    // order.
    let highest = { (sample: [String: Any]) in
      ((sample["zones"] as? [[String: Any]]) ?? []).map { $0["highestOrder"] as? [String: Int] }
    }
    #expect(highest(samples[0]).allSatisfy { $0 == ["GFP_KERNEL": 10, "GFP_ATOMIC": 10] })
    #expect(highest(samples[2]) == [nil, nil])
    // The two samples with meminfo still give a trend.
    #expect((samples[2]["trend"] as? [String: Any])?["samples"] as? Int == 2)
  }

  /// On one ground-truth capture, each zone's `highestOrder` is `oomlab inspect --json`'s for
  /// GFP_KERNEL and GFP_ATOMIC, and the text shows it beside the largest free block.
  @Test(arguments: [
    "watermarks/m6G-thp-default/00-as-booted/proc",
    "alloc-failure/m512M/A-order10-atomic/held/proc",
  ])
  func highestOrderIsInspects(step: String) async throws {
    let proc = Fixtures.groundTruth.appendingPathComponent(step).path
    let watched = try await run("--proc", proc, "--samples", "1", "--json")
    #expect(watched.status == 0, "\(watched.stderr)")
    let zones = try #require(try objects(watched).first?["zones"] as? [[String: Any]])
    let inspect = try OOMLabProcess.run(["inspect", "--proc", proc, "--json"])
    #expect(inspect.status == 0, "\(inspect.stderr)")
    let inspected = try #require(
      try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
    let expected = try #require(inspected["zones"] as? [[String: Any]])
    #expect(!zones.isEmpty)
    for zone in zones {
      let name = try #require(zone["zone"] as? String)
      let orders = try #require(zone["highestOrder"] as? [String: Int])
      #expect(Set(orders.keys) == ["GFP_KERNEL", "GFP_ATOMIC"])
      let same = try #require(
        expected.first {
          $0["zone"] as? String == name && $0["node"] as? Int == zone["node"] as? Int
        })
      let all = try #require(same["highestOrder"] as? [String: Int])
      #expect(orders == all.filter { orders.keys.contains($0.key) }, "\(name)")
    }
    let text = try await run("--proc", proc, "--samples", "1")
    #expect(text.stdout.contains("largest free  grants GFP_KERNEL / GFP_ATOMIC"), "\(text.stdout)")
  }

  @Test func aBrokenMeminfoNamesItsFileAndLine() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeSeries(LeakSeries(), steps: 2, to: folder)
    let meminfo = folder.appendingPathComponent("10-leak/meminfo")
    try "MemTotal:  431552 kB\nMemFree:   lots kB\n".write(
      to: meminfo, atomically: true, encoding: .utf8)
    let result = try await run("--proc", folder.path)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("oomlab: \(meminfo.path):2:"), "\(result.stderr)")
  }

  @Test func aCaptureWithoutATimeIsAnError() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try LeakSeries().write(step: 0, to: folder.appendingPathComponent("leak"))
    let result = try await run("--proc", folder.path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("/leak: no time"), "\(result.stderr)")
  }

  @Test func capturesOnDifferentClocksAreAnError() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeSeries(LeakSeries(), steps: 2, to: folder)
    try "5.00 1.00\n".write(
      to: folder.appendingPathComponent("10-leak/uptime"), atomically: true, encoding: .utf8)
    let result = try await run("--proc", folder.path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("captures mix clocks"), "\(result.stderr)")
  }

  @Test func aFolderWithoutCapturesIsAnError() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try await run("--proc", folder.path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("no captures in it"), "\(result.stderr)")
  }

  @Test(arguments: [
    ["--window", "1"], ["--interval", "0"], ["--interval", "1e300"], ["--samples", "0"],
  ])
  func badOptionsAreRejected(options: [String]) async throws {
    let result = try await Self.watch(options)
    #expect(result.status == 64, "\(result.stderr)")
  }
}
