public import MMCore

/// `/proc/meminfo` and `/proc/vmstat` of a simulated machine: the counters the model keeps, the
/// others printed as 0 (docs/fidelity.md lists which).
extension SimulatedMachine {
  /// `/proc/meminfo` in the 6.1 field order.
  ///
  /// Modelled: MemTotal, MemFree, MemAvailable (free
  /// less `totalreserve_pages`: no page cache or reclaimable slab yet), CommitLimit,
  /// Committed_AS, CmaTotal, CmaFree, Hugepagesize.
  public func memInfo() -> MemInfo {
    let layout = memory.layout
    let kilobytesPerPage = layout.pageSize / 1024
    let zones = layout.zones.indices
    let managed = zones.reduce(0) { $0 + layout.zones[$1].managed }
    let free = zones.reduce(0) { $0 + memory.freePages(zone: $1) }
    let cmaTotal = zones.reduce(0) { $0 + memory.cmaPages(zone: $1) }
    let cmaFree = zones.reduce(0) { $0 + memory.freeCMAPages(zone: $1) }
    let known: [String: Int] = [
      "MemTotal": managed * kilobytesPerPage, "MemFree": free * kilobytesPerPage,
      "MemAvailable": max(0, free - reserves.totalreservePages) * kilobytesPerPage,
      "CommitLimit": commitLimitPages * kilobytesPerPage,
      "Committed_AS": committedASPages * kilobytesPerPage,
      "CmaTotal": cmaTotal * kilobytesPerPage, "CmaFree": cmaFree * kilobytesPerPage,
      "Hugepagesize": (1 << (layout.pageblockOrder)) * kilobytesPerPage,
    ]
    var names = Self.memInfoNames
    if layout.migrateTypes.contains(.cma) {
      names.insert(
        contentsOf: ["CmaTotal", "CmaFree"],
        at: names.firstIndex(of: "HugePages_Total") ?? names.endIndex)
    }
    if layout.architecture == .x86_64 { names += ["DirectMap4k", "DirectMap2M"] }
    return MemInfo(
      fields: names.map { name in
        MemInfo.Field(name: name, value: known[name] ?? 0, hasUnit: !name.hasPrefix("HugePages_"))
      })
  }

  /// `/proc/vmstat` counters the model keeps: free pages, free CMA pages, `pgalloc_<zone>` for
  /// every configured zone kind, `pgfree`.
  public func vmStat() -> VMStat {
    let layout = memory.layout
    let zones = layout.zones.indices
    var counters = [
      NamedValue(name: "nr_free_pages", value: zones.reduce(0) { $0 + memory.freePages(zone: $1) }),
      NamedValue(
        name: "nr_free_cma", value: zones.reduce(0) { $0 + memory.freeCMAPages(zone: $1) }),
    ]
    for kind in layout.zoneKinds {
      let pages = zones.filter { layout.zones[$0].kind == kind }
        .reduce(0) { $0 + memory.allocatedPages(zone: $1) }
      counters.append(NamedValue(name: "pgalloc_" + kind.kernelName.lowercased(), value: pages))
    }
    counters.append(
      NamedValue(name: "pgfree", value: zones.reduce(0) { $0 + memory.freedPages(zone: $1) }))
    return VMStat(counters: counters)
  }

  /// The 6.1 `/proc/meminfo` names before the optional CMA and DirectMap lines.
  static let memInfoNames = [
    "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
    "Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
    "SwapTotal", "SwapFree", "Zswap", "Zswapped", "Dirty", "Writeback", "AnonPages", "Mapped",
    "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
    "SecPageTables", "NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "Committed_AS",
    "VmallocTotal", "VmallocUsed", "VmallocChunk", "Percpu", "HardwareCorrupted",
    "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages", "FilePmdMapped",
    "HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp", "Hugepagesize",
    "Hugetlb",
  ]
}
