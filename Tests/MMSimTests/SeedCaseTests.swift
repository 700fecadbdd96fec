import Foundation
import MMCore
import MMSim
import MMTestSupport
import MMText
import Testing

/// The seed document's board (corpus exact/seed-csky-4.9.56-order10-atomic.log).
///
/// 4.9.56, one Normal zone of 1 GiB present, 734568 kB managed of which 90112 pages are CMA, no hugetlb
/// (pageblock order 10). Page cache, a little anon memory and slab, then a leak of large
/// unmovable kmallocs (`kmalloc_order`, counted in no slab) and the cache read back in, until
/// an order-10 GFP_ATOMIC|__GFP_COMP USB request fails with most free memory in CMA. The sizes
/// are the log's: active_anon 3268 + 2, slab 2019 + 644, file 1271 + 89286, and 24656 pages the
/// log's counters do not account for (the leak).
@Suite(.timeLimit(.minutes(2)))
struct SeedCaseTests {
  static let kernel = (try? KernelVersion(parsing: "4.9.56")) ?? .newestKnown

  static func board() -> SimulatedMachine {
    let present = 262143
    let managed = 734568 / 4
    var layout = MachineLayout(
      architecture: .generic, pageblockOrder: 10,
      zones: [
        ZoneLayout(
          kind: .normal, startPFN: 1, spanned: present, present: present, managed: managed),
        ZoneLayout(kind: .movable, startPFN: 0, spanned: 0),
      ])
    // The CMA area sits at the top of memory, pageblock-aligned.
    layout.cmaAreas = [CMAArea(zoneIndex: 0, startPFN: 262144 - 90112, pages: 90112)]
    return SimulatedMachine(layout: layout, rules: AllocatorRules(kernel: kernel))
  }

  static func mask(_ composite: GFPComposite, extra: GFPFlags = []) -> GFPMask {
    let dialect = GFPDialect(kernel: kernel)
    return GFPMask(
      rawValue: (dialect.rawValue(of: composite) ?? 0) | dialect.rawValue(for: extra),
      kernel: kernel)
  }

  @Test func bootWatermarksAreTheSeedLogs() {
    let machine = Self.board()
    // The log: min:2444kB low:3052kB high:3660kB (CMA not counted at boot before ~5.9).
    let marks = machine.memory.zoneSettings(0).watermarks
    #expect([marks.min, marks.low, marks.high].map { $0 * 4 } == [2444, 3052, 3660])
  }

