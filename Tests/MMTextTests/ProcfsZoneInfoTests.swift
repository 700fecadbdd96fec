import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

struct ProcfsZoneInfoTests {
  static let asBooted256M = "ground-truth/watermarks/m256M/00-as-booted/proc/zoneinfo"

  static func fixtureText(_ path: String) throws -> String {
    try Fixtures.text(of: Fixtures.root.appendingPathComponent(path))
  }

  @Test func readsTheAsBootedZones() throws {
    let info = try ZoneInfo(parsing: Self.fixtureText(Self.asBooted256M))
    #expect(info.entries.map(\.zone) == ["DMA", "DMA32", "Normal", "Movable", "Device"])
    let dma = try #require(info.entry(zone: "DMA"))
    #expect((dma.free, dma.boost, dma.min, dma.low, dma.high) == (3808, 0, 37, 46, 55))
    #expect((dma.spanned, dma.present, dma.managed, dma.cma) == (4095, 3998, 3840, 0))
    #expect(dma.promo == nil)
    #expect(dma.protection == [0, 154, 154, 154, 154])
    #expect(dma.watermarks == ZoneWatermarks(min: 37, low: 46, high: 55))
    #expect(dma.nodeStats?.first == NamedValue(name: "nr_inactive_anon", value: 1235))
    #expect(dma.nodeStats?.value(named: "nr_kernel_stack") == 736)
    let details = try #require(dma.details)
    #expect(details.stats.first == NamedValue(name: "nr_free_pages", value: 3808))
    #expect(details.stats.last?.name == "nr_free_cma")
    #expect(details.numaStats.map(\.name).first == "numa_hit")
    #expect(details.numaStats.count == 6)
    #expect(
      details.pagesets == [ZoneInfo.Pageset(cpu: 0, count: 0, high: 46, batch: 1, statThreshold: 2)]
    )
    #expect(!details.nodeUnreclaimable)
    #expect(details.startPFN == 1)

    let dma32 = try #require(info.entry(zone: "DMA32"))
    #expect(dma32.managed == 39632)
    #expect((dma32.min, dma32.low, dma32.high) == (365, 456, 547))
    #expect(dma32.nodeStats == nil)
    #expect(dma32.details?.startPFN == 4096)

    let normal = try #require(info.entry(zone: "Normal"))
    #expect(!normal.isPopulated)
    #expect(normal.protection == [0, 0, 0, 0, 0])
  }

  @Test func readsTheArm64CMAZone() throws {
    let info = try ZoneInfo(
      parsing: Self.fixtureText("ground-truth/cma-arm64/movable-cma256M/01-near-oom/proc/zoneinfo"))
    #expect(info.entries.map(\.zone) == ["DMA", "DMA32", "Normal", "Movable"])
    let dma = try #require(info.entry(zone: "DMA"))
    #expect(dma.cma == 65536)
    #expect(dma.managed == 241025)
    #expect(dma.protection == [0, 0, 0, 0])
    #expect(dma.details?.stats.value(named: "nr_free_cma") == 7363)
  }

  @Test func rendersPromoBoostAndSeveralCPUs() throws {
    let entry = ZoneInfo.Entry(
      node: 1, zone: "Normal",
      nodeStats: [NamedValue(name: "nr_anon_transparent_hugepages", value: 3)],
      free: 900, boost: 1404, min: 2028, low: 2184, high: 2340, promo: 2496, spanned: 4096,
      present: 4096, managed: 4000, protection: [0, 0, -1],
      details: ZoneInfo.Details(
        stats: [NamedValue(name: "nr_free_pages", value: 900)],
        pagesets: [
          ZoneInfo.Pageset(cpu: 0, count: 5, high: 46, batch: 1, statThreshold: 2),
          ZoneInfo.Pageset(cpu: 3, count: 0, high: 46, batch: 1),
        ], nodeUnreclaimable: true, startPFN: 1_048_576))
    let info = ZoneInfo(entries: [entry])
    let text = info.render()
    #expect(
      text == """
        Node 1, zone   Normal
          per-node stats
              nr_anon_transparent_hugepages 3
          pages free     900
                boost    1404
                min      2028
                low      2184
                high     2340
                promo    2496
                spanned  4096
                present  4096
                managed  4000
                protection: (0, 0, -1)
              nr_free_pages 900
          pagesets
            cpu: 0
                      count: 5
                      high:  46
                      batch: 1
          vm stats threshold: 2
            cpu: 3
                      count: 0
                      high:  46
                      batch: 1
          node_unreclaimable:  1
          start_pfn:           1048576

        """)
    #expect(try ZoneInfo(parsing: text) == info)
    #expect(
      entry.watermarks == ZoneWatermarks(min: 624, low: 780, high: 936, promo: 1092, boost: 1404))
  }

  @Test func truncatedFileThrowsAtTheMissingLine() throws {
    let lines = try Fixtures.lines(of: Fixtures.root.appendingPathComponent(Self.asBooted256M))
    // Up to and including `Node 0, zone    DMA32`: its `pages free` line is missing.
    let truncated = lines.prefix(81).joined(separator: "\n") + "\n"
    #expect(
      throws: TextParseError(
        file: "zoneinfo", line: 82, column: 1,
        reason: "unexpected end of file, expected 'pages free'")
    ) { try ZoneInfo(parsing: truncated) }
  }

  @Test func garbageThrowsAtItsLineAndColumn() throws {
    var lines = try Fixtures.lines(of: Fixtures.root.appendingPathComponent(Self.asBooted256M))
    #expect(lines[83] == "        min      365")
    lines[83] = "        min      x365"
    #expect(
      throws: TextParseError(
        file: "proc/zoneinfo", line: 84, column: 18, reason: "expected a number")
    ) { try ZoneInfo(parsing: lines.joined(separator: "\n"), file: "proc/zoneinfo") }
    #expect(
      throws: TextParseError(file: "zoneinfo", line: 1, column: 1, reason: "expected 'Node'")
    ) { try ZoneInfo(parsing: "\u{1}\u{2}garbage\n") }
  }

  @Test func errorDescriptionNamesFileLineAndColumn() {
    let error = TextParseError(
      file: "zoneinfo", line: 12, column: 5, reason: "expected 'pages free'")
    #expect(error.description == "zoneinfo:12:5: expected 'pages free'")
  }
}
