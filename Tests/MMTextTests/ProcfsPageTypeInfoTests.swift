import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing
import _MMUtilities

struct ProcfsPageTypeInfoTests {
  static func fixture(_ path: String) throws -> PageTypeInfo {
    let file = Fixtures.root.appendingPathComponent("ground-truth/\(path)/proc/pagetypeinfo")
    return try PageTypeInfo(parsing: Fixtures.text(of: file))
  }

  @Test func readsTheX86Layout() throws {
    let info = try Self.fixture("watermarks/m256M/00-as-booted")
    #expect(info.pageblockOrder == 9)
    #expect(info.pagesPerBlock == 512)
    #expect(info.freeRows.count == 10)
    #expect(
      info.freeRows[0]
        == PageTypeInfo.FreeRow(
          node: 0, zone: "DMA", type: "Unmovable", counts: [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]))
    #expect(info.freeRows[6].counts == [4, 4, 5, 4, 5, 5, 5, 6, 5, 0, 27])
    #expect(
      info.blockTypeNames == ["Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"])
    #expect(info.blockMigrateTypes == [.unmovable, .movable, .reclaimable, .highAtomic, .isolate])
    #expect(
      info.blockRows == [
        PageTypeInfo.BlockRow(node: 0, zone: "DMA", counts: [1, 7, 0, 0, 0]),
        PageTypeInfo.BlockRow(node: 0, zone: "DMA32", counts: [8, 106, 6, 0, 0]),
      ])
  }

  @Test func readsTheCMAColumn() throws {
    let info = try Self.fixture("cma-arm64/movable-cma256M/01-near-oom")
    #expect(info.freeRows.map(\.migrateType)[4] == .cma)
    #expect(info.freeRows[4].counts.last == 7)
    #expect(info.blockRows.map(\.counts) == [[40, 338, 6, 0, 128, 0]])
  }

  @Test func keepsCappedCounts() throws {
    let text = [
      "Page block order: 9",
      "Pages per block:  512",
      "",
      "Free pages count per migrate type at order       0      1 ",
      "Node    0, zone   Normal, type      Movable >100000  12345 ",
      "",
      "Number of blocks type     Unmovable      Movable ",
      "Node 0, zone   Normal            3         1021 ",
      "",
    ].joined(separator: "\n")
    let info = try PageTypeInfo(parsing: text)
    #expect(info.freeRows[0].counts == [100_000, 12345])
    #expect(info.freeRows[0].cappedOrders == [0])
    #expect(info.render() == text)
  }

  @Test func rendersOneSectionPerNode() throws {
    let info = PageTypeInfo(
      pageblockOrder: 10, pagesPerBlock: 1024,
      freeRows: [
        .init(node: 0, zone: "Normal", type: "Unmovable", counts: [1, 2]),
        .init(node: 1, zone: "Normal", type: "Unmovable", counts: [3, 4]),
      ],
      blockTypeNames: ["Unmovable"],
      blockRows: [
        .init(node: 0, zone: "Normal", counts: [5]), .init(node: 1, zone: "Normal", counts: [6]),
      ])
    let text = info.render()
    #expect(text.components(separatedBy: "Page block order: 10\n").count == 3)
    #expect(try PageTypeInfo(parsing: text) == info)
  }

  @Test(arguments: 0..<20 as Range<UInt64>)
  func renderThenParseIsIdentity(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    let orders = Int.random(in: 1...11, using: &random)
    let allTypes = ["Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate"]
    let types = allTypes.filter { _ in Bool.random(using: &random) }
    let zones = ["DMA", "DMA32", "Normal", "HighMem", "Movable"]
    var freeRows: [PageTypeInfo.FreeRow] = []
    var blockRows: [PageTypeInfo.BlockRow] = []
    for node in 0..<Int.random(in: 1...3, using: &random) {
      for zone in zones.prefix(Int.random(in: 1...zones.count, using: &random)) {
        for type in types {
          var row = PageTypeInfo.FreeRow(node: node, zone: zone, type: type, counts: [])
          for order in 0..<orders {
            if Int.random(in: 0..<8, using: &random) == 0 {
              row.counts.append(100_000)
              row.cappedOrders.insert(order)
            } else {
              row.counts.append(Int.random(in: 0..<100_000, using: &random))
            }
          }
          freeRows.append(row)
        }
        let counts = types.map { _ in Int.random(in: 0...5_000_000, using: &random) }
        blockRows.append(PageTypeInfo.BlockRow(node: node, zone: zone, counts: counts))
      }
    }
    let info = PageTypeInfo(
      pageblockOrder: Int.random(in: 0...13, using: &random),
      pagesPerBlock: Int.random(in: 1...8192, using: &random), freeRows: freeRows,
      blockTypeNames: types, blockRows: blockRows)
    #expect(try PageTypeInfo(parsing: info.render()) == info)
  }

  @Test func badInputThrowsWithItsPosition() throws {
    let file = Fixtures.root.appendingPathComponent(
      "ground-truth/watermarks/m256M/00-as-booted/proc/pagetypeinfo")
    let lines = try Fixtures.lines(of: file)
    // Cut after the free-count rows: the blank line and the block header are missing.
    let truncated = lines.prefix(14).joined(separator: "\n") + "\n"
    #expect(
      throws: TextParseError(
        file: "pagetypeinfo", line: 15, column: 1,
        reason: "unexpected end of file, expected end of line")
    ) { try PageTypeInfo(parsing: truncated) }
    // One count short in a free row.
    var short = lines
    short[5] = "Node    0, zone      DMA, type    Unmovable      0 "
    #expect(
      throws: TextParseError(
        file: "pagetypeinfo", line: 6, column: 52,
        reason: "unexpected end of line, expected a number")
    ) { try PageTypeInfo(parsing: short.joined(separator: "\n")) }
  }
}
