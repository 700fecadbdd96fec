import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// `oomlab watch`'s trend and prediction over a synthetic leak built from a real 6.1 snapshot
/// (``LeakSeries``): the predicted time to OOM against the constructed one, and the victim.
@Suite(.timeLimit(.minutes(2)))
struct WatchLeakTests {
  /// The series' captures parsed as watch samples.
  static func samples(_ series: LeakSeries, steps: Int) throws -> [WatchSample] {
    try (0..<steps).map { step in
      let files = try series.files(step: step)
      var processes: [ProcessEntry] = []
      for pid in Set(files.keys.compactMap { $0.split(separator: "/").first.flatMap { Int($0) } }) {
        var own: [String: String] = [:]
        for (path, text) in files where path.hasPrefix("\(pid)/") {
          own[String(path.dropFirst("\(pid)/".count))] = text
        }
        processes.append(try ProcessEntry(pid: pid, parsing: own))
      }
      var sysVM: [String: String] = [:]
      for (path, text) in files where path.hasPrefix("sys/vm/") {
        sysVM[String(path.dropFirst("sys/vm/".count))] = text
      }
      return WatchSample(
        time: series.time(ofStep: step), source: "step \(step)",
        memInfo: try MemInfo(parsing: files["meminfo"] ?? ""),
        zoneInfo: try ZoneInfo(parsing: files["zoneinfo"] ?? ""),
        buddyInfo: try BuddyInfo(parsing: files["buddyinfo"] ?? ""), processes: processes,
        sysVM: try SysVM(parsing: sysVM),
        kernel: KernelVersion.find(inLogLine: files["version"] ?? ""))
    }
  }

  static func reports(_ series: LeakSeries, steps: Int, window: Int = 12) throws -> [WatchReport] {
    var watch = MemoryWatch(window: window)
    return try samples(series, steps: steps).map { watch.record($0) }
  }

