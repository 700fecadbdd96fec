/// One zone as the watermark formulas see it: its node, its type and its managed pages.
///
/// A node lists every zone the kernel was built with, in `enum zone_type` order and empty ones
/// included, as `/proc/zoneinfo` does (x86_64: DMA, DMA32, Normal, Movable, Device). A zone's
/// position within its node is its `zone_idx()`, which indexes `lowmem_reserve_ratio` and the
/// `protection` arrays. Zones of several nodes follow each other node by node.
///
/// Kernel: `struct zone` (`zone_to_nid()`, `zone_idx()`, `zone_managed_pages()`) in
/// `include/linux/mmzone.h`.
public struct WatermarkZone: Hashable, Sendable {
  /// The NUMA node (`Node N` in `/proc/zoneinfo`).
  public var node: Int
  /// The zone type.
  public var kind: ZoneKind
  /// `managed_pages`: the pages the buddy allocator owns (present minus reserved), in pages.
  public var managed: Int

  /// Creates a zone.
  public init(node: Int = 0, _ kind: ZoneKind, managed: Int) {
    self.node = node
    self.kind = kind
    self.managed = managed
  }

  /// Whether the zone has pages (the kernel's `populated_zone()` tests `present_pages`; a zone
  /// with present pages but none managed does not occur in practice).
  var isPopulated: Bool { managed > 0 }

  /// Whether a `GFP_USER` request may use the zone (DMA, DMA32, Normal).
  ///
  /// The kernel's `zone_idx(zone) <= gfp_zone(GFP_USER)`, used by `nr_free_buffer_pages()` and
  /// khugepaged's zone count.
  var isUserZone: Bool { kind <= .normal }
}

extension [WatermarkZone] {
  /// The index range of each node's zones, in order.
  var nodeRanges: [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = startIndex
    while start < endIndex {
      var end = start + 1
      while end < endIndex && self[end].node == self[start].node { end += 1 }
      ranges.append(start..<end)
      start = end
    }
    return ranges
  }

  /// Each zone's position within its node (`zone_idx()`).
  var zoneIndices: [Int] {
    var indices = [Int](repeating: 0, count: count)
    for range in nodeRanges {
      for i in range { indices[i] = i - range.lowerBound }
    }
    return indices
  }
}
