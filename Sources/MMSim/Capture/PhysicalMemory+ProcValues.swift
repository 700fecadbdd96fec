public import MMCore

/// The simulated machine's state as the values of `/proc/buddyinfo`, `/proc/pagetypeinfo` and
/// `/proc/zoneinfo` (MMText renders them).
///
/// Counters the allocator model does not keep (LRU sizes, slab, NUMA events, …) are printed as
/// 0; docs/fidelity.md lists which are modelled.
extension PhysicalMemory {
  /// `/proc/buddyinfo`: one row per populated zone.
  public func buddyInfo() -> BuddyInfo {
    BuddyInfo(
      rows: layout.zones.indices.filter { layout.zones[$0].isPopulated }.map { zone in
        BuddyInfo.Row(
          node: layout.zones[zone].node, zone: layout.zones[zone].kind.kernelName,
          freeBlocks: freeBlocks(zone: zone))
      })
  }

  /// `/proc/pagetypeinfo`: free blocks per populated zone × configured migratetype × order
  /// (counts of 100000 and more printed capped, as 5.5+ kernels do), then pageblocks per type.
  public func pageTypeInfo() -> PageTypeInfo {
    let zones = layout.zones.indices.filter { layout.zones[$0].isPopulated }
    var freeRows: [PageTypeInfo.FreeRow] = []
    for zone in zones {
      let byType = freeBlocksByType(zone: zone)
      for type in layout.migrateTypes {
        let counts = byType[type.rawValue].map { min($0, Self.freeCountCap) }
        let capped = Set(counts.indices.filter { counts[$0] >= Self.freeCountCap })
        freeRows.append(
          PageTypeInfo.FreeRow(
            node: layout.zones[zone].node, zone: layout.zones[zone].kind.kernelName,
            type: type.kernelName, counts: counts, cappedOrders: capped))
      }
    }
    let blockRows = zones.map { zone in
      let counts = pageblockCounts(zone: zone)
      return PageTypeInfo.BlockRow(
        node: layout.zones[zone].node, zone: layout.zones[zone].kind.kernelName,
        counts: layout.migrateTypes.map { counts[$0.rawValue] })
    }
    return PageTypeInfo(
      pageblockOrder: layout.pageblockOrder, pagesPerBlock: layout.pageblockPages,
      freeRows: freeRows, blockTypeNames: layout.migrateTypes.map(\.kernelName),
      blockRows: blockRows)
  }

  /// `pagetypeinfo_showfree_print()` stops counting at 100000 and prints `>100000`.
  static let freeCountCap = 100_000

  /// `/proc/zoneinfo` of the 6.1 shape: every zone; watermarks printed with the boost; `promo`
  /// from 6.10 and `cma` from 5.9 (first releases UNVERIFIED: 6.1 prints `cma` but not `promo`,
  /// 6.18 prints both).
  public func zoneInfo() -> ZoneInfo {
    var seenNodes: Set<Int> = []
    let entries = layout.zones.indices.map { zone -> ZoneInfo.Entry in
      let span = layout.zones[zone]
      let marks = settings[zone].watermarks
      var nodeStats: [NamedValue]?
      if span.isPopulated && !seenNodes.contains(span.node) {
        seenNodes.insert(span.node)
        nodeStats = Self.nodeStatNames.map { NamedValue(name: $0, value: 0) }
      }
      let free = counters[zone].freePages
      var details: ZoneInfo.Details?
      if span.isPopulated {
        let stats = Self.zoneStatNames.map { name in
          NamedValue(
            name: name,
            value: name == "nr_free_pages"
              ? free : name == "nr_free_cma" ? counters[zone].freeCMAPages : 0)
        }
        let pageset = ZoneInfo.Pageset(
          cpu: 0, count: counters[zone].perCPUPages, high: settings[zone].perCPUHigh,
          batch: settings[zone].perCPUBatch, statThreshold: statThreshold(managed: span.managed))
        details = ZoneInfo.Details(
          stats: stats, numaStats: Self.numaStatNames.map { NamedValue(name: $0, value: 0) },
          pagesets: [pageset], nodeUnreclaimable: false, startPFN: span.startPFN)
      }
      return ZoneInfo.Entry(
        node: span.node, zone: span.kind.kernelName, nodeStats: nodeStats, free: free,
        boost: marks.boost, min: marks.min + marks.boost, low: marks.low + marks.boost,
        high: marks.high + marks.boost,
        promo: rules.kernel.isAtLeast(6, 10) ? marks.promo + marks.boost : nil,
        spanned: span.spanned, present: span.present, managed: span.managed,
        cma: rules.kernel.isAtLeast(5, 9) ? cmaPages(zone: zone) : nil,
        protection: settings[zone].lowmemReserve, details: details)
    }
    return ZoneInfo(entries: entries)
  }

  /// Pages of the zone in CMA pageblocks (`zone->cma_pages`; CMA pageblocks never change type).
  func cmaPages(zone: Int) -> Int {
    pageblockCounts(zone: zone)[MigrateType.cma.rawValue] * layout.pageblockPages
  }

  /// `calculate_normal_threshold()` for one online cpu: 2 × fls(cpus) × (1 + fls(managed >>
  /// (27 − PAGE_SHIFT))), at most 125.
  func statThreshold(managed: Int) -> Int {
    let pageShift = layout.pageSize.trailingZeroBitCount
    let mem = managed >> (27 - pageShift)
    let fls = { (x: Int) in x == 0 ? 0 : Int.bitWidth - x.leadingZeroBitCount }
    return min(2 * fls(1) * (1 + fls(mem)), 125)
  }

  /// `node_stat_item` names of 6.1 (`vmstat_text`), in zoneinfo order.
  static let nodeStatNames = [
    "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
    "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
    "workingset_nodes", "workingset_refault_anon", "workingset_refault_file",
    "workingset_activate_anon", "workingset_activate_file", "workingset_restore_anon",
    "workingset_restore_file", "workingset_nodereclaim", "nr_anon_pages", "nr_mapped",
    "nr_file_pages", "nr_dirty", "nr_writeback", "nr_writeback_temp", "nr_shmem",
    "nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages", "nr_file_pmdmapped",
    "nr_anon_transparent_hugepages", "nr_vmscan_write", "nr_vmscan_immediate_reclaim",
    "nr_dirtied", "nr_written", "nr_throttled_written", "nr_kernel_misc_reclaimable",
    "nr_foll_pin_acquired", "nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages",
    "nr_sec_page_table_pages", "nr_swapcached", "pgpromote_success", "pgpromote_candidate",
  ]

  /// `zone_stat_item` names of 6.1, in zoneinfo order.
  static let zoneStatNames = [
    "nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
    "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
    "nr_bounce", "nr_zspages", "nr_free_cma",
  ]

  /// `numa_stat_item` names of 6.1.
  static let numaStatNames = [
    "numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
  ]
}