  /// Leak rates (kB/s) with an interval that ends the 12 captures before the OOM.
  @Test(arguments: [(1024, 10.0), (300, 30), (4096, 2.5)])
  func predictsTheOOMWithinTenPercentAndTheLeakerAsVictim(rateKB: Int, interval: Double) throws {
    let series = LeakSeries(rateKB: rateKB, interval: interval)
    let steps = 12
    let reports = try Self.reports(series, steps: steps)
    // From the second sample on, the leaker is the predicted victim; at first it is not the
    // task the OOM killer would pick now.
    #expect(
      reports.dropFirst().allSatisfy { $0.predictions?.oomVictim?.pid == LeakSeries.leakerPID })
    #expect(reports[1].predictions?.oomVictimNow?.pid == LeakSeries.largestPID)
    let last = try #require(reports.last)
    let truth = try series.oomTime() - series.time(ofStep: steps - 1)
    try #require(truth > 0, "the series must end before its OOM")
    let predictions = try #require(last.predictions)
    let predicted = try #require(predictions.oomKill.inSeconds)
    #expect(abs(predicted - truth) <= truth / 10, "predicted \(predicted) s, truth \(truth) s")
    #expect(predictions.oomVictim?.pid == LeakSeries.leakerPID)
    #expect(predictions.oomDecision == "killVictim")
    #expect(last.topGrowers.first?.pid == LeakSeries.leakerPID)
    let growth = try #require(last.topGrowers.first?.rssKBPerSecond)
    #expect(abs(growth - Double(rateKB)) <= Double(rateKB) / 10)
    #expect(last.trend?.samples == steps)
    #expect(last.text.contains("linear fit over 12 samples"))
    #expect(last.text.contains("then the OOM killer picks 249 (holder0)"))
  }

  @Test(arguments: [
    ("panic_on_oom", "then the kernel panics (vm.panic_on_oom); without it:"),
    (
      "oom_kill_allocating_task",
      "then the allocating task dies (vm.oom_kill_allocating_task); if it cannot be killed:"
    ),
  ])
  func theOOMSysctlsAreSaidBeforeTheVictim(sysctl: String, line: String) throws {
    var samples = try Self.samples(LeakSeries(), steps: 3)
    for index in samples.indices {
      samples[index].sysVM = try SysVM(parsing: [sysctl: "1\n"])
    }
    var watch = MemoryWatch()
    let text = try #require(samples.map { watch.record($0) }.last?.text)
    #expect(text.contains(line + "\nthen the OOM killer picks 249 (holder0)"))
  }

  @Test func watermarkEventsComeBeforeTheOOM() throws {
    let last = try #require(try Self.reports(LeakSeries(), steps: 12).last?.predictions)
    let kswapd = try #require(last.kswapdWakes.inSeconds)
    let reclaim = try #require(last.directReclaim.inSeconds)
    let oom = try #require(last.oomKill.inSeconds)
    #expect(kswapd <= reclaim && reclaim <= oom)
    // Σ low and Σ min of DMA and DMA32 in the base zoneinfo, in kB.
    #expect(last.kswapdWakes.thresholdKB == (28 + 780) * 4)
    #expect(last.directReclaim.thresholdKB == (23 + 624) * 4)
  }

  @Test func aFlatSeriesPredictsNothing() throws {
    let reports = try Self.reports(LeakSeries(rateKB: 0, jitterKB: 0), steps: 6)
    let last = try #require(reports.last)
    let predictions = try #require(last.predictions)
    #expect(predictions.oomKill.inSeconds == nil)
    #expect(predictions.kswapdWakes.inSeconds == nil)
    #expect(predictions.directReclaim.inSeconds == nil)
    #expect(predictions.oomVictim == nil)
    #expect(last.topGrowers.isEmpty)
    #expect(last.text.contains("OOM killer (MemAvailable + SwapFree ≤ 0 kB): no exhaustion"))
  }

  @Test func growingMemoryPredictsNothing() throws {
    let reports = try Self.reports(LeakSeries(rateKB: -512, jitterKB: 0), steps: 4)
    #expect(reports.last?.predictions?.oomKill.inSeconds == nil)
    #expect((reports.last?.trend?.headroomKBPerSecond ?? 0) > 0)
  }

  @Test func theFirstSampleHasNoTrend() throws {
    let first = try #require(try Self.reports(LeakSeries(), steps: 1).first)
    #expect(first.trend == nil && first.predictions == nil)
    #expect(first.text.contains("trend: needs a second sample"))
    #expect(first.zones.map(\.zone) == ["DMA", "DMA32"])
    #expect(first.zones.map(\.largestFreeOrder) == [10, 10])
  }

  @Test func theWindowSlides() throws {
    let reports = try Self.reports(LeakSeries(), steps: 9, window: 4)
    #expect(reports.map { $0.trend?.samples ?? 1 } == [1, 2, 3, 4, 4, 4, 4, 4, 4])
    #expect(reports.last?.trend?.seconds == 30)
  }

  @Test func everyLineFitsOneHundredColumns() throws {
    for report in try Self.reports(LeakSeries(), steps: 12) {
      for line in report.text.split(separator: "\n") {
        #expect(line.count <= WatchReport.columns, "\(line)")
      }
    }
  }

  /// A big victim with a long name (a 400 GB task) breaks its line after the name rather than
  /// past 100 columns.
  @Test func aBigVictimsLineIsBrokenToFit() throws {
    var samples = try Self.samples(LeakSeries(), steps: 12)
    for index in samples.indices {
      let leaker = try #require(
        samples[index].processes.firstIndex { $0.pid == LeakSeries.leakerPID })
      samples[index].processes[leaker].comm = "abcdefghijklmno"
      samples[index].processes[leaker].status?.vmRSS? += 400_000_000
      samples[index].processes[leaker].status?.rssAnon? += 400_000_000
    }
    var watch = MemoryWatch()
    let text = try #require(samples.map { watch.record($0) }.last).text
    #expect(text.contains("then the OOM killer picks 249 (abcdefghijklmno):\n  badness 1000"))
    for line in text.split(separator: "\n") {
      #expect(line.count <= WatchReport.columns, "\(line)")
    }
  }

  @Test func withoutMemAvailableOnlyTheWatermarksArePredicted() throws {
    var samples = try Self.samples(LeakSeries(), steps: 6)
    for index in samples.indices {
      samples[index].memInfo?.fields.removeAll { $0.name == "MemAvailable" }
    }
    var watch = MemoryWatch()
    let last = try #require(samples.map { watch.record($0) }.last)
    let trend = try #require(last.trend)
    #expect(trend.samples == 6 && trend.memAvailableKBPerSecond == nil)
    let predictions = try #require(last.predictions)
    #expect(predictions.kswapdWakes.inSeconds != nil)
    #expect(predictions.oomKill.inSeconds == nil && predictions.oomVictim == nil)
    #expect(last.text.contains("MemAvailable -"))
  }

  @Test func aFarOffOOMWithAShrinkingTaskStillReports() throws {
    var samples = try Self.samples(LeakSeries(rateKB: 0, jitterKB: 0), steps: 2)
    samples[1].time = 1e15
    let available = try #require(
      samples[1].memInfo?.fields.firstIndex { $0.name == "MemAvailable" })
    samples[1].memInfo?.fields[available].value -= 1
    // Shrinking by 1e17 kB over 1e15 s for the 1.7e20 s to the OOM: far beyond Int's range.
    for (index, rss) in [(0, 100_000_000_000_000_100), (1, 100)] {
      let leaker = try #require(
        samples[index].processes.firstIndex { $0.pid == LeakSeries.leakerPID })
      samples[index].processes[leaker].status?.vmRSS = rss
    }
    var watch = MemoryWatch()
    let last = samples.map { watch.record($0) }[1]
    let oom = try #require(last.predictions?.oomKill.inSeconds)
    #expect(oom > 1e19)
    #expect(last.text.contains("OOM killer (MemAvailable + SwapFree ≤ 0 kB): in over 10000 d"))
    let victim = try #require(last.predictions?.oomVictim)
    #expect(victim.pid != LeakSeries.leakerPID)
    #expect(try JSONEncoder().encode(last).count > 0)
  }

  /// Damaged captures with counts near Int.max (MemAvailable + SwapFree, the zones' summed
  /// watermarks) do not trap: the sums wrap and every sample is still reported.
  @Test func hugeCountsDoNotTrap() throws {
    var samples = try Self.samples(LeakSeries(rateKB: 1024, jitterKB: 0), steps: 3)
    let huge = Int.max / 2
    for index in samples.indices {
      for name in ["MemAvailable", "SwapFree"] {
        let field = try #require(samples[index].memInfo?.fields.firstIndex { $0.name == name })
        samples[index].memInfo?.fields[field].value = Int.max - index
      }
      for entry in try #require(samples[index].zoneInfo?.entries.indices) {
        samples[index].zoneInfo?.entries[entry].low = huge
        samples[index].zoneInfo?.entries[entry].min = huge
      }
    }
    var watch = MemoryWatch()
    let reports = samples.map { watch.record($0) }
    #expect(reports.count == 3)
    #expect(reports[2].trend?.headroomKBPerSecond ?? 0 < 0)
    #expect(reports[2].predictions?.oomKill.thresholdKB == 0)
  }

  @Test func aLineFitsItsPointsExactly() throws {
    let fit = try #require(LinearFit([(0, 100), (10, 80), (20, 60)]))
    #expect(fit.slope == -2)
    #expect(fit.level == 60)
    #expect(fit.secondsUntilFalling(to: 0) == 30)
    #expect(LinearFit([(5, 1), (5, 2)]) == nil)
    #expect(LinearFit([(0, 1), (1, 2)])?.secondsUntilFalling(to: 0) == nil)
  }
}
