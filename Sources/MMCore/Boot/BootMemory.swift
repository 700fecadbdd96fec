/// What a boot log says about the memory layout and about pages freed after the boot-time
/// watermark computation.
///
/// The initrd and the kernel's `__init` and alignment-gap sections reach the buddy allocator only
/// after `min_free_kbytes`, the watermarks and `lowmem_reserve` were first computed, so the boot
/// values use the final managed pages minus ``lateFreedKilobytes`` (zones-watermarks.md §1).
///
/// Kernel: `free_reserved_area()` in `mm/page_alloc.c` (`Freeing %s memory: %ldK`),
/// `free_area_init()` in `mm/page_alloc.c` (zone, movable-zone and node ranges).
public struct BootMemory: Hashable, Sendable {
  /// One `Freeing <area> memory: <N>K` line that counts as a late free.
  public struct LateFree: Hashable, Sendable {
    /// The area as printed: `initrd`, `unused kernel image (initmem)`, ….
    public var area: String
    /// The freed size in kB.
    public var kilobytes: Int
    /// The 1-based line of the log that printed it.
    public var line: Int

    /// Creates a late free.
    public init(area: String, kilobytes: Int, line: Int) {
      self.area = area
      self.kilobytes = kilobytes
      self.line = line
    }
  }

  /// One line of the `Zone ranges:` block.
  public struct ZoneRange: Hashable, Sendable {
    /// The zone name (`DMA`, `DMA32`, `Normal`, `HighMem`, `Device`).
    public var zone: String
    /// The physical address range, or `nil` for a zone printed `empty`.
    public var addresses: ClosedRange<UInt64>?

    /// Creates a zone range.
    public init(zone: String, addresses: ClosedRange<UInt64>?) {
      self.zone = zone
      self.addresses = addresses
    }
  }

  /// One line of the `Movable zone start for each node` block.
  public struct MovableZoneStart: Hashable, Sendable {
    /// The NUMA node id.
    public var node: Int
    /// The physical address where the node's Movable zone starts.
    public var address: UInt64

    /// Creates a movable-zone start.
    public init(node: Int, address: UInt64) {
      self.node = node
      self.address = address
    }
  }

  /// One line of the `Early memory node ranges` block.
  public struct NodeRange: Hashable, Sendable {
    /// The NUMA node id.
    public var node: Int
    /// The physical address range of one memory block of the node.
    public var addresses: ClosedRange<UInt64>

    /// Creates a node range.
    public init(node: Int, addresses: ClosedRange<UInt64>) {
      self.node = node
      self.addresses = addresses
    }
  }

  /// The areas whose `Freeing` line counts as a late free.
  ///
  /// They are the initrd (rootfs initcall) and the kernel's init and gap sections (freed just
  /// before `/init`). `SMP alternatives` is freed before the initcalls and does not count.
  public static let lateFreeAreas: [String] = [
    "initrd",
    "unused decrypted",
    "unused kernel image (initmem)",
    "unused kernel image (text/rodata gap)",
    "unused kernel image (rodata/data gap)",
    "unused kernel",
  ]

  /// The late frees in log order.
  public var lateFrees: [LateFree]
  /// The `Zone ranges:` lines in log order.
  public var zoneRanges: [ZoneRange]
  /// The `Movable zone start for each node` lines (only nodes with a Movable zone).
  public var movableZoneStarts: [MovableZoneStart]
  /// The `Early memory node ranges` lines in log order.
  public var nodeRanges: [NodeRange]

  /// Creates the boot memory facts.
  public init(
    lateFrees: [LateFree] = [], zoneRanges: [ZoneRange] = [],
    movableZoneStarts: [MovableZoneStart] = [], nodeRanges: [NodeRange] = []
  ) {
    self.lateFrees = lateFrees
    self.zoneRanges = zoneRanges
    self.movableZoneStarts = movableZoneStarts
    self.nodeRanges = nodeRanges
  }

  /// The kB freed late, summed over ``lateFrees``.
  public var lateFreedKilobytes: Int { lateFrees.reduce(0) { $0 + $1.kilobytes } }
}
