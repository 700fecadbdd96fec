public import MMCore

/// A simulated machine's memory with its `vm` sysctls: the physical memory and the watermark
/// state the kernel derives from the sysctls, kept in step.
///
/// Writing `min_free_kbytes` or `watermark_scale_factor` recomputes the watermarks from the
/// current managed pages; reading or writing `lowmem_reserve_ratio` recomputes lowmem_reserve;
/// switching THP on runs khugepaged's min_free_kbytes hook (zones-watermarks.md §2.3).
public struct SimulatedMachine: ~Copyable {
  /// The frames, free lists and per-cpu lists.
  public var memory: PhysicalMemory
  /// `min_free_kbytes`, the watermarks and lowmem_reserve as the kernel keeps them.
  public private(set) var reserves: WatermarkState
  /// The swap device (size 0: no swap).
  public internal(set) var swap: SwapDevice
  /// Pages whose writeback the last reclaim pass started (they complete by the next pass).
  var pendingWriteback: [PFN] = []
  /// Per zone, compaction's deferral after failures.
  var compactionDeferral: [Int: CompactionDeferral] = [:]
  /// `vm.extfrag_threshold` (default 500).
  public var extfragThreshold = 500
  /// Pages kswapd has been asked to reclaim for, per node, since it last ran (order and highest
  /// zone index of the largest request: `pgdat->kswapd_order`, `kswapd_highest_zoneidx`).
  public internal(set) var kswapdRequests: [Int: KswapdRequest] = [:]
  /// kswapd runs in a row that reclaimed nothing, per node (`pgdat->kswapd_failures`; a node at
  /// ``maxReclaimRetries`` is "hopeless").
  public internal(set) var kswapdFailures: [Int: Int] = [:]
  /// What kcompactd has been asked to compact for, per node, since it last ran.
  public internal(set) var kcompactdRequests: [Int: KcompactdRequest] = [:]
  /// Nodes whose kcompactd was woken (the request was suitable when made) and has not run yet.
  public internal(set) var kcompactdWoken: Set<Int> = []
  /// The tasks, by pid.
  public internal(set) var tasks: [Int: SimulatedTask] = [:]
  /// `vm.panic_on_oom`, `vm.oom_kill_allocating_task`, `vm.oom_dump_tasks`.
  public var oomPolicy = OOMPolicy()
  /// What each `out_of_memory()` call did, oldest first.
  public internal(set) var oomEvents: [OOMOutcome] = []
  /// The OOM reports the kernel printed, oldest first.
  public internal(set) var oomReports: [OOMReport] = []
  /// The memory cgroups by path; the root `/` always exists.
  public internal(set) var memcgs: [String: MemoryCgroup] = ["/": MemoryCgroup(path: "/")]
  /// The overcommit sysctls and `vm_committed_as` (Overcommit/); the page counts in it are the
  /// boot's, ``commitAccounting`` has the current ones.
  public internal(set) var overcommit: OvercommitAccounting
  /// Each mm's regions and what they committed, by mm (Tasks/SimulatedMachine+Mmap.swift).
  public internal(set) var addressSpaces: [Int: AddressSpace] = [:]
  /// Every commitment `__vm_enough_memory()` refused, oldest first.
  public internal(set) var commitRefusals: [CommitRefusal] = []

  /// What the boot sequence needs beyond the layout.
  public struct Boot: Sendable {
    /// Pages per zone freed after the boot computations (initrd, `__init` sections).
    public var lateFreedPages: [Int]
    /// THP's mode at boot; `nil` for a kernel without THP.
    public var transparentHugepage: TransparentHugepageMode?
    /// `vm.watermark_scale_factor`.
    public var watermarkScaleFactor: Int
    /// `vm.lowmem_reserve_ratio`, or the version's default.
    public var lowmemReserveRatio: [Int]?
    /// Swap space in pages (0: none).
    public var swapPages: Int

    /// Creates boot options.
    public init(
      lateFreedPages: [Int] = [], transparentHugepage: TransparentHugepageMode? = .never,
      watermarkScaleFactor: Int = 10, lowmemReserveRatio: [Int]? = nil, swapPages: Int = 0
    ) {
      self.swapPages = swapPages
      self.lateFreedPages = lateFreedPages
      self.transparentHugepage = transparentHugepage
      self.watermarkScaleFactor = watermarkScaleFactor
      self.lowmemReserveRatio = lowmemReserveRatio
    }
  }

  /// Boots a machine: every managed page free, watermarks and reserves as the kernel's boot
  /// sequence leaves them.
  public init(layout: MachineLayout, rules: AllocatorRules, boot: Boot = Boot()) {
    let fresh = PhysicalMemory(layout: layout, rules: rules)
    var cma: [Int] = []
    for zone in layout.zones.indices { cma.append(fresh.cmaPages(zone: zone)) }
    let zones = fresh.watermarkZones
    overcommit = Self.bootOvercommit(fresh, swapPages: boot.swapPages)
    memory = fresh
    swap = SwapDevice(totalPages: boot.swapPages)
    reserves = WatermarkState(
      booting: WatermarkState.BootConfiguration(
        version: rules.kernel, zones: zones, lateFreedPages: boot.lateFreedPages, cmaPages: cma,
        transparentHugepage: boot.transparentHugepage, pageblockOrder: layout.pageblockOrder,
        pageShift: layout.pageSize.trailingZeroBitCount,
        watermarkScaleFactor: boot.watermarkScaleFactor,
        lowmemReserveRatio: boot.lowmemReserveRatio))
    memory.applyWatermarks(reserves)
    memory.applyLowmemReserve(reserves)
  }

