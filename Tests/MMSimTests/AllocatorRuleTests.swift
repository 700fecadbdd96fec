import MMCore
import MMSim
import Testing

/// The kernel rules the allocator must follow (buddy-migratetypes.md §4–7).
@Suite(.timeLimit(.minutes(2)))
struct AllocatorRuleTests {
  static func kernel(_ text: String) -> KernelVersion {
    (try? KernelVersion(parsing: text)) ?? .newestKnown
  }

  static func mask(_ composite: GFPComposite, _ kernel: KernelVersion, extra: GFPFlags = [])
    -> GFPMask
  {
    let dialect = GFPDialect(kernel: kernel)
    let raw = (dialect.rawValue(of: composite) ?? 0) | dialect.rawValue(for: extra)
    return GFPMask(rawValue: raw, kernel: kernel)
  }

  /// Allocates order-0 blocks with `flags` until the freelist refuses; returns how many.
  static func drain(_ memory: inout PhysicalMemory, mask: GFPMask, flags: AllocFlags) -> Int {
    var count = 0
    while memory.allocateFromFreelist(order: 0, mask: mask, flags: flags) != nil { count += 1 }
    return count
  }

  @Test(arguments: ["4.9.56", "5.10", "6.1"])
  func movableRequestsMayTakeCMAUnmovableMayNot(release: String) {
    let kernel = Self.kernel(release)
    // 64 MiB, one Normal zone, the last 16 MiB a CMA area.
    var layout = MachineLayout.fromRAM(64 << 20, architecture: .generic)
    layout.cmaAreas = [CMAArea(zoneIndex: 0, startPFN: 12288, pages: 4096)]
    var memory = PhysicalMemory(layout: layout, rules: AllocatorRules(kernel: kernel))
    let kernelMask = Self.mask(.kernel, kernel)
    let granted = Self.drain(
      &memory, mask: kernelMask, flags: kernelMask.slowPathAllocFlags(order: 0))
    #expect(granted + memory.perCPUPages(zone: 0) == 12288)
    #expect(memory.freePages(zone: 0) == 4096)
    #expect(memory.freeCMAPages(zone: 0) == 4096)
    let movable = Self.mask(.highuserMovable, kernel)
    let block = memory.allocateFromFreelist(
      order: 0, mask: movable, flags: movable.slowPathAllocFlags(order: 0))
    #expect(block.map { memory.pageblockType(of: $0.pfn) } == .cma)
    #expect(memory.invariantViolations() == [])
  }

  @Test(arguments: ["4.9.56", "5.10", "6.1"])
  func unmovableFallbackClaimsTheWholeBlock(release: String) {
    let kernel = Self.kernel(release)
    var memory = PhysicalMemory(
      layout: .fromRAM(16 << 20, architecture: .generic), rules: AllocatorRules(kernel: kernel))
    #expect(memory.pageblockCounts(zone: 0)[MigrateType.movable.rawValue] == 8)
    let kernelMask = Self.mask(.kernel, kernel)
    #expect(memory.allocateFromFreelist(order: 0, mask: kernelMask, flags: [.cpuset]) != nil)
    // The fallback found an order-10 movable block (2 pageblocks) and retyped all of it.
    #expect(memory.pageblockCounts(zone: 0)[MigrateType.unmovable.rawValue] == 2)
    #expect(memory.pageblockCounts(zone: 0)[MigrateType.movable.rawValue] == 6)
  }

  @Test(arguments: ["4.9.56", "5.10", "6.1"])
  func movableFallbackAtSmallOrderLeavesThePageblockAlone(release: String) {
    let kernel = Self.kernel(release)
    // 16 MiB = 8 pageblocks (enough for mobility grouping), all taken as unmovable, then every
    // fourth page given back: only isolated order-0 unmovable blocks are free.
    var memory = PhysicalMemory(
      layout: .fromRAM(16 << 20, architecture: .generic), rules: AllocatorRules(kernel: kernel))
    let kernelMask = Self.mask(.kernel, kernel)
    var held: [Allocation] = []
    while let block = memory.allocateFromFreelist(order: 0, mask: kernelMask, flags: [.cpuset]) {
      held.append(block)
    }
    #expect(memory.pageblockCounts(zone: 0)[MigrateType.unmovable.rawValue] == 8)
    for block in held where block.pfn % 4 == 0 { memory.free(block.pfn, order: 0) }
    memory.drainAllPerCPU(zone: 0)
    let movable = Self.mask(.highuserMovable, kernel)
    #expect(memory.allocateFromFreelist(order: 0, mask: movable, flags: [.cpuset]) != nil)
    #expect(memory.pageblockCounts(zone: 0)[MigrateType.unmovable.rawValue] == 8)
    #expect(memory.invariantViolations() == [])
  }