  @Test func theLeakEatsTheMovablePageblocksAndTheAtomicRequestFails() {
    var machine = Self.board()
    let movable = Self.mask(.highuserMovable)
    let kernel = Self.mask(.kernel)
    for _ in 0..<3270 { _ = machine.allocate(order: 0, mask: movable, use: .anon) }
    for _ in 0..<2663 { _ = machine.allocate(order: 0, mask: kernel, use: .slabUnreclaimable) }
    for _ in 0..<90557 { _ = machine.allocate(order: 0, mask: movable, use: .file) }
    // The leak: 16 KiB request buffers, order 2, GFP_KERNEL.
    var leaked = 0
    while leaked < 24656 {
      guard machine.allocate(order: 2, mask: kernel, use: .kernel).allocation != nil else { break }
      leaked += 4
    }
    #expect(leaked >= 24656)
    // The leak's allocations reclaimed page cache; the board reads its files back in, and with
    // the movable pageblocks stolen, the cache now lands in CMA.
    while machine.memory.lruPageCount(zone: 0, list: .inactiveFile) < 90557 {
      guard machine.allocate(order: 0, mask: movable, use: .file).allocation != nil else { break }
    }
    let request = Self.mask(.atomic, extra: [.comp])
    #expect(request.rawValue == 0x2084020)
    let attempt = machine.allocate(order: 10, mask: request)
    #expect(attempt.outcome == .failed(reason: "the request cannot sleep or reclaim"))
    let free = machine.memory.freePages(zone: 0)
    let freeCMA = machine.memory.freeCMAPages(zone: 0)
    // About 248 MB free (62086 pages in the log), nearly all CMA (60234 in the log) ...
    #expect(abs(free - 62086) * 20 < 62086)
    #expect(freeCMA * 100 >= free * 90)
    // ... and every free order-10 block is CMA: the leak's steals left none outside it.
    let byType = machine.memory.freeBlocksByType(zone: 0)
    // The log shows 58 free order-10 blocks, all CMA; within 5 %.
    #expect(abs(byType[MigrateType.cma.rawValue][10] - 58) * 20 <= 58)
    for type in MigrateType.allCases where type != .cma { #expect(byType[type.rawValue][10] == 0) }
    #expect(machine.memory.pageblockCounts(zone: 0)[MigrateType.unmovable.rawValue] > 0)
  }
}

extension SeedCaseTests {
  /// Plays the seed's workload and returns the machine at the failure.
  static func playToFailure() -> SimulatedMachine {
    var machine = board()
    let movable = mask(.highuserMovable)
    let kernel = mask(.kernel)
    for _ in 0..<3270 { _ = machine.allocate(order: 0, mask: movable, use: .anon) }
    for _ in 0..<2663 { _ = machine.allocate(order: 0, mask: kernel, use: .slabUnreclaimable) }
    for _ in 0..<90557 { _ = machine.allocate(order: 0, mask: movable, use: .file) }
    var leaked = 0
    while leaked < 24656, machine.allocate(order: 2, mask: kernel, use: .kernel).allocation != nil {
      leaked += 4
    }
    while machine.memory.lruPageCount(zone: 0, list: .inactiveFile) < 90557,
      machine.allocate(order: 0, mask: movable, use: .file).allocation != nil
    {}
    return machine
  }

  @Test func theReportReadsLikeTheSeedsAndParsesBack() throws {
    var machine = Self.playToFailure()
    let request = Self.mask(.atomic, extra: [.comp])
    #expect(machine.allocate(order: 10, mask: request).allocation == nil)
    let report = machine.allocationFailureReport(order: 10, mask: request, comm: "AiApp", pid: 179)
    let text = report.render()
    #expect(
      text.hasPrefix(
        "AiApp: page allocation failure: order:10, mode:0x2084020(GFP_ATOMIC|__GFP_COMP)\n"))
    #expect(text.contains("CPU: 0 PID: 179 Comm: AiApp Not tainted 4.9.56 #1\n"))
    // Parses back to the simulator's values.
    let parsed = try AllocFailureReport(parsing: text, kernel: Self.kernel)
    #expect(parsed.header == report.header)
    #expect(parsed.showMem == report.showMem)
    let showMem = try #require(parsed.showMem)
    // The Normal order line: every free 4096kB block is CMA.
    let normal = try #require(showMem.freeAreas.first)
    #expect(normal.zone == "Normal")
    #expect(normal.orders[10].migrateTypes == [.cma])
    #expect(normal.totalKilobytes == machine.memory.freePages(zone: 0) * 4)
    #expect(showMem.pages("cma reserved") == 90112)
    // The same lines and fields, in the same order, as the seed's own report.
    let seed = try Fixtures.text(
      of: Fixtures.root.appendingPathComponent("corpus/exact/seed-csky-4.9.56-order10-atomic.log"))
    let original = try #require(AllocFailureReport.findAll(in: seed).first?.report.showMem)
    #expect(showMem.counters.map(\.name) == original.counters.map(\.name))
    #expect(
      showMem.nodes.map { $0.fields.map(\.name) } == original.nodes.map { $0.fields.map(\.name) })
    #expect(
      showMem.zones.map { $0.fields.map(\.name) } == original.zones.map { $0.fields.map(\.name) })
    #expect(showMem.lines.count == original.lines.count)
  }
}
