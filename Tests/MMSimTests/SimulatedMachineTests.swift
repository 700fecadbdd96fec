import Foundation
import MMCore
import MMSim
import MMTestSupport
import MMText
import Testing

/// Sysctl writes recompute the simulated machine's watermarks as the kernel does.
///
/// The allocator honours them. Checked against the 256 MiB ground-truth run (Debian 6.1).
@Suite(.timeLimit(.minutes(2)))
struct SimulatedMachineTests {
  static let run = Fixtures.groundTruth.appendingPathComponent("watermarks/m256M")

  static func zoneInfo(_ step: String) throws -> ZoneInfo {
    let url = run.appendingPathComponent(step).appendingPathComponent("proc/zoneinfo")
    return try ZoneInfo(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
  }

  static func boot() throws -> SimulatedMachine {
    let layout = try MachineLayout(zoneInfo: zoneInfo("00-as-booted"))
    let kernel = try KernelVersion(parsing: "6.1.0-56-amd64")
    // dmesg.txt: 10780 kB freed late, in DMA32. THP is configured, but the boot switches it off
    // (less than 512 MiB managed).
    return SimulatedMachine(
      layout: layout, rules: AllocatorRules(kernel: kernel),
      boot: .init(lateFreedPages: [0, 2695, 0, 0, 0], transparentHugepage: .always))
  }

  /// Watermarks and protection the machine shows, as zoneinfo prints them.
  static func marks(_ machine: borrowing SimulatedMachine) -> [[Int]] {
    machine.memory.zoneInfo().entries.prefix(2).map { [$0.min, $0.low, $0.high] + $0.protection }
  }

  static func expected(_ step: String) throws -> [[Int]] {
    try zoneInfo(step).entries.prefix(2).map { [$0.min, $0.low, $0.high] + $0.protection }
  }

  @Test func bootThenSysctlWritesMatchTheKernel() throws {
    var machine = try Self.boot()
    #expect(machine.reserves.minFreeKbytes == 1615)
    // The capture read lowmem_reserve_ratio (sysctl -a) before it was taken.
    _ = machine.readLowmemReserveRatio()
    #expect(Self.marks(machine) == (try Self.expected("00-as-booted")))
    machine.writeMinFreeKbytes(1615)
    #expect(Self.marks(machine) == (try Self.expected("01-mfk-default_wsf-default")))
    machine.writeMinFreeKbytes(16384)
    #expect(Self.marks(machine) == (try Self.expected("02-mfk-16384_wsf-default")))
    machine.writeWatermarkScaleFactor(200)
    #expect(Self.marks(machine) == (try Self.expected("05-mfk-16384_wsf-200")))
  }

  @Test func theAllocatorHonoursARaisedMinimum() throws {
    var machine = try Self.boot()
    machine.writeMinFreeKbytes(16384)
    let kernel = try KernelVersion(parsing: "6.1")
    let mask = GFPMask(rawValue: 0x100cca, kernel: kernel)  // GFP_HIGHUSER_MOVABLE
    while machine.memory.allocateFromFreelist(
      order: 0, mask: mask, flags: mask.slowPathAllocFlags(order: 0)) != nil
    {}
    let min = machine.memory.zoneSettings(1).watermarks.min
    let batch = machine.memory.zoneSettings(1).perCPUBatch
    #expect(min == 3734)
    // The last per-cpu refill may take up to a batch below the mark (buddy-migratetypes.md §8).
    #expect((min - batch)...min ~= machine.memory.freePages(zone: 1))
  }
}

/// The simulator's meminfo and vmstat: the modelled counters and the kernel's layout.
@Suite(.timeLimit(.minutes(2)))
struct SimulatedMachineCounterTests {
  @Test func memInfoHasTheKernelsFieldsAndTheModelledValues() throws {
    let machine = try SimulatedMachineTests.boot()
    let info = machine.memInfo()
    #expect(info.memTotal == 173888)  // the capture's MemTotal: (3840 + 39632) × 4 kB
    #expect(info.memFree == 173888)
    #expect(try MemInfo(parsing: info.render()) == info)
    let captured = try String(
      contentsOf: SimulatedMachineTests.run.appendingPathComponent("00-as-booted/proc/meminfo"),
      encoding: .utf8)
    let names = { (text: String) in text.split(separator: "\n").map { $0.prefix { $0 != ":" } } }
    #expect(names(info.render()) == names(captured))
  }

  @Test func vmStatCountsAllocationsPerZone() throws {
    var machine = try SimulatedMachineTests.boot()
    let kernel = try KernelVersion(parsing: "6.1")
    let dma = GFPMask(rawValue: 0xcc1, kernel: kernel)  // GFP_KERNEL|GFP_DMA
    let block = machine.memory.allocateFromFreelist(
      order: 2, mask: dma, flags: dma.slowPathAllocFlags(order: 2))
    #expect(block?.zone == 0)
    if let block { machine.memory.free(block.pfn, order: 2) }
    let stat = machine.vmStat()
    #expect(stat.value(named: "pgalloc_dma") == 4)
    #expect(stat.value(named: "pgalloc_dma32") == 0)
    #expect(stat.value(named: "pgfree") == 4)
    #expect(try VMStat(parsing: stat.render()) == stat)
  }
}

extension SimulatedMachineTests {
  static func read(_ step: String, _ file: String) throws -> String {
    try String(contentsOf: run.appendingPathComponent("\(step)/proc/\(file)"), encoding: .utf8)
  }

  @Test func aCapturedMachineRecomputesOnASysctlWrite() throws {
    var files: [String: String] = [:]
    for name in ["min_free_kbytes", "watermark_scale_factor", "lowmem_reserve_ratio"] {
      files[name] = try Self.read("00-as-booted", "sys/vm/" + name)
    }
    var machine = try SimulatedMachine(
      zoneInfo: try Self.zoneInfo("00-as-booted"),
      pageTypeInfo: try PageTypeInfo(parsing: Self.read("00-as-booted", "pagetypeinfo")),
      sysVM: try SysVM(parsing: files),
      rules: AllocatorRules(kernel: try KernelVersion(parsing: "6.1.0")))
    #expect(Self.marks(machine) == (try Self.expected("00-as-booted")))
    machine.writeMinFreeKbytes(16384)
    #expect(Self.marks(machine) == (try Self.expected("02-mfk-16384_wsf-default")))
  }
}
