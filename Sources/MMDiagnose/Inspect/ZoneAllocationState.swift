public import MMCore

/// What the page allocator's watermark check reads about one zone, from a capture (zoneinfo with
/// pagetypeinfo or buddyinfo) or from a report's `Mem-Info:` block.
public struct ZoneAllocationState: Sendable {
  /// The NUMA node id (0 when the report does not print it).
  public var node: Int
  /// The zone's kind.
  public var kind: ZoneKind
  /// `NR_FREE_PAGES`, `NR_FREE_CMA_PAGES` and `nr_reserved_highatomic`; the lowmem reserve is
  /// filled in per request.
  public var counts: WatermarkCheckZone
  /// The watermarks and boost.
  public var marks: ZoneWatermarks
  /// `lowmem_reserve[]`, one entry per configured zone type.
  public var protection: [Int]
  /// The migratetypes with a free block, per order from 0; `nil` types when the source does not
  /// say (buddyinfo), in which case every block counts for every ordinary type.
  public var freeLists: [Set<MigrateType>?]

  /// Creates the state from its parts.
  public init(
    node: Int, kind: ZoneKind, counts: WatermarkCheckZone, marks: ZoneWatermarks,
    protection: [Int], freeLists: [Set<MigrateType>?]
  ) {
    self.node = node
    self.kind = kind
    self.counts = counts
    self.marks = marks
    self.protection = protection
    self.freeLists = freeLists
  }

  /// Whether the free list of `order` and `type` holds a block.
  public func hasFreeBlock(order: Int, type: MigrateType) -> Bool {
    guard order < freeLists.count, let types = freeLists[order] else {
      return order < freeLists.count && type != .cma && type != .highAtomic
    }
    return types.contains(type)
  }
}

extension ZoneAllocationState {
  /// A captured zone: its zoneinfo entry, with the free lists of pagetypeinfo (migratetypes
  /// known; its HighAtomic pageblocks give the high-atomic reserve) or else buddyinfo (orders
  /// only); `nil` for an unpopulated zone or one of a kind oomlab does not model.
  public init?(entry: ZoneInfo.Entry, pageTypeInfo: PageTypeInfo?, buddyInfo: BuddyInfo?) {
    guard entry.isPopulated, let kind = ZoneKind(kernelName: entry.zone) else { return nil }
    let typed = pageTypeInfo?.freeRows.filter { $0.node == entry.node && $0.zone == entry.zone }
    var lists: [Set<MigrateType>?]
    var reserved = 0
    if let typed, !typed.isEmpty, let pageTypeInfo {
      let orders = typed.map(\.counts.count).max() ?? 0
      lists = (0..<orders).map { order in
        Set(
          typed.filter { order < $0.counts.count && $0.counts[order] > 0 }.compactMap(\.migrateType)
        )
      }
      let blocks = pageTypeInfo.blockRows.first { $0.node == entry.node && $0.zone == entry.zone }
      if let blocks,
        let column = pageTypeInfo.blockMigrateTypes.firstIndex(of: .highAtomic),
        column < blocks.counts.count
      {
        reserved = blocks.counts[column] &* pageTypeInfo.pagesPerBlock
      }
    } else if let row = buddyInfo?.rows.first(where: {
      $0.node == entry.node && $0.zone == entry.zone
    }) {
      lists = row.freeBlocks.map { $0 > 0 ? nil : [] }
    } else {
      lists = []
    }
    let cma = entry.details?.stats.first { $0.name == "nr_free_cma" }?.value ?? 0
    self.init(
      node: entry.node, kind: kind,
      counts: WatermarkCheckZone(
        freePages: entry.free, freeCMAPages: cma, reservedHighAtomic: reserved, lowmemReserve: 0),
      marks: entry.watermarks, protection: entry.protection, freeLists: lists)
  }

  /// The zones of a report's `Mem-Info:` block that have a zone line and a free-block line, in
  /// print order; kB values are turned into pages with the block line's page size.
  public static func zones(reportedIn showMem: ShowMem) -> [ZoneAllocationState] {
    ReportedZone.zones(of: showMem, sourceLines: []).compactMap { reported in
      guard let kind = reported.state.kind, let area = reported.freeArea else { return nil }
      let page = reported.pageKilobytes
      func pages(_ name: String) -> Int { (reported.state[name] ?? 0) / page }
      let marks = ZoneWatermarks(
        min: pages("min") &- pages("boost"), low: pages("low") &- pages("boost"),
        high: pages("high") &- pages("boost"), boost: pages("boost"))
      let lists: [Set<MigrateType>?] = area.orders.map { entry in
        guard entry.count > 0 else { return [] }
        return entry.migrateTypes.map(Set.init)
      }
      return ZoneAllocationState(
        node: reported.state.node ?? 0, kind: kind, counts: reported.watermarkInputs,
        marks: marks, protection: reported.lowmemReserve ?? [], freeLists: lists)
    }
  }
}
