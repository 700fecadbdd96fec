extension WatermarkState {
  /// What the boot computations need to know about a machine (zones-watermarks.md §2.3).
  public struct BootConfiguration: Hashable, Sendable {
    /// The kernel whose rules apply.
    public var version: KernelVersion
    /// Every zone with its final managed pages (what `/proc/zoneinfo` shows once booted).
    public var zones: [WatermarkZone]
    /// Per zone, the pages freed after the boot computations, in pages (empty for none).
    ///
    /// The initrd and the `__init` sections: `Freeing initrd memory`, `Freeing unused decrypted
    /// memory`, `Freeing unused kernel image (…) memory`, arm64's `Freeing unused kernel
    /// memory`.
    public var lateFreedPages: [Int]
    /// Per zone, the CMA pages (empty for none).
    ///
    /// As zoneinfo's `cma` line or show_mem's `pages cma reserved` give them. They matter only
    /// before 5.9, whose first computation ran before the CMA areas joined managed (§2.4).
    public var cmaPages: [Int]
    /// The THP mode at boot (the config default or `transparent_hugepage=`), `nil` for a kernel
    /// without THP.
    public var transparentHugepage: TransparentHugepageMode?
    /// Whether `hugepage_init()` finds less than 512 MiB of managed memory and switches THP off;
    /// `nil` computes it from the managed pages at that point (final − late frees).
    public var smallMemory: Bool?
    /// `pageblock_order`.
    public var pageblockOrder: Int
    /// `PAGE_SHIFT`.
    public var pageShift: Int
    /// `vm.watermark_scale_factor` in force during boot.
    public var watermarkScaleFactor: Int
    /// `vm.lowmem_reserve_ratio` in force during boot, `nil` for the version's default.
    public var lowmemReserveRatio: [Int]?
    /// A `min_free_kbytes` the user set before the boot computations, `nil` for none.
    public var userMinFreeKbytes: Int?

    /// Creates a configuration; defaults are 4 KiB pages, 2 MiB pageblocks, THP `always`, the
    /// version's default sysctls, no late frees and no CMA.
    public init(
      version: KernelVersion, zones: [WatermarkZone], lateFreedPages: [Int] = [],
      cmaPages: [Int] = [], transparentHugepage: TransparentHugepageMode? = .always,
      smallMemory: Bool? = nil, pageblockOrder: Int = 9, pageShift: Int = 12,
      watermarkScaleFactor: Int = 10, lowmemReserveRatio: [Int]? = nil,
      userMinFreeKbytes: Int? = nil
    ) {
      self.version = version
      self.zones = zones
      self.lateFreedPages = lateFreedPages
      self.cmaPages = cmaPages
      self.transparentHugepage = transparentHugepage
      self.smallMemory = smallMemory
      self.pageblockOrder = pageblockOrder
      self.pageShift = pageShift
      self.watermarkScaleFactor = watermarkScaleFactor
      self.lowmemReserveRatio = lowmemReserveRatio
      self.userMinFreeKbytes = userMinFreeKbytes
    }
  }

  /// The state of a booted kernel at the moment `/init` runs: the as-booted `min_free_kbytes`,
  /// watermarks and `lowmem_reserve`, with ``zones`` at their final managed pages.
  ///
  /// The sequence (zones-watermarks.md §2.3, §2.4):
  /// 1. ``initPerZoneWmarkMin()`` over final − late-freed pages (− CMA pages before 5.9);
  /// 2. before 5.9, the CMA areas join managed (``adjustManagedPageCount(zone:by:)``);
  /// 3. ``hugepageInit(smallMemory:)``: THP off below 512 MiB, else the khugepaged hook (THP on:
  ///    raise to the recommended value; THP off, 5.16+: the square-root rule again over the
  ///    pages above the step-1 high watermarks), with watermarks recomputed;
  /// 4. the late frees join managed, recomputing nothing.
  ///
  /// A CMA area on a pre-5.9 kernel is therefore left out of the boot watermarks but counted in
  /// khugepaged's hook.
  public init(booting boot: BootConfiguration) {
    let rules = WatermarkRules(boot.version)
    func perZone(_ values: [Int], _ i: Int) -> Int { i < values.count ? values[i] : 0 }
    var early = boot.zones
    for i in early.indices {
      early[i].managed -= perZone(boot.lateFreedPages, i)
      if !rules.cmaCountedAtBoot { early[i].managed -= perZone(boot.cmaPages, i) }
    }
    self.init(
      version: boot.version, zones: early, pageShift: boot.pageShift,
      pageblockOrder: boot.pageblockOrder, transparentHugepage: boot.transparentHugepage,
      watermarkScaleFactor: boot.watermarkScaleFactor,
      lowmemReserveRatio: boot.lowmemReserveRatio, userMinFreeKbytes: boot.userMinFreeKbytes)
    initPerZoneWmarkMin()
    if !rules.cmaCountedAtBoot {
      for i in zones.indices { adjustManagedPageCount(zone: i, by: perZone(boot.cmaPages, i)) }
    }
    hugepageInit(smallMemory: boot.smallMemory)
    for i in zones.indices { adjustManagedPageCount(zone: i, by: perZone(boot.lateFreedPages, i)) }
  }
}
