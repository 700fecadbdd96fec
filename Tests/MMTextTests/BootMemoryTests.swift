import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing
import _MMUtilities

struct BootMemoryTests {
  @Test func everyGroundTruthBootFreesTheSameLatePages() throws {
    let logs = Fixtures.files(under: "ground-truth").filter { $0.lastPathComponent == "dmesg.txt" }
    #expect(logs.count == 15)
    for log in logs {
      let memory = BootMemory(parsingLog: try Fixtures.text(of: log))
      let path = Fixtures.relativePath(log)
      if path.contains("/cma-arm64/") {
        #expect(memory.lateFrees.map(\.area) == ["initrd", "unused kernel"], "\(path)")
        #expect(memory.lateFrees.map(\.kilobytes) == [2784, 6464], "\(path)")
        #expect(memory.lateFreedKilobytes == 9248, "\(path)")
      } else {
        #expect(
          memory.lateFrees.map(\.area) == [
            "initrd", "unused decrypted", "unused kernel image (initmem)",
            "unused kernel image (text/rodata gap)", "unused kernel image (rodata/data gap)",
          ], "\(path)")
        #expect(memory.lateFreedKilobytes == 10780, "\(path)")
      }
    }
  }

  @Test func readsTheZoneAndNodeRanges() throws {
    let log = Fixtures.root.appendingPathComponent("ground-truth/watermarks/m256M/dmesg.txt")
    let memory = BootMemory(parsingLog: try Fixtures.text(of: log))
    #expect(
      memory.zoneRanges == [
        BootMemory.ZoneRange(zone: "DMA", addresses: 0x1000...0xff_ffff),
        BootMemory.ZoneRange(zone: "DMA32", addresses: 0x100_0000...0xffd_ffff),
        BootMemory.ZoneRange(zone: "Normal", addresses: nil),
        BootMemory.ZoneRange(zone: "Device", addresses: nil),
      ])
    #expect(memory.movableZoneStarts.isEmpty)
    #expect(
      memory.nodeRanges == [
        BootMemory.NodeRange(node: 0, addresses: 0x1000...0x9_efff),
        BootMemory.NodeRange(node: 0, addresses: 0x10_0000...0xffd_ffff),
      ])
    #expect(
      memory.lateFrees.first == BootMemory.LateFree(area: "initrd", kilobytes: 2772, line: 294))
  }

  /// syslog and journalctl captures carry their own prefixes before the kernel's.
  @Test func readsSyslogAndJournalLines() {
    let memory = BootMemory(
      parsingLog: """
        Nov 29 10:00:01 board kernel: [    0.100000] Zone ranges:
        Nov 29 10:00:01 board kernel: [    0.100000]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]
        Nov 29 10:00:02 board kernel: Freeing initrd memory: 2772K
        """)
    #expect(memory.zoneRanges.map(\.zone) == ["DMA"])
    #expect(memory.lateFrees == [BootMemory.LateFree(area: "initrd", kilobytes: 2772, line: 3)])
  }

  @Test func readsLinesWithoutTimestampsAndMovableStarts() {
    let memory = BootMemory(
      parsingLog: """
        <6>Zone ranges:
          DMA32    [mem 0x0000000001000000-0x00000000ffffffff]
          Normal   [mem 0x0000000100000000-0x000000023fffffff]
        Movable zone start for each node
          Node 0: 0x0000000200000000
          Node 1: 0x0000000220000000
        Early memory node ranges
          node   1: [mem 0x0000000100000000-0x000000023fffffff]
        Freeing SMP alternatives memory: 36K
        [ 1.5] Freeing initrd memory: 100K
        Freeing unused kernel memory: 6464K trailing
        """)
    #expect(memory.zoneRanges.map(\.zone) == ["DMA32", "Normal"])
    #expect(
      memory.movableZoneStarts == [
        BootMemory.MovableZoneStart(node: 0, address: 0x2_0000_0000),
        BootMemory.MovableZoneStart(node: 1, address: 0x2_2000_0000),
      ])
    #expect(
      memory.nodeRanges == [BootMemory.NodeRange(node: 1, addresses: 0x1_0000_0000...0x2_3fff_ffff)]
    )
    #expect(memory.lateFrees == [BootMemory.LateFree(area: "initrd", kilobytes: 100, line: 10)])
  }

  @Test(arguments: 0..<20 as Range<UInt64>)
  func garbageNeverCrashes(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    let pieces = [
      "Freeing ", "initrd", " memory: ", "99999999999999999999999", "K", "\n", "Zone ranges:\n",
      "  DMA ", "[mem 0x", "ffffffffffffffffffff", "-0x", "]", "  node ", "  Node ", ": ", "[",
      "<", ">", " ", "0", "\u{0}", "é",
    ]
    let log = (0..<400).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    _ = BootMemory(parsingLog: log)
  }
}
