/// The contents of debugfs `extfrag/unusable_index` or `extfrag/extfrag_index`: one of the two
/// fragmentation indices for every populated zone and every order, in thousandths.
///
/// The kernel computes the files when they are read, from the same free-block counts
/// `/proc/buddyinfo` prints (slowpath-reclaim-compaction.md §7.2–§7.5).
///
/// Kernel: `unusable_show_print()`, `extfrag_show_print()`, `fill_contig_page_info()`,
/// `unusable_free_index()`, `__fragmentation_index()` in `mm/vmstat.c`.
public struct ExtfragIndex: Hashable, Sendable {
  /// Which of the two files.
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// `unusable_index`: the share of free memory in blocks too small for the order.
    case unusable = "unusable_index"
    /// `extfrag_index`: whether a failure at the order would be for lack of memory (near 0) or
    /// fragmentation (near 1000); −1000 when a suitable block is free.
    case extfrag = "extfrag_index"
  }

  /// One line of the file: one populated zone.
  public struct Row: Hashable, Sendable {
    /// The NUMA node id.
    public var node: Int
    /// The zone name as the kernel prints it.
    public var zone: String
    /// The index for each order from 0, in thousandths (`0.998` is 998, `-1.000` is −1000).
    public var values: [Int]

    /// Creates a row.
    public init(node: Int, zone: String, values: [Int]) {
      self.node = node
      self.zone = zone
      self.values = values
    }
  }

  /// Which index the file holds.
  public var kind: Kind
  /// The zones in file order.
  public var rows: [Row]

  /// Creates the file's contents from its rows.
  public init(kind: Kind, rows: [Row]) {
    self.kind = kind
    self.rows = rows
  }

  /// The index of every order for one zone's free-block counts (buddyinfo's, from order 0).
  public static func values(kind: Kind, freeBlocks: [Int]) -> [Int] {
    freeBlocks.indices.map { order in
      let statistics = FreeBlockStatistics(freeBlocks: freeBlocks, order: order)
      return kind == .unusable ? statistics.unusableIndex : statistics.fragmentationIndex
    }
  }
}
