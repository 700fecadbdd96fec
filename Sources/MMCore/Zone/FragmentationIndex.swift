/// The free-block statistics compaction and `/sys/kernel/debug/extfrag` compute from a zone's
/// free lists (slowpath-reclaim-compaction.md §7.2–§7.4; `fill_contig_page_info()`,
/// `__fragmentation_index()`, `unusable_free_index()` in mm/vmstat.c).
///
/// The sums and both indices use the kernel's `unsigned long`/`u64` arithmetic (`div_u64()`),
/// so damaged counts from a capture wrap as they would there instead of trapping.
public struct FreeBlockStatistics: Hashable, Sendable {
  /// Free pages in all blocks.
  public var freePages: Int
  /// Free blocks of every order.
  public var freeBlocksTotal: Int
  /// Free blocks that could serve a request of the order, counted in blocks of that order.
  public var freeBlocksSuitable: Int
  /// The requested order.
  public var order: Int

  /// The statistics of `freeBlocks` (free blocks per order, as buddyinfo shows) for `order`.
  public init(freeBlocks: [Int], order: Int) {
    self.order = order
    freePages = 0
    freeBlocksTotal = 0
    freeBlocksSuitable = 0
    for (o, count) in freeBlocks.enumerated() {
      freePages &+= count << o
      freeBlocksTotal &+= count
      if o >= order { freeBlocksSuitable &+= count << (o - order) }
    }
  }

  /// The fragmentation index ×1000: 0 with no free blocks, −1000 when a suitable block exists,
  /// else near 0 for lack of memory and near 1000 for fragmentation.
  public var fragmentationIndex: Int {
    // The kernel returns 0 past MAX_ORDER (with a warning); 2^order must not shift out here.
    guard order < UInt64.bitWidth, freeBlocksTotal != 0 else { return 0 }
    guard freeBlocksSuitable == 0 else { return -1000 }
    let free = UInt64(truncatingIfNeeded: freePages)
    let blocks = UInt64(truncatingIfNeeded: freeBlocksTotal)
    let share = (1000 &+ free &* 1000 / (1 << UInt64(order))) / blocks
    return Self.kernelInt(1000 &- share)
  }

  /// The unusable free space index ×1000: the share of free memory in blocks too small.
  public var unusableIndex: Int {
    guard freePages != 0 else { return 1000 }
    let free = UInt64(truncatingIfNeeded: freePages)
    let suitable = UInt64(truncatingIfNeeded: freeBlocksSuitable) << UInt64(order)
    return Self.kernelInt((free &- suitable) &* 1000 / free)
  }

  /// A `u64` result as the kernel's `int` return value holds it (its low 32 bits, signed).
  private static func kernelInt(_ value: UInt64) -> Int {
    Int(Int32(truncatingIfNeeded: value))
  }
}
