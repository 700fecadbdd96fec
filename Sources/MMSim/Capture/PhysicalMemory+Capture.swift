public import MMCore

extension MachineLayout {
  /// The layout a captured `/proc/zoneinfo` describes: every zone it prints with its
  /// `start_pfn`, spanned, present and managed pages; the pageblock order and configured
  /// migratetypes from `/proc/pagetypeinfo` when given.
  ///
  /// The architecture is inferred from the zones when not given: HighMem → i386, Device →
  /// x86_64, DMA32 → arm64, otherwise generic.
  ///
  /// - Throws: ``SeedError`` for a zone name the kernel does not use.
  public init(
    zoneInfo: ZoneInfo, pageTypeInfo: PageTypeInfo? = nil, architecture: Architecture? = nil
  ) throws(SeedError) {
    var zones: [ZoneLayout] = []
    var kinds: [ZoneKind] = []
    let pageblockPages = 1 << (pageTypeInfo?.pageblockOrder ?? 9)
    for (index, entry) in zoneInfo.entries.enumerated() {
      guard let kind = ZoneKind(kernelName: entry.zone) else {
        throw SeedError(zone: index, reason: "unknown zone name '\(entry.zone)'")
      }
      if entry.node == zoneInfo.entries.first?.node { kinds.append(kind) }
      var zone = ZoneLayout(
        node: entry.node, kind: kind, startPFN: entry.details?.startPFN ?? 0,
        spanned: entry.spanned, present: entry.present, managed: entry.managed)
      // Pageblocks the kernel did not count lie in a hole: put it at the end of the span.
      if let row = pageTypeInfo?.blockRows.first(where: {
        $0.node == entry.node && $0.zone == entry.zone
      }) {
        let counted = row.counts.reduce(0, +)
        zone.holeStartPFN = min(zone.endPFN, zone.startPFN + counted * pageblockPages)
      }
      zones.append(zone)
    }
    let inferred: Architecture =
      kinds.contains(.highmem)
      ? .i386 : kinds.contains(.device) ? .x86_64 : kinds.contains(.dma32) ? .arm64 : .generic
    let types = pageTypeInfo?.blockMigrateTypes.compactMap { $0 }
    self.init(
      architecture: architecture ?? inferred, pageblockOrder: pageTypeInfo?.pageblockOrder ?? 9,
      zones: zones, zoneKinds: kinds, migrateTypes: types)
  }
}

extension ZoneSeed {
  /// The seed of one captured zone: watermarks, boost and protection from its zoneinfo entry;
  /// pageblock and free-block counts from the matching pagetypeinfo rows (none when absent).
  public init(entry: ZoneInfo.Entry, pageTypeInfo: PageTypeInfo?) {
    var pageblocks: [MigrateType: Int] = [:]
    var free: [MigrateType: [Int]] = [:]
    if let info = pageTypeInfo {
      let types = info.blockMigrateTypes
      if let row = info.blockRows.first(where: { $0.node == entry.node && $0.zone == entry.zone }) {
        for (type, count) in zip(types, row.counts) { if let type { pageblocks[type] = count } }
      }
      for row in info.freeRows where row.node == entry.node && row.zone == entry.zone {
        if let type = row.migrateType { free[type] = row.counts }
      }
    }
    self.init(
      pageblocks: pageblocks, freeBlocks: free, watermarks: entry.watermarks,
      lowmemReserve: entry.protection)
    perCPU = entry.details?.pagesets.first.map { ($0.batch, $0.high) }
    if let stats = entry.details?.stats {
      for list in LRUList.allCases {
        lruPages[list] = stats.value(named: list.zoneStatName) ?? 0
      }
      writePendingPages = stats.value(named: "nr_zone_write_pending") ?? 0
    }
  }
}

extension PhysicalMemory {
  /// Rebuilds a machine from a captured zoneinfo and pagetypeinfo (see
  /// ``init(layout:rules:seeds:)``).
  ///
  /// - Throws: ``SeedError`` when the capture's counts cannot be laid out.
  public init(zoneInfo: ZoneInfo, pageTypeInfo: PageTypeInfo, rules: AllocatorRules)
    throws(SeedError)
  {
    let layout = try MachineLayout(zoneInfo: zoneInfo, pageTypeInfo: pageTypeInfo)
    let seeds = zoneInfo.entries.map { ZoneSeed(entry: $0, pageTypeInfo: pageTypeInfo) }
    try self.init(layout: layout, rules: rules, seeds: seeds)
  }
}
