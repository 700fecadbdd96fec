import MMCore
import MMSim
import MMText
import Testing
import _MMUtilities

/// The simulator's /proc files parse back to the values it rendered, after any history.
@Suite(.timeLimit(.minutes(2)))
struct ProcRoundTripTests {
  @Test(arguments: 0..<8 as Range<UInt64>)
  func renderThenParseIsIdentity(seed: UInt64) throws {
    let kernel = try KernelVersion(parsing: seed % 2 == 0 ? "6.1.0" : "5.10.0")
    var machine = SimulatedMachine(
      layout: .fromRAM(64 << 20, architecture: seed % 4 < 2 ? .x86_64 : .arm64),
      rules: AllocatorRules(kernel: kernel))
    let dialect = GFPDialect(kernel: kernel)
    let masks = [GFPComposite.kernel, .highuserMovable, .atomic].compactMap {
      dialect.rawValue(of: $0).map { GFPMask(rawValue: $0, kernel: kernel) }
    }
    var random = SplitMix64(seed: seed)
    var held: [Allocation] = []
    for _ in 0..<2_000 {
      if held.isEmpty || random.next() % 3 != 0 {
        let mask = masks[Int(random.next() % UInt64(masks.count))]
        let order = Int(random.next() % 11)
        if let block = machine.memory.allocateFromFreelist(
          order: order, mask: mask, flags: mask.slowPathAllocFlags(order: order))
        {
          held.append(block)
        }
      } else {
        let block = held.remove(at: Int(random.next() % UInt64(held.count)))
        machine.memory.free(block.pfn, order: block.order)
      }
    }
    let buddy = machine.memory.buddyInfo()
    #expect(try BuddyInfo(parsing: buddy.render()) == buddy)
    let types = machine.memory.pageTypeInfo()
    #expect(try PageTypeInfo(parsing: types.render()) == types)
    let zones = machine.memory.zoneInfo()
    #expect(try ZoneInfo(parsing: zones.render()) == zones)
    // And the rendered counts are the allocator's.
    #expect(buddy.rows.map(\.freeBlocks).first == machine.memory.freeBlocks(zone: 0))
  }
}
