import Foundation
import MMCore
import MMSim
import MMTestSupport
import MMText
import Testing

/// The ground-truth alloc-failure run (Debian 6.1.192, 512 MiB).
///
/// A test module allocates blocks of one order with one GFP mask and holds them until an allocation fails. Seeded from each
/// case's `before` snapshot, the simulator must grant the same number of blocks.
@Suite(.timeLimit(.minutes(3)))
struct AllocFailureReplayTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var folder: String
    var order: Int
    var mask: UInt64
    /// Blocks the kernel granted before the first failure (dmesg.txt, `highorder: result`).
    var kernelBlocks: Int
    /// How close the replay must come, in blocks.
    var tolerance: Int
    var testDescription: String { folder }
  }

  static let cases = [
    Case(folder: "A-order10-atomic", order: 10, mask: 0xa20, kernelBlocks: 92, tolerance: 1),
    Case(
      folder: "B-order10-atomic-fragmented", order: 10, mask: 0xa20, kernelBlocks: 11, tolerance: 1),
    Case(
      folder: "D-order0-atomic-drain", order: 0, mask: 0xa20, kernelBlocks: 52899, tolerance: 529),
  ]

  static let kernel = (try? KernelVersion(parsing: "6.1.0-56-amd64")) ?? .newestKnown

  /// The machine of a case's `before` snapshot.
  static func seededMachine(_ folder: String) throws -> SimulatedMachine {
    let run = Fixtures.groundTruth.appendingPathComponent("alloc-failure/m512M")
    let proc = run.appendingPathComponent(folder).appendingPathComponent("before/proc")
    // The `before` snapshots have no sys/vm; the sysctls are the boot's.
    let sysctls = run.appendingPathComponent("00-boot/proc/sys/vm")
    var files: [String: String] = [:]
    for name in ["min_free_kbytes", "watermark_scale_factor", "lowmem_reserve_ratio"] {
      files[name] = try Fixtures.text(of: sysctls.appendingPathComponent(name))
    }
    // Debian 6.1.192 carries the 6.3 reserve-flag rework and the order-0 high-atomic fix.
    return try SimulatedMachine(
      zoneInfo: try ZoneInfo(parsing: Fixtures.text(of: proc.appendingPathComponent("zoneinfo"))),
      pageTypeInfo: try PageTypeInfo(
        parsing: Fixtures.text(of: proc.appendingPathComponent("pagetypeinfo"))),
      sysVM: try SysVM(parsing: files), rules: .withReserveBackports(kernel: kernel))
  }

  /// Blocks granted before the first failure, and the kcompactd runs on the way.
  ///
  /// The module calls `cond_resched()` after every 64 blocks: there the background threads its
  /// requests woke get the CPU. With `backgroundWork` false they never do.
  static func replay(_ replay: Case, backgroundWork: Bool = true) throws -> (
    blocks: Int, kcompactdRuns: Int
  ) {
    var machine = try seededMachine(replay.folder)
    let mask = GFPMask(rawValue: replay.mask, kernel: kernel)
    var blocks = 0
    var kcompactdRuns = 0
    while machine.allocate(order: replay.order, mask: mask).allocation != nil {
      blocks += 1
      if backgroundWork && blocks % 64 == 0 {
        kcompactdRuns += machine.runBackgroundWork().kcompactd.count
      }
    }
    return (blocks, kcompactdRuns)
  }

  /// Replays case A and returns the report the simulator prints at its failure.
  static func failureReportOfCaseA() throws -> AllocFailureReport {
    var machine = try seededMachine("A-order10-atomic")
    let mask = GFPMask(rawValue: 0xa20, kernel: kernel)
    while machine.allocate(order: 10, mask: mask).allocation != nil {}
    return machine.allocationFailureReport(order: 10, mask: mask, comm: "insmod", pid: 244)
  }

  /// The simulator's 6.1 report at case A's failure against the kernel's: same header, same
  /// lines and fields, and the free lists the kernel printed.
  @Test func caseAReportMatchesTheKernels() throws {
    let simulated = try Self.failureReportOfCaseA()
    let text = try Fixtures.text(
      of: Fixtures.groundTruth.appendingPathComponent(
        "alloc-failure/m512M/reports/01-alloc-failure.txt"))
    let kernel = try #require(AllocFailureReport.findAll(in: text).first?.report)
    #expect(simulated.header == kernel.header)
    let ours = try #require(simulated.showMem)
    let theirs = try #require(kernel.showMem)
    #expect(ours.counters.map(\.name) == theirs.counters.map(\.name))
    #expect(ours.nodes.map { $0.fields.map(\.name) } == theirs.nodes.map { $0.fields.map(\.name) })
    #expect(ours.zones.map { $0.fields.map(\.name) } == theirs.zones.map { $0.fields.map(\.name) })
    #expect(ours.lines.count == theirs.lines.count)
    // The closing `N pages <label>` lines carry the kernel's labels.
    let labels = { (block: ShowMem) in
      block.lines.compactMap { line -> String? in
        if case .pages(_, let label) = line { return label }
        return nil
      }
    }
    #expect(labels(ours) == labels(theirs))
    #expect(ours.lowmemReserves == theirs.lowmemReserves)
    // The zone free counts at the failure are the kernel's (DMA 2944 kB, DMA32 17308 kB).
    #expect(ours.freeAreas.map(\.totalKilobytes) == theirs.freeAreas.map(\.totalKilobytes))
  }

  /// Boot reservations lie in movable pageblocks first: case E's DMA32 zone has 62 movable
  /// blocks (31744 pages) with 1703 free pages and 22896 unmanaged pages (spanned 126944,
  /// managed 104048), so 7145 pages of its movable blocks are allocated.
  @Test func seedingPutsUnmanagedPagesInMovableBlocksFirst() throws {
    let machine = try Self.seededMachine("E-order10-kernel-fragmented")
    let span = machine.memory.layout.zones[1]
    var allocatedInMovable = 0
    for pfn in span.startPFN..<span.holeStartPFN
    where machine.memory.pageblockType(of: PFN(pfn)) == .movable
      && machine.memory.isAllocatedBlock(PFN(pfn))
    {
      allocatedInMovable += 1
    }
    #expect(allocatedInMovable == 62 * 512 - 1703 - (126944 - 104048))
  }

  @Test(arguments: cases)
  func grantsTheKernelsNumberOfBlocks(replay: Case) throws {
    let blocks = try Self.replay(replay).blocks
    #expect(
      abs(blocks - replay.kernelBlocks) <= replay.tolerance,
      "granted \(blocks), kernel \(replay.kernelBlocks)")
  }
}

