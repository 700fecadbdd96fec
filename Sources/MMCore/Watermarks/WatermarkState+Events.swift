// MARK: - Boot and memory hotplug

extension WatermarkState {
  /// The first computation at boot, rerun on memory hotplug: the square-root `min_free_kbytes`
  /// over the `GFP_USER` pages above the current high watermarks (all 0 at boot), then the
  /// watermarks and `lowmem_reserve` from the current managed pages.
  ///
  /// Kernel: `init_per_zone_wmark_min()` (a `postcore_initcall` from 5.9, a `core_initcall`
  /// before; also called by `online_pages()` / `offline_pages()`).
  public mutating func initPerZoneWmarkMin() {
    calculateMinFreeKbytes()
    setupPerZoneWmarks()
    setupPerZoneLowmemReserve()
  }

  /// Adds pages to (or takes them from) a zone's managed count without recomputing anything.
  ///
  /// This is how the initrd and the kernel's `__init` sections reach the buddy allocator after
  /// the boot computations (`Freeing initrd memory: NK`, `Freeing unused kernel … memory: NK`),
  /// how CMA areas are activated, and how drivers such as balloons take pages away
  /// (zones-watermarks.md §1, §2.4).
  ///
  /// - Parameter zone: the index of the zone in ``zones``.
  ///
  /// Kernel: `adjust_managed_page_count()` (called by `free_reserved_area()` and
  /// `init_cma_reserved_pageblock()`).
  public mutating func adjustManagedPageCount(zone: Int, by pages: Int) {
    zones[zone].managed += pages
  }

  /// The THP initcall: on a machine with less than 512 MiB of managed memory it switches THP
  /// off and does nothing else; otherwise it starts (or not) khugepaged, which runs the
  /// recommended-`min_free_kbytes` hook (``writeTransparentHugepageEnabled(_:)`` describes it).
  ///
  /// - Parameter smallMemory: whether `totalram_pages()` is below 512 MiB at this point; `nil`
  ///   computes it from the current managed pages of all zones.
  ///
  /// Kernel: `hugepage_init()` (a `subsys_initcall`) in `mm/huge_memory.c`.
  public mutating func hugepageInit(smallMemory: Bool? = nil) {
    guard transparentHugepage != nil else { return }
    let totalram = zones.reduce(0) { $0 + $1.managed }
    if smallMemory ?? (totalram < 512 << (20 - pageShift)) {
      transparentHugepage = .never
      return
    }
    startStopKhugepaged()
  }
}

// MARK: - Run time

extension WatermarkState {
  /// Writing `vm.min_free_kbytes`: the value becomes the user's, and the watermarks are
  /// recomputed from the current managed pages; `lowmem_reserve` is not (zones-watermarks.md
  /// §2.3).
  ///
  /// Kernel: `min_free_kbytes_sysctl_handler()` → `setup_per_zone_wmarks()`.
  public mutating func writeMinFreeKbytes(_ kbytes: Int) {
    minFreeKbytes = kbytes
    userMinFreeKbytes = kbytes
    setupPerZoneWmarks()
  }

  /// Writing `vm.watermark_scale_factor`: the watermarks are recomputed from the current managed
  /// pages; `lowmem_reserve` is not.
  ///
  /// Kernel: `watermark_scale_factor_sysctl_handler()` → `setup_per_zone_wmarks()`.
  public mutating func writeWatermarkScaleFactor(_ factor: Int) {
    watermarkScaleFactor = factor
    setupPerZoneWmarks()
  }

  /// Reading `vm.lowmem_reserve_ratio` (`cat`, `sysctl -a`): `lowmem_reserve` is recomputed
  /// from the current managed pages, reads included (zones-watermarks.md §4.3a).
  ///
  /// Kernel: `lowmem_reserve_ratio_sysctl_handler()` → `setup_per_zone_lowmem_reserve()`.
  public mutating func readLowmemReserveRatio() {
    setupPerZoneLowmemReserve()
  }

  /// Writing `vm.lowmem_reserve_ratio` (one entry per `zone_idx()`): `lowmem_reserve` is
  /// recomputed from the current managed pages.
  ///
  /// Kernel: `lowmem_reserve_ratio_sysctl_handler()` → `setup_per_zone_lowmem_reserve()`.
  public mutating func writeLowmemReserveRatio(_ ratio: [Int]) {
    lowmemReserveRatio = ratio
    setupPerZoneLowmemReserve()
  }

  /// Writing `/sys/kernel/mm/transparent_hugepage/enabled`: khugepaged is started or stopped and
  /// the recommended-`min_free_kbytes` hook runs with the high watermarks of this moment.
  ///
  /// With THP on, `min_free_kbytes` rises to
  /// ``WatermarkFormulas/recommendedMinFreeKbytes(_:watermarks:pageblockOrder:version:pageShift:)``
  /// if that is higher (never lowers it), and the watermarks are recomputed either way. With THP
  /// off, 5.16+ reruns the square-root rule (keeping a larger user value) and recomputes the
  /// watermarks; older kernels do nothing. No-op on a kernel without THP.
  ///
  /// Kernel: `enabled_store()` → `start_stop_khugepaged()` → `set_recommended_min_free_kbytes()`
  /// in `mm/khugepaged.c`.
  public mutating func writeTransparentHugepageEnabled(_ mode: TransparentHugepageMode) {
    guard transparentHugepage != nil else { return }
    transparentHugepage = mode
    startStopKhugepaged()
  }

  /// Kernel: `start_stop_khugepaged()`: the hook runs when khugepaged runs, and from 5.16 also
  /// when it stops.
  mutating func startStopKhugepaged() {
    let enabled = transparentHugepage?.startsKhugepaged ?? false
    if enabled || WatermarkRules(version).thpHookRunsWhenOff {
      setRecommendedMinFreeKbytes()
    }
  }

  /// Kernel: `set_recommended_min_free_kbytes()`.
  mutating func setRecommendedMinFreeKbytes() {
    if transparentHugepage?.startsKhugepaged ?? false {
      let recommended = WatermarkFormulas.recommendedMinFreeKbytes(
        zones, watermarks: watermarks, pageblockOrder: pageblockOrder, version: version,
        pageShift: pageShift)
      if recommended > minFreeKbytes { minFreeKbytes = recommended }
    } else {
      calculateMinFreeKbytes()
    }
    setupPerZoneWmarks()
  }
}
