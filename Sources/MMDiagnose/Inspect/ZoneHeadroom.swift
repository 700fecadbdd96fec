public import MMCore

/// One zone's free pages against its watermarks, and what the slow path could still get from
/// it: LRU pages to reclaim and pages compaction could gather into larger blocks.
///
/// Watermarks include the boost, as the allocator uses them. Megabytes are MiB, to one decimal.
public struct ZoneHeadroom: Codable, Hashable, Sendable {
  /// `NR_FREE_PAGES`.
  public var freePages: Int
  /// Free pages in CMA pageblocks (`nr_free_cma`), usable only by movable requests.
  public var freeCMAPages: Int
  /// The min, low and high watermarks (boost included), in pages.
  public var minPages: Int
  /// See ``minPages``.
  public var lowPages: Int
  /// See ``minPages``.
  public var highPages: Int
  /// ``freePages`` in MiB.
  public var freeMB: Double
  /// The watermarks in MiB.
  public var minMB: Double
  /// See ``minMB``.
  public var lowMB: Double
  /// See ``minMB``.
  public var highMB: Double
  /// File LRU pages in the zone (`nr_zone_active_file` + `nr_zone_inactive_file`).
  public var fileLRUPages: Int?
  /// Anon LRU pages in the zone (`nr_zone_active_anon` + `nr_zone_inactive_anon`); reclaimable
  /// only to swap.
  public var anonLRUPages: Int?
  /// Pages in Movable pageblocks (pagetypeinfo's block counts × pageblock size).
  public var movableBlockPages: Int?
  /// Free pages on the Movable free lists (pagetypeinfo).
  public var movableFreePages: Int?
  /// An upper bound on the pages compaction could gather: the Movable lists' free pages plus the
  /// zone's LRU pages, at most the Movable pageblocks' size.
  public var compactablePages: Int?

  /// The headroom of a zoneinfo entry, with pagetypeinfo's counts when given.
  public init(entry: ZoneInfo.Entry, pageTypeInfo: PageTypeInfo?, pageShift: Int = 12) {
    func stat(_ name: String) -> Int? { entry.details?.stats.first { $0.name == name }?.value }
    func megabytes(_ pages: Int) -> Double {
      (Double(pages << pageShift) / Double(1 << 20) * 10).rounded() / 10
    }
    freePages = entry.free
    freeCMAPages = stat("nr_free_cma") ?? 0
    minPages = entry.min
    lowPages = entry.low
    highPages = entry.high
    freeMB = megabytes(entry.free)
    minMB = megabytes(entry.min)
    lowMB = megabytes(entry.low)
    highMB = megabytes(entry.high)
    if let active = stat("nr_zone_active_file"), let inactive = stat("nr_zone_inactive_file") {
      fileLRUPages = active &+ inactive
    }
    if let active = stat("nr_zone_active_anon"), let inactive = stat("nr_zone_inactive_anon") {
      anonLRUPages = active &+ inactive
    }
    guard let pageTypeInfo,
      let blocks = pageTypeInfo.blockRows.first(where: {
        $0.node == entry.node && $0.zone == entry.zone
      }),
      let column = pageTypeInfo.blockMigrateTypes.firstIndex(of: .movable),
      column < blocks.counts.count
    else { return }
    let movable = blocks.counts[column] &* pageTypeInfo.pagesPerBlock
    let free = pageTypeInfo.freeRows.filter {
      $0.node == entry.node && $0.zone == entry.zone && $0.migrateType == .movable
    }.reduce(0) { total, row in
      row.counts.enumerated().reduce(total) { $0 &+ ($1.element << $1.offset) }
    }
    movableBlockPages = movable
    movableFreePages = free
    compactablePages = min(movable, free &+ (fileLRUPages ?? 0) &+ (anonLRUPages ?? 0))
  }
}