  /// min 1000 pages: GFP_KERNEL stops at 1000 free, GFP_ATOMIC goes on to 375 (min/2, then a
  /// further quarter), GFP_NOWAIT on 6.3+ does not go below 1000.
  @Test(arguments: ["4.9.56", "5.10", "6.6"])
  func atomicRequestsDipBelowMinByTheVersionsFraction(release: String) {
    let kernel = Self.kernel(release)
    var memory = PhysicalMemory(
      layout: .fromRAM(16 << 20, architecture: .generic), rules: AllocatorRules(kernel: kernel))
    memory.setWatermarks(zone: 0, ZoneWatermarks(min: 1000, low: 1250, high: 1500))
    let kernelMask = Self.mask(.kernel, kernel)
    _ = Self.drain(&memory, mask: kernelMask, flags: kernelMask.slowPathAllocFlags(order: 0))
    #expect(memory.freePages(zone: 0) == 1000)
    if kernel.isAtLeast(6, 3) {
      let nowait = Self.mask(.noWait, kernel)
      #expect(Self.drain(&memory, mask: nowait, flags: nowait.slowPathAllocFlags(order: 0)) == 0)
    }
    let atomic = Self.mask(.atomic, kernel)
    _ = Self.drain(&memory, mask: atomic, flags: atomic.slowPathAllocFlags(order: 0))
    #expect(memory.freePages(zone: 0) == 375)
  }

  @Test(arguments: ["4.9.56", "6.1"])
  func lowmemReserveKeepsNormalRequestsOutOfDMA32(release: String) {
    let kernel = Self.kernel(release)
    let layout = MachineLayout(
      architecture: .x86_64,
      zones: [
        ZoneLayout(kind: .dma, startPFN: 0, spanned: 0),
        ZoneLayout(kind: .dma32, startPFN: 4096, spanned: 4096),
        ZoneLayout(kind: .normal, startPFN: 8192, spanned: 4096),
        ZoneLayout(kind: .movable, startPFN: 0, spanned: 0),
      ])
    var memory = PhysicalMemory(layout: layout, rules: AllocatorRules(kernel: kernel))
    memory.setLowmemReserve(zone: 1, [0, 0, 3000, 3000, 3000])
    let kernelMask = Self.mask(.kernel, kernel)
    _ = Self.drain(&memory, mask: kernelMask, flags: kernelMask.slowPathAllocFlags(order: 0))
    #expect(memory.freePages(zone: 2) == 0)
    #expect(memory.freePages(zone: 1) == 3000)
    let dma32Mask = Self.mask(.kernel, kernel, extra: [.dma32])
    let block = memory.allocateFromFreelist(
      order: 0, mask: dma32Mask, flags: dma32Mask.slowPathAllocFlags(order: 0))
    #expect(block?.zone == 1)
  }

  @Test func highOrderAtomicSuccessReservesAHighAtomicPageblock() {
    let kernel = Self.kernel("5.10")
    var memory = PhysicalMemory(
      layout: .fromRAM(64 << 20, architecture: .generic), rules: AllocatorRules(kernel: kernel))
    let atomic = Self.mask(.atomic, kernel, extra: [.comp])
    let block = memory.allocateFromFreelist(
      order: 3, mask: atomic, flags: atomic.slowPathAllocFlags(order: 3))
    #expect(block != nil)
    #expect(memory.reservedHighAtomic(zone: 0) == 512)
    #expect(memory.pageblockCounts(zone: 0)[MigrateType.highAtomic.rawValue] == 1)
  }
}
