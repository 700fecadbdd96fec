import MMCore
import Testing

/// `zone_watermark_fast()`'s order-0 shortcut per release: from 5.9 it leaves out the
/// high-atomic reserve for a request without reserves, as the full check always did.
struct FastWatermarkCheckTests {
  /// 1000 free pages, 200 of them the high-atomic reserve, a low watermark of 900: 5.4's
  /// shortcut counts all 1000 and grants a GFP_KERNEL page; 5.9+ count 800 and, like the full
  /// check, refuse it.
  @Test(arguments: [("5.4", true), ("5.8", true), ("5.9", false), ("5.10", false), ("6.1", false)])
  func orderZeroShortcutLeavesOutTheHighAtomicReserveFrom5_9(release: String, grants: Bool)
    throws
  {
    let kernel = try KernelVersion(parsing: release)
    let rules = AllocatorRules(kernel: kernel)
    let mask = GFPMask(rawValue: 0xcc0, kernel: kernel)
    let zone = WatermarkCheckZone(
      freePages: 1000, freeCMAPages: 0, reservedHighAtomic: 200, lowmemReserve: 0)
    let flags = rules.fastPathFlags(for: mask, preferredZone: .normal, hasPopulatedDMA32: true)
    let granted = rules.isFastWatermarkOK(
      zone, order: 0, marks: ZoneWatermarks(min: 600, low: 900, high: 1200), flags: flags,
      mask: mask, maxOrder: 10, hasFreeBlock: { _, _ in true })
    #expect(granted == grants)
  }
}
