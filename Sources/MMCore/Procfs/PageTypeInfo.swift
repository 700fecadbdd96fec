/// The contents of `/proc/pagetypeinfo`: free blocks per migratetype and order, and pageblocks
/// per migratetype, for every populated zone.
///
/// The file repeats its headers for each node with memory; rows carry their node and rendering
/// groups them back by node. Migratetype names stay strings in file order, because the set
/// depends on the kernel configuration (`CMA` and `Isolate` are optional).
///
/// Kernel: `pagetypeinfo_show()`, `pagetypeinfo_showfree_print()` and
/// `pagetypeinfo_showblockcount_print()` in `mm/vmstat.c`.
public struct PageTypeInfo: Hashable, Sendable {
  /// One free-count line: one zone and migratetype, counts per order.
  public struct FreeRow: Hashable, Sendable {
    /// The NUMA node id.
    public var node: Int
    /// The zone name as the kernel prints it.
    public var zone: String
    /// The migratetype name (`migratetype_names[]`).
    public var type: String
    /// Blocks on the free list of each order, from order 0.
    public var counts: [Int]
    /// The orders whose count was printed as `>100000`: the kernel stops walking a free list at
    /// 100000 entries (~5.5+).
    public var cappedOrders: Set<Int>

    /// Creates a free-count row.
    public init(
      node: Int, zone: String, type: String, counts: [Int], cappedOrders: Set<Int> = []
    ) {
      self.node = node
      self.zone = zone
      self.type = type
      self.counts = counts
      self.cappedOrders = cappedOrders
    }

    /// The migratetype ``type`` names, when it is one oomlab models.
    public var migrateType: MigrateType? { MigrateType(kernelName: type) }
  }

  /// One block-count line: pageblocks of each migratetype in one zone.
  public struct BlockRow: Hashable, Sendable {
    /// The NUMA node id.
    public var node: Int
    /// The zone name as the kernel prints it.
    public var zone: String
    /// Pageblocks per migratetype, in the order of ``PageTypeInfo/blockTypeNames``.
    public var counts: [Int]

    /// Creates a block-count row.
    public init(node: Int, zone: String, counts: [Int]) {
      self.node = node
      self.zone = zone
      self.counts = counts
    }
  }

  /// `pageblock_order` (9 for 2 MiB pageblocks of 4 KiB pages).
  public var pageblockOrder: Int
  /// `pageblock_nr_pages`.
  public var pagesPerBlock: Int
  /// The free-count lines, in file order.
  public var freeRows: [FreeRow]
  /// The migratetype names of the block-count header, in file order.
  public var blockTypeNames: [String]
  /// The block-count lines, in file order.
  public var blockRows: [BlockRow]

  /// Creates the file's contents.
  public init(
    pageblockOrder: Int, pagesPerBlock: Int, freeRows: [FreeRow], blockTypeNames: [String],
    blockRows: [BlockRow]
  ) {
    self.pageblockOrder = pageblockOrder
    self.pagesPerBlock = pagesPerBlock
    self.freeRows = freeRows
    self.blockTypeNames = blockTypeNames
    self.blockRows = blockRows
  }

  /// The migratetype of each block-count column, `nil` where oomlab does not model the name.
  public var blockMigrateTypes: [MigrateType?] { blockTypeNames.map(MigrateType.init(kernelName:)) }

  /// The node ids in the order their sections appear.
  public var nodes: [Int] {
    var seen: [Int] = []
    for node in freeRows.map(\.node) + blockRows.map(\.node) where !seen.contains(node) {
      seen.append(node)
    }
    return seen
  }
}
