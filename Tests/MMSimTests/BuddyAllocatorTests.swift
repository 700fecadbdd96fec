import MMCore
import MMSim
import Testing
import _MMUtilities

/// The buddy allocator's bookkeeping: split, merge, per-cpu lists, invariants.
@Suite(.timeLimit(.minutes(2)))
struct BuddyAllocatorTests {
  static func kernel(_ text: String) -> KernelVersion {
    (try? KernelVersion(parsing: text)) ?? .newestKnown
  }

  /// 64 MiB x86_64: DMA (pfn 1–4095) and DMA32 (4096–16383).
  static func smallMachine(kernel: String = "6.1") -> PhysicalMemory {
    PhysicalMemory(
      layout: .fromRAM(64 << 20, architecture: .x86_64),
      rules: AllocatorRules(kernel: Self.kernel(kernel)))
  }

  @Test func freshMachineHasEveryManagedPageFreeInMaximalBlocks() {
    let memory = Self.smallMachine()
    #expect(memory.invariantViolations() == [])
    #expect(memory.freePages(zone: 0) == 4095)
    #expect(memory.freePages(zone: 1) == 12288)
    // DMA32 4096–16383: twelve order-10 blocks.
    #expect(memory.freeBlocks(zone: 1) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12])
    // DMA 1–4095: 1+2+4+…+2048 pages in one block per order.
    #expect(memory.freeBlocks(zone: 0) == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3])
  }

  @Test(arguments: 0...10)
  func allocateThenFreeRestoresTheFreeLists(order: Int) throws {
    var memory = Self.smallMachine()
    let before = memory.freeBlocksByType(zone: 1)
    // GFP_HIGHUSER_MOVABLE: movable, so no pageblock changes type.
    let mask = GFPMask(rawValue: 0x100cca, kernel: Self.kernel("6.1"))
    let allocated = memory.allocateFastPath(order: order, mask: mask)
    let block = try #require(allocated)
    #expect(block.zone == 1)
    #expect(block.pfn % (1 << UInt32(order)) == 0)
    memory.free(block.pfn, order: order)
    memory.drainAllPerCPU(zone: 1)
    #expect(memory.freeBlocksByType(zone: 1) == before)
    #expect(memory.invariantViolations() == [])
  }

  @Test(arguments: ["4.9.56", "5.10", "6.1", "6.6"], [UInt64(1), 2, 3])
  func randomHistoriesKeepInvariantsAndFreeingAllRestoresBlocks(kernel: String, seed: UInt64) {
    var memory = Self.smallMachine(kernel: kernel)
    let version = Self.kernel(kernel)
    let initial = (0..<2).map { memory.freeBlocks(zone: $0) }
    let dialect = GFPDialect(kernel: version)
    let masks = [
      dialect.rawValue(of: .kernel), dialect.rawValue(of: .highuserMovable),
      dialect.rawValue(of: .atomic),
      dialect.rawValue(of: .kernel).map { $0 | dialect.rawValue(of: .reclaimable) },
      dialect.rawValue(of: .kernel).map { $0 | dialect.rawValue(of: .dma) },
    ].compactMap { $0 }.map { GFPMask(rawValue: $0, kernel: version) }
    var random = SplitMix64(seed: seed)
    var held: [Allocation] = []
    for step in 0..<3_000 {
      if held.isEmpty || random.next() % 3 != 0 {
        let order = [0, 0, 0, 1, 2, 3, 4, 9, 10][Int(random.next() % 9)]
        let mask = masks[Int(random.next() % UInt64(masks.count))]
        if let block = memory.allocateFromFreelist(order: order, mask: mask, flags: [.cma]) {
          held.append(block)
        }
      } else {
        let victim = held.remove(at: Int(random.next() % UInt64(held.count)))
        memory.free(victim.pfn, order: victim.order)
      }
      if step % 500 == 0 { #expect(memory.invariantViolations() == [], "step \(step)") }
    }
    for block in held { memory.free(block.pfn, order: block.order) }
    for zone in 0..<2 { memory.drainAllPerCPU(zone: zone) }
    #expect(memory.invariantViolations() == [])
    #expect((0..<2).map { memory.freeBlocks(zone: $0) } == initial)
  }

  /// A long history on a larger machine, checked every 10 000 steps.
  @Test func longHistoryKeepsInvariants() {
    var memory = PhysicalMemory(
      layout: .fromRAM(256 << 20, architecture: .x86_64),
      rules: AllocatorRules(kernel: Self.kernel("6.1")))
    let initial = (0..<2).map { memory.freeBlocks(zone: $0) }
    let kernel = Self.kernel("6.1")
    let masks = [0xcc0, 0x100cca, 0x820, 0xcd0, 0xcc1].map { GFPMask(rawValue: $0, kernel: kernel) }
    var random = SplitMix64(seed: 42)
    var held: [Allocation] = []
    for step in 1...60_000 {
      if held.count < 20_000 && (held.isEmpty || random.next() % 5 < 3) {
        let mask = masks[Int(random.next() % 5)]
        let order = [0, 0, 0, 0, 1, 2, 3, 5, 9, 10][Int(random.next() % 10)]
        if let block = memory.allocateFromFreelist(order: order, mask: mask, flags: [.cma]) {
          held.append(block)
        }
      } else {
        held.swapAt(Int(random.next() % UInt64(held.count)), held.count - 1)
        let block = held.removeLast()
        memory.free(block.pfn, order: block.order)
      }
      if step % 10_000 == 0 { #expect(memory.invariantViolations() == [], "step \(step)") }
    }
    for block in held { memory.free(block.pfn, order: block.order) }
    for zone in 0..<2 { memory.drainAllPerCPU(zone: zone) }
    #expect(memory.invariantViolations() == [])
    #expect((0..<2).map { memory.freeBlocks(zone: $0) } == initial)
  }

  @Test func doubleFreeTraps() async {
    await #expect(processExitsWith: .failure) {
      var memory = BuddyAllocatorTests.smallMachine()
      let mask = GFPMask(rawValue: 0xcc0, kernel: .newestKnown)
      guard let block = memory.allocateFastPath(order: 2, mask: mask) else { return }
      memory.free(block.pfn, order: 2)
      memory.free(block.pfn, order: 2)
    }
  }
}

struct FrameFootprintTests {
  /// The frame table costs 16 bytes per simulated page, plus one byte per pageblock.
  @Test func aFrameIsSixteenBytes() {
    #expect(MemoryLayout<PageFrame>.stride == 16)
  }
}