extension AllocFailureReplayTests {
  /// The order-3 drain (C) on fragmented memory: the fallbacks boost DMA32's watermarks, kswapd
  /// (with nothing it can reclaim) hands the boost to kcompactd, and kcompactd frees whole
  /// pageblocks the drain then takes — more blocks than the free lists held (2084), still
  /// fewer than the kernel's 2441 (the scanners' approximation, docs/fidelity.md).
  @Test func backgroundCompactionAddsBlocksToTheOrder3Drain() throws {
    let drain = Case(
      folder: "C-order3-atomic-fragmented", order: 3, mask: 0xa20, kernelBlocks: 2441,
      tolerance: 0)
    let asleep = try Self.replay(drain, backgroundWork: false)
    let awake = try Self.replay(drain)
    #expect(asleep.kcompactdRuns == 0)
    #expect(awake.kcompactdRuns > 0)
    #expect(awake.blocks > asleep.blocks)
    #expect(awake.blocks <= drain.kernelBlocks)
  }

  /// GFP_KERNEL order 10 on fragmented memory (E): direct compaction helped the kernel to 16
  /// blocks; the replay reaches what the free lists hold and stays below.
  @Test func directCompactionCaseReachesTheFreeListsAndStaysBelowTheKernel() throws {
    let blocks = try Self.replay(
      Case(
        folder: "E-order10-kernel-fragmented", order: 10, mask: 0xcc0, kernelBlocks: 16,
        tolerance: 0)
    ).blocks
    #expect(blocks >= 10)
    #expect(blocks <= 16)
  }
}
