import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// The `zones` of a report: every zone line with its free-block line, in log order, with the
/// numbers as printed.
struct ExplainZonesTests {
  static let corpus: [URL] = Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }

  static func explain(_ path: String) throws -> [ReportExplanation] {
    let text = try Fixtures.text(of: Fixtures.root.appendingPathComponent(path))
    return ReportExplanation.explainAll(in: text, file: path)
  }

  /// The seed's one zone: line 33's watermarks and free CMA, line 35's eleven orders with
  /// their letters and `= 248344kB`.
  @Test func seedZoneIsAsPrinted() throws {
    let report = try #require(
      try Self.explain("corpus/exact/seed-csky-4.9.56-order10-atomic.log").first)
    let zones = try #require(report.zones)
    #expect(zones.count == 1)
    let zone = try #require(zones.first)
    #expect(zone.node == nil)
    #expect(zone.zone == "Normal")
    #expect(zone.freeKB == 248344 && zone.minKB == 2444 && zone.lowKB == 3052)
    #expect(zone.highKB == 3660 && zone.freeCmaKB == 240936)
    #expect(zone.freeAreas?.map(\.count) == [4, 3, 3, 2, 2, 2, 2, 1, 3, 3, 58])
    #expect(
      zone.freeAreas?.map(\.types)
        == ["UEC", "EC", "UEC", "UE", "UE", "UE", "EC", "E", "UEC", "UEC", "C"])
    #expect(zone.freeAreas?.map(\.order) == Array(0...10))
    #expect(zone.totalKB == 248344)
  }

  /// RHEL 7's four zones on two nodes, in print order; an order printed with a zero count has
  /// no letters, and the JSON says `null` for them.
  @Test func numaZonesInLogOrderWithNullTypes() throws {
    let report = try #require(try Self.explain("corpus/exact/oomanalyser-rhel7.log").first)
    let zones = try #require(report.zones)
    #expect(zones.map(\.node) == [0, 0, 0, 1])
    #expect(zones.map(\.zone) == ["DMA", "DMA32", "Normal", "Normal"])
    #expect(zones.map(\.freeKB) == [15872, 59728, 36692, 49436])
    #expect(zones.map(\.minKB) == [40, 7832, 36784, 45444])
    #expect(zones.map(\.totalKB) == [15872, 63668, 38260, 50836])
    #expect(zones.map(\.freeCmaKB) == [0, 0, 0, 0])
    #expect(zones.first?.freeAreas?.first?.types == nil)
    #expect(zones.first?.freeAreas?[4].types == "U")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(zones.first), as: UTF8.self)
    #expect(json.hasPrefix(#"{"freeAreas":[{"count":0,"order":0,"types":null},"#))
    #expect(json.contains(#"{"count":2,"order":4,"types":"U"}"#))
    #expect(
      json.contains(#""highKB":60,"lowKB":48,"minKB":40,"node":0,"totalKB":15872,"zone":"DMA"}"#))
  }

  /// A report without zone lines (a memcg OOM) has no `zones`.
  @Test func memcgReportHasNoZones() throws {
    let report = try #require(try Self.explain("corpus/posted/028-memcg-4.18.0-x86_64.log").first)
    #expect(report.zones == nil)
  }

  /// In every corpus report, the zones are the block's zone lines in print order with the
  /// values `ShowMem.findAll` reads, each free-block line joined to its zone by node and name,
  /// and every joined total the sum of its terms. (025's block lost its `Mem-Info:` line, so
  /// `findAll` has none to compare with.)
  @Test(arguments: corpus)
  func zonesMatchTheBlocksOfTheLog(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let text = try Fixtures.text(of: file)
    let blocks = ShowMem.findAll(in: text, file: name)
    for report in ReportExplanation.explainAll(in: text, file: name) {
      guard let zones = report.zones else { continue }
      guard
        let block = blocks.first(where: {
          (report.line...report.lastLine).contains($0.lines.lowerBound)
        })?.showMem
      else {
        #expect(name.hasPrefix("corpus/posted/025-"), "\(name) line \(report.line)")
        continue
      }
      let states = block.zones
      #expect(Array(zones.prefix(states.count).map(\.zone)) == states.map(\.zone), "\(name)")
      for (zone, state) in zip(zones, states) {
        #expect(zone.node == state.node && zone.freeKB == state["free"], "\(name)")
        #expect(zone.minKB == state["min"] && zone.highKB == state["high"], "\(name)")
        let area = block.freeAreas.first { $0.node == state.node && $0.zone == state.zone }
        #expect(zone.freeAreas?.map(\.count) == area?.orders.map(\.count), "\(name)")
        #expect(zone.totalKB == area?.totalKilobytes, "\(name)")
        if let area { #expect(area.termsKilobytes == area.totalKilobytes, "\(name) \(zone.zone)") }
      }
    }
  }
}
