/// The contents of `/proc/buddyinfo`: free blocks per order for every populated zone.
///
/// Kernel: `frag_show_print()` in `mm/vmstat.c` (`Node %d, zone %8s ` then `%6lu ` per order).
public struct BuddyInfo: Hashable, Sendable {
  /// One line of the file: one populated zone.
  public struct Row: Hashable, Sendable {
    /// The NUMA node id.
    public var node: Int
    /// The zone name as the kernel prints it (`DMA`, `DMA32`, `Normal`, …).
    public var zone: String
    /// `free_area[order].nr_free` for each order from 0 (11 entries on x86_64 and arm64 4K).
    public var freeBlocks: [Int]

    /// Creates a row.
    public init(node: Int, zone: String, freeBlocks: [Int]) {
      self.node = node
      self.zone = zone
      self.freeBlocks = freeBlocks
    }
  }

  /// The zones in file order.
  public var rows: [Row]

  /// Creates the file's contents from its rows.
  public init(rows: [Row]) {
    self.rows = rows
  }
}
