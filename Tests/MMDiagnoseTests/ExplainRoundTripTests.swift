import Foundation
import MMCore
import MMDiagnose
import MMSim
import MMTestSupport
import Testing

/// Round trip: the kernel log `oomlab run` writes for each bundled scenario explains to what
/// the simulator itself recorded — the report values it rendered and the events it logged —
/// not to the text read back.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ExplainRoundTripTests {
  /// The bundled scenarios' names, sorted.
  static let names: [String] = {
    let files = try? FileManager.default.contentsOfDirectory(
      atPath: Fixtures.bundledScenarios.path)
    return (files ?? []).filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  /// The bundled scenario `name`, played, and its kernel log explained.
  static func play(_ name: String) throws -> (ScenarioRecord, [ReportExplanation]) {
    let file = Fixtures.bundledScenarios.appendingPathComponent(name + ".yaml")
    let record = try Scenario(yaml: try Fixtures.text(of: file), file: name + ".yaml").play()
    return (record, ReportExplanation.explainAll(in: record.kernelLog, file: name))
  }

  /// `0x…` as the explanation spells a mask.
  static func hex(_ mask: UInt64?) -> String? { mask.map { "0x" + String($0, radix: 16) } }

  /// The explained zones equal the simulator's `Mem-Info:` block: zone lines in order, each
  /// with free/min/low/high, its free-block counts and total.
  static func expectZones(
    _ zones: [ReportExplanation.Zone]?, equal block: ShowMem?, _ where: String
  ) {
    guard let block else {
      #expect(zones == nil, "\(`where`)")
      return
    }
    let states = block.zones
    #expect(zones?.count == states.count, "\(`where`)")
    for (zone, state) in zip(zones ?? [], states) {
      #expect(zone.node == state.node && zone.zone == state.zone, "\(`where`)")
      #expect(zone.freeKB == state["free"] && zone.minKB == state["min"], "\(`where`)")
      #expect(zone.lowKB == state["low"] && zone.highKB == state["high"], "\(`where`)")
      let area = block.freeAreas.first { $0.node == state.node && $0.zone == state.zone }
      #expect(zone.freeAreas?.map(\.count) == area?.orders.map(\.count), "\(`where`)")
      #expect(zone.totalKB == area?.totalKilobytes, "\(`where`)")
    }
  }

  /// The scenarios whose logs hold reports, and how many (the others fail nothing, or only
  /// silently: `__GFP_NOWARN`, overcommit refusals).
  static let reportCounts: [String: Int] = [
    "container-memcg-oom": 1, "desktop-oom-score-adj": 1, "seed-cma-leak": 1,
  ]

  @Test(arguments: names)
  func simulatedLogExplainsToTheSimulatorsTruth(_ name: String) throws {
    let (record, explained) = try Self.play(name)
    #expect(explained.count == Self.reportCounts[name] ?? 0, "\(name)")
    Self.expectTruth(of: record, explained, name)
  }

  /// ScenarioOutputTests' hog on a 256 MiB 6.1 machine: GFP_NOWAIT order-3 failures and
  /// global OOM kills in one log.
  @Test func hogScenarioExplainsToTheSimulatorsTruth() throws {
    let record = try ScenarioOutputTests.scenario().play()
    let explained = ReportExplanation.explainAll(in: record.kernelLog, file: "hog")
    #expect(Set(explained.map(\.kind)) == [.allocfail, .oom])
    Self.expectTruth(of: record, explained, "hog")
  }

  /// Each explained report equals the record's report it was rendered from (in log order) and
  /// the event logged at its time.
  static func expectTruth(
    of record: ScenarioRecord, _ explained: [ReportExplanation], _ name: String
  ) {
    #expect(explained.count == record.log.count, "\(name)")
    for (index, (explanation, entry)) in zip(explained, record.log).enumerated() {
      let at = "\(name) report \(index + 1)"
      let events = record.events.filter { $0.nanoseconds == entry.nanoseconds }
      switch entry.report {
      case .allocationFailure(let report, _):
        #expect(explanation.kind == .allocfail, "\(at)")
        #expect(explanation.task?.comm == report.header?.comm, "\(at)")
        #expect(explanation.task?.pid == report.task?.pid, "\(at)")
        #expect(explanation.order == report.header?.order, "\(at)")
        #expect(explanation.gfp?.mask == Self.hex(report.header?.gfpMask), "\(at)")
        let event = events.first {
          $0.kind == .allocationFailure && $0.pid == explanation.task?.pid
        }
        #expect(event != nil, "\(at): no allocation_failure event at its time")
        #expect(explanation.order == event?.order, "\(at)")
        #expect(explanation.gfp?.mask == event?.gfp, "\(at)")
        Self.expectZones(explanation.zones, equal: report.showMem, at)
      case .oom(let report):
        #expect(explanation.kind == (report.isMemcg ? .memcg : .oom), "\(at)")
        #expect(explanation.task?.comm == report.header?.comm, "\(at)")
        #expect(explanation.order == report.header?.order, "\(at)")
        #expect(explanation.gfp?.mask == Self.hex(report.header?.gfpMask), "\(at)")
        #expect(explanation.victim?.pid == report.killed?.pid, "\(at)")
        #expect(explanation.victim?.comm == report.killed?.comm, "\(at)")
        #expect(explanation.victim?.anonRssKB == report.killed?.anonRSSKilobytes, "\(at)")
        if let victim = explanation.victim {
          let kill = events.first { $0.kind == .oomKill && $0.pid == victim.pid }
          #expect(kill != nil, "\(at): no oom_kill event for pid \(victim.pid)")
          #expect(kill?.gfp == explanation.gfp?.mask, "\(at)")
        }
        Self.expectZones(explanation.zones, equal: report.showMem, at)
      }
    }
  }

  /// The seed scenario's GFP_ATOMIC order-10 failures explain as the seed's real report does:
  /// unusable CMA first.
  @Test func seedScenarioBlamesUnusableCMA() throws {
    let (_, explained) = try Self.play("seed-cma-leak")
    let failures = explained.filter { $0.kind == .allocfail }
    #expect(!failures.isEmpty)
    #expect(failures.first?.findings.first?.id == "cma-unusable")
    #expect(failures.first?.order == 10)
  }

  /// The container scenario's OOM kills are the memcg's limit, not the machine's.
  @Test func containerScenarioBlamesTheMemcgLimit() throws {
    let (record, explained) = try Self.play("container-memcg-oom")
    let memcg = explained.filter { $0.kind == .memcg }
    #expect(!memcg.isEmpty)
    #expect(memcg.allSatisfy { $0.findings.first?.id == "memcg-limit" })
    #expect(memcg.count == record.events.filter { $0.kind == .oomKill }.count)
  }
}
