import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// Each line of a report's `Mem-Info:` block knows the log line it was read from.
struct DmesgShowMemLinesTests {
  @Test func seedBlockLinesMapToTheirLogLines() throws {
    let file = Fixtures.root.appendingPathComponent(
      "corpus/exact/seed-csky-4.9.56-order10-atomic.log")
    let found = try #require(AllocFailureReport.findAll(in: try Fixtures.text(of: file)).first)
    let block = try #require(found.report.showMem)
    #expect(found.showMemLines.count == block.lines.count)
    // Counters on 26–31, node 32, zone 33, lowmem_reserve 34, free areas 35, totals 36–40.
    #expect(found.showMemLines == [26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40])
    let zoneIndex = try #require(
      block.lines.firstIndex { if case .zone = $0 { true } else { false } })
    #expect(found.showMemLines[zoneIndex] == 33)
  }

  /// A free-block line split into `KERN_CONT` fragments on lines of their own is one block
  /// line, placed at its first log line.
  @Test func joinedLineTakesItsFirstLogLine() throws {
    let log = """
      [    1.000000] cat: page allocation failure: order:5, mode:0x40dc0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0
      [    1.000001] CPU: 0 PID: 7 Comm: cat Not tainted 5.10.2 #1
      [    1.000002] Mem-Info:
      [    1.000003] active_anon:1 inactive_anon:2 isolated_anon:0
      [    1.000004] Node 0 DMA32 free:4000kB min:100kB low:120kB high:140kB managed:8000kB free_cma:0kB
      [    1.000005] lowmem_reserve[]: 0 0 0 0
      [    1.000006] Node 0 DMA32: 2*4kB (U) 1*8kB (M)
      [    1.000007] 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 16kB
      [    1.000008] 2048 pages RAM
      """
    let found = try #require(AllocFailureReport.findAll(in: log).first)
    let block = try #require(found.report.showMem)
    let areaIndex = try #require(
      block.lines.firstIndex { if case .freeArea = $0 { true } else { false } })
    #expect(found.showMemLines[areaIndex] == 7)
    #expect(block.freeAreas.first?.totalKilobytes == 16)
    #expect(found.showMemLines.count == block.lines.count)
    #expect(found.showMemLines.last == 9)
  }
}