  /// Rebuilds a captured machine with the sysctls it had.
  ///
  /// The memory is seeded as ``PhysicalMemory/init(zoneInfo:pageTypeInfo:rules:)`` does; its
  /// watermarks and reserves stay the captured ones until a sysctl event recomputes them from
  /// the current managed pages. The captured `min_free_kbytes` is
  /// taken as user-set (a capture cannot tell), so a later THP switch does not lower it.
  /// The overcommit sysctls start as at boot (the reserves from the captured free memory) with
  /// nothing committed; write them to match the capture.
  ///
  /// - Throws: ``SeedError`` when the capture's counts cannot be laid out.
  public init(zoneInfo: ZoneInfo, pageTypeInfo: PageTypeInfo, sysVM: SysVM, rules: AllocatorRules)
    throws(SeedError)
  {
    let seeded = try PhysicalMemory(zoneInfo: zoneInfo, pageTypeInfo: pageTypeInfo, rules: rules)
    let zones = seeded.watermarkZones
    let layout = seeded.layout
    overcommit = Self.bootOvercommit(seeded, swapPages: 0)
    memory = seeded
    swap = SwapDevice(totalPages: 0)
    reserves = WatermarkState(
      version: rules.kernel, zones: zones, pageShift: layout.pageSize.trailingZeroBitCount,
      pageblockOrder: layout.pageblockOrder, transparentHugepage: nil,
      watermarkScaleFactor: sysVM.watermarkScaleFactor ?? 10,
      lowmemReserveRatio: sysVM.lowmemReserveRatio, userMinFreeKbytes: sysVM.minFreeKbytes)
  }

  /// `echo N > /proc/sys/vm/min_free_kbytes`.
  public mutating func writeMinFreeKbytes(_ kbytes: Int) {
    reserves.writeMinFreeKbytes(kbytes)
    memory.applyWatermarks(reserves)
  }

  /// `echo N > /proc/sys/vm/watermark_scale_factor`.
  public mutating func writeWatermarkScaleFactor(_ factor: Int) {
    reserves.writeWatermarkScaleFactor(factor)
    memory.applyWatermarks(reserves)
  }

  /// `cat /proc/sys/vm/lowmem_reserve_ratio` (a read recomputes lowmem_reserve).
  public mutating func readLowmemReserveRatio() -> [Int] {
    reserves.readLowmemReserveRatio()
    memory.applyLowmemReserve(reserves)
    return reserves.lowmemReserveRatio
  }

  /// `echo … > /proc/sys/vm/lowmem_reserve_ratio`.
  public mutating func writeLowmemReserveRatio(_ ratio: [Int]) {
    reserves.writeLowmemReserveRatio(ratio)
    memory.applyLowmemReserve(reserves)
  }

  /// `echo mode > /sys/kernel/mm/transparent_hugepage/enabled`.
  public mutating func writeTransparentHugepageEnabled(_ mode: TransparentHugepageMode) {
    reserves.writeTransparentHugepageEnabled(mode)
    memory.applyWatermarks(reserves)
  }
}

/// A swap device: its size and how much of it holds swapped-out pages.
public struct SwapDevice: Hashable, Sendable {
  /// Size in pages.
  public var totalPages: Int
  /// Pages in use.
  public var usedPages = 0
  /// Swap entries of each mm's anonymous memory (by owner id).
  public internal(set) var entries: [UInt32: Int] = [:]

  /// Creates a device of `totalPages` pages, empty.
  public init(totalPages: Int) { self.totalPages = totalPages }

  /// Pages still free.
  public var freePages: Int { totalPages - usedPages }

  /// Frees the swap entries of an mm that exited or was reaped.
  mutating func releaseEntries(of owner: UInt32) {
    usedPages -= entries.removeValue(forKey: owner) ?? 0
  }
}

extension PhysicalMemory {
  /// The zones as the watermark formulas see them: kind and managed pages, in layout order.
  public var watermarkZones: [WatermarkZone] {
    layout.zones.map { WatermarkZone(node: $0.node, $0.kind, managed: $0.managed) }
  }

  /// Installs the state's watermarks, keeping each zone's current boost
  /// (`setup_per_zone_wmarks()`; per-cpu `high` follows).
  public mutating func applyWatermarks(_ state: WatermarkState) {
    for zone in layout.zones.indices where zone < state.watermarks.count {
      var marks = state.watermarks[zone]
      marks.boost = settings[zone].watermarks.boost
      settings[zone].setWatermarks(marks, rules: rules)
    }
  }

  /// Installs the state's lowmem_reserve (`setup_per_zone_lowmem_reserve()`).
  public mutating func applyLowmemReserve(_ state: WatermarkState) {
    for zone in layout.zones.indices where zone < state.lowmemReserve.count {
      if state.lowmemReserve[zone].count == settings[zone].reserveCount {
        settings[zone].lowmemReserve = state.lowmemReserve[zone]
      }
    }
  }
}
