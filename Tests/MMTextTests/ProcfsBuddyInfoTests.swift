import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing
import _MMUtilities

struct ProcfsBuddyInfoTests {
  @Test func readsTheAsBootedFreeBlocks() throws {
    let file = Fixtures.root.appendingPathComponent(
      "ground-truth/watermarks/m256M/00-as-booted/proc/buddyinfo")
    let info = try BuddyInfo(parsing: Fixtures.text(of: file))
    #expect(
      info.rows == [
        BuddyInfo.Row(node: 0, zone: "DMA", freeBlocks: [0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 3]),
        BuddyInfo.Row(node: 0, zone: "DMA32", freeBlocks: [4, 6, 6, 6, 7, 6, 7, 6, 6, 1, 27]),
      ])
  }

  @Test func rendersTheKernelFormat() {
    let info = BuddyInfo(rows: [
      BuddyInfo.Row(node: 1, zone: "Normal", freeBlocks: [912, 1_234_567, 0])
    ])
    #expect(info.render() == "Node 1, zone   Normal    912 1234567      0 \n")
  }

  @Test(arguments: 0..<20 as Range<UInt64>)
  func renderThenParseIsIdentity(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    let orders = Int.random(in: 1...11, using: &random)
    let zones = ["DMA", "DMA32", "Normal", "HighMem", "Movable", "LongZoneName"]
    let rows = (0..<Int.random(in: 1...8, using: &random)).map { _ in
      BuddyInfo.Row(
        node: Int.random(in: 0...64, using: &random),
        zone: zones.randomElement(using: &random) ?? "DMA",
        freeBlocks: (0..<orders).map { _ in Int.random(in: 0...2_000_000, using: &random) })
    }
    let info = BuddyInfo(rows: rows)
    #expect(try BuddyInfo(parsing: info.render()) == info)
  }

  @Test(arguments: [
    ("", 1, 1, "empty file"),
    ("Node x, zone DMA 1 \n", 1, 6, "expected a number"),
    ("Node 0 zone DMA 1 \n", 1, 7, "expected ', zone'"),
    (
      "Node 0, zone      DMA 1 2 \nNode 0, zone DMA32 1 \n", 2, 22,
      "expected 2 free-block counts, found 1"
    ),
    ("Node 0, zone      DMA 1 2 \nNode 0, zone DMA32 1 x\n", 2, 22, "expected a number"),
    ("Node 0, zone      DMA      1      2 ", 1, 37, "unexpected end of file, expected end of line"),
    ("Node 0, zone DMA 99999999999999999999 \n", 1, 18, "number too large"),
  ])
  func badInputThrowsWithItsPosition(text: String, line: Int, column: Int, reason: String) {
    #expect(throws: TextParseError(file: "buddyinfo", line: line, column: column, reason: reason)) {
      try BuddyInfo(parsing: text)
    }
  }
}
