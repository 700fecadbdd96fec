/// `echo N > /proc/sys/vm/drop_caches` (fs/drop_caches.c): 1 frees the clean page cache, 2 the
/// reclaimable slab, 3 both. Dirty pages and pages under writeback stay (the kernel does not
/// write anything back for drop_caches); mapped cache is not modelled, so all clean cache goes.
extension SimulatedMachine {
  /// Which caches `drop_caches` frees.
  public struct DropCaches: OptionSet, Hashable, Sendable {
    /// The sysctl's value.
    public var rawValue: Int
    /// Creates the set from the sysctl's value (1, 2 or 3).
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// 1: clean page cache.
    public static let pageCache = DropCaches(rawValue: 1)
    /// 2: reclaimable slab (dentries and inodes).
    public static let slab = DropCaches(rawValue: 2)
  }

  /// Frees what `caches` names and returns the pages freed.
  @discardableResult
  public mutating func dropCaches(_ caches: DropCaches) -> Int {
    var freed = 0
    for zone in memory.layout.zones.indices where memory.layout.zones[zone].managed > 0 {
      let span = memory.layout.zones[zone]
      var pfn = span.startPFN
      while pfn < span.holeStartPFN {
        let frame = memory.frames[memory.frameIndex(PFN(pfn))]
        let size = frame.blockSpan
        if frame.state == .allocatedHead
          && ((caches.contains(.pageCache) && frame.use == .file)
            || (caches.contains(.slab) && frame.use == .slabReclaimable))
        {
          freeBlock(PFN(pfn), order: Int(frame.order))
          freed += size
        }
        pfn += size
      }
    }
    return freed
  }
}
