import MMCore
import MMSim
import Testing

/// Rebuilding a machine from captured free counts (pagetypeinfo-shaped seeds).
@Suite(.timeLimit(.minutes(2)))
struct SeedingTests {
  static let kernel = (try? KernelVersion(parsing: "6.1")) ?? .newestKnown

  @Test func seededFreeListsAndPageblocksMatchTheCapture() throws {
    let layout = MachineLayout.fromRAM(64 << 20, architecture: .x86_64)
    let seeds = [
      ZoneSeed(
        pageblocks: [.unmovable: 1, .movable: 7],
        freeBlocks: [
          .unmovable: [3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0],
          .movable: [5, 4, 3, 2, 2, 1, 1, 1, 1, 0, 1],
        ]),
      ZoneSeed(
        pageblocks: [.unmovable: 4, .movable: 17, .reclaimable: 2, .highAtomic: 1],
        freeBlocks: [
          .unmovable: [40, 12, 7, 3, 1, 0, 0, 0, 0, 0, 0],
          .movable: [300, 120, 60, 30, 12, 6, 3, 2, 1, 1, 4],
          .reclaimable: [20, 10, 5, 2, 1, 0, 0, 0, 0, 0, 0],
          .highAtomic: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
        ],
        watermarks: ZoneWatermarks(min: 100, low: 125, high: 150, boost: 7),
        lowmemReserve: [0, 0, 0, 0, 0]),
    ]
    let memory = try PhysicalMemory(
      layout: layout, rules: AllocatorRules(kernel: Self.kernel), seeds: seeds)
    #expect(memory.invariantViolations() == [])
    for (zone, seed) in seeds.enumerated() {
      let byType = memory.freeBlocksByType(zone: zone)
      for type in MigrateType.allCases {
        #expect(
          byType[type.rawValue] == (seed.freeBlocks[type] ?? Array(repeating: 0, count: 11)),
          "zone \(zone) \(type)")
        #expect(memory.pageblockCounts(zone: zone)[type.rawValue] == seed.pageblocks[type] ?? 0)
      }
    }
    #expect(memory.zoneSettings(1).watermarks.boost == 7)
    #expect(memory.reservedHighAtomic(zone: 1) == 512)
  }

  @Test func moreFreeBlocksThanTheZoneHoldsIsAnError() {
    // 16 MiB holds four order-10 blocks, not five.
    let layout = MachineLayout.fromRAM(16 << 20, architecture: .generic)
    let seeds = [
      ZoneSeed(
        pageblocks: [.movable: 8], freeBlocks: [.movable: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]])
    ]
    #expect(throws: SeedError.self) {
      _ = try PhysicalMemory(
        layout: layout, rules: AllocatorRules(kernel: Self.kernel), seeds: seeds)
    }
  }

  @Test func aSeededMachineAllocatesAndFreesConsistently() throws {
    let layout = MachineLayout.fromRAM(16 << 20, architecture: .generic)
    let seeds = [
      ZoneSeed(
        pageblocks: [.unmovable: 2, .movable: 6],
        freeBlocks: [
          .movable: [9, 7, 5, 3, 2, 1, 1, 1, 1, 1, 0],
          .unmovable: [4, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        ])
    ]
    var memory = try PhysicalMemory(
      layout: layout, rules: AllocatorRules(kernel: Self.kernel), seeds: seeds)
    // Movable 9 + 7·2 + 5·4 + 3·8 + 2·16 + 32 + 64 + 128 + 256 + 512, unmovable 4 + 2·2 + 4.
    #expect(memory.freePages(zone: 0) == 1103)
    let mask = GFPMask(rawValue: 0x100cca, kernel: Self.kernel)
    var held: [Allocation] = []
    while let block = memory.allocateFromFreelist(order: 0, mask: mask, flags: [.cpuset]) {
      held.append(block)
    }
    #expect(!held.isEmpty)
    #expect(memory.invariantViolations() == [])
    for block in held { memory.free(block.pfn, order: 0) }
    memory.drainAllPerCPU(zone: 0)
    #expect(memory.invariantViolations() == [])
    #expect(memory.freePages(zone: 0) == 1103)
  }
}
