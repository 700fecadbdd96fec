import Foundation
import MMCore
import MMDiagnose
import MMSim
import MMText
import Testing

/// What `oomlab run` writes: the kernel log reads back through the same scanner as a real log.
@Suite(.timeLimit(.minutes(2)))
struct ScenarioOutputTests {
  /// A 256 MiB 6.1 machine without swap where a hog grows until the OOM killer kills it, and a
  /// GFP_NOWAIT order-3 request fails once memory is short.
  static func scenario() throws -> Scenario {
    Scenario(
      name: "hog", kernel: "6.1.0",
      machine: MachineSpec(ram: try MemorySize(parsing: "256 MiB")),
      tasks: [TaskSpec(pid: 300, comm: "sshd", oomScoreAdj: -1000)],
      timeline: [
        EventSpec(at: try VirtualDuration(parsing: "1 s"), start: TaskSpec(pid: 400, comm: "hog")),
        EventSpec(
          at: try VirtualDuration(parsing: "2 s"), every: try VirtualDuration(parsing: "100 ms"),
          count: 40,
          touch: TouchSpec(pid: 400, size: try MemorySize(parsing: "8 MiB"))),
        EventSpec(
          at: try VirtualDuration(parsing: "5 s"),
          allocate: AllocateSpec(order: 3, gfp: "GFP_NOWAIT", count: 5000, use: "kernel")),
        EventSpec(at: try VirtualDuration(parsing: "8 s"), snapshot: "late"),
      ])
  }

  @Test func theKernelLogParsesBackIntoTheRecordsReports() throws {
    let record = try Self.scenario().play()
    let log = record.kernelLog
    #expect(
      log.split(separator: "\n").allSatisfy { $0.hasPrefix("[") && $0.dropFirst(14).first == " " })
    let ooms = OOMReport.findAll(in: log)
    let recorded = record.log.compactMap { entry -> OOMReport? in
      if case .oom(let report) = entry.report { return report }
      return nil
    }
    #expect(!recorded.isEmpty)
    #expect(ooms.map(\.report.withoutSourceLines) == recorded)
    let kills = record.events.filter { $0.kind == .oomKill }
    #expect(kills.first?.pid == 400)
    #expect(record.summary.contains("The OOM killer ran \(kills.count) time"))
    #expect(record.eventsJSONLines.split(separator: "\n").count == record.events.count)
    let endSeconds = Double(record.endNanoseconds) / 1e9
    let end = "proc/" + String(format: "%.6f", endSeconds) + "-end/meminfo"
    #expect(record.snapshotFiles[end]?.hasPrefix("MemTotal:") == true, "\(end)")
    #expect(record.snapshotFiles["proc/8.000000-late/meminfo"] != nil)
    // One sample per virtual second from 0 to the end; the hog's RSS grows, then it is killed.
    let csv = record.timelineCSV.split(separator: "\n")
    #expect(csv.first?.hasPrefix("time_s,DMA_free,DMA_min,DMA_low,DMA_high,DMA32_free") == true)
    #expect(
      csv.first?.hasSuffix("MemFree_kB,MemAvailable_kB,Committed_AS_kB,rss_300,rss_400") == true)
    #expect(record.samples.count == Int(record.endNanoseconds / 1_000_000_000) + 1)
    #expect(csv.count == record.samples.count + 1)
    let hog = record.samples.map { $0.rss[400] ?? -1 }
    #expect(hog.first == 0 && hog.contains { $0 > 10_000 })
    let killedAt = try #require(kills.first?.nanoseconds)
    let after = record.samples.filter { $0.nanoseconds > killedAt }
    #expect(after.count >= 2 && after.allSatisfy { $0.rss[400] == 0 })
    #expect(record.snapshots.map(\.label) == ["late", "end"])
  }
}
