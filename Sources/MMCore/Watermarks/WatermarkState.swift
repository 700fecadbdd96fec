/// The watermark-related state of one kernel: managed pages, sysctls, `min_free_kbytes`, every
/// zone's watermarks and `lowmem_reserve`, and `totalreserve_pages`.
///
/// It changes only through mutating methods named after the kernel events that recompute
/// something (``initPerZoneWmarkMin()``, ``hugepageInit(smallMemory:)``,
/// ``writeMinFreeKbytes(_:)``, ``readLowmemReserveRatio()``, …), so a simulator replays a
/// history by calling them in order, and each value is what the kernel computed at the last
/// event that touched it. Nothing is recomputed when managed pages merely change
/// (``adjustManagedPageCount(zone:by:)``): that is why a running kernel's watermarks can lag
/// behind its managed pages (zones-watermarks.md §1, §2.3). ``init(booting:)`` runs the boot
/// sequence.
///
/// Kernel: the globals `min_free_kbytes`, `user_min_free_kbytes`, `watermark_scale_factor`,
/// `sysctl_lowmem_reserve_ratio[]`, `totalreserve_pages` and `zone->_watermark[]`,
/// `zone->lowmem_reserve[]` in `mm/page_alloc.c`.
public struct WatermarkState: Hashable, Sendable {
  /// The kernel whose rules apply.
  public let version: KernelVersion
  /// `PAGE_SHIFT` (12 for 4 KiB pages).
  public let pageShift: Int
  /// `pageblock_order` (9 for 2 MiB pageblocks of 4 KiB pages).
  public let pageblockOrder: Int
  /// Every zone with its current managed pages.
  public internal(set) var zones: [WatermarkZone]
  /// Each zone's watermarks as last computed (boost 0 after each computation).
  public internal(set) var watermarks: [ZoneWatermarks]
  /// Each zone's `lowmem_reserve[]` as last computed.
  public internal(set) var lowmemReserve: [[Int]]
  /// `totalreserve_pages` as last computed.
  public internal(set) var totalreservePages: Int
  /// `vm.min_free_kbytes`.
  public internal(set) var minFreeKbytes: Int
  /// The last value written to `vm.min_free_kbytes`, `nil` if never (the kernel's −1).
  public internal(set) var userMinFreeKbytes: Int?
  /// `vm.watermark_scale_factor`.
  public internal(set) var watermarkScaleFactor: Int
  /// `vm.lowmem_reserve_ratio`, indexed by `zone_idx()`.
  public internal(set) var lowmemReserveRatio: [Int]
  /// The THP mode, `nil` on a kernel without THP.
  public internal(set) var transparentHugepage: TransparentHugepageMode?

  /// A kernel before its first watermark computation: `min_free_kbytes` 1024 (its static
  /// initializer) or the user's value, all watermarks and reserves 0.
  ///
  /// - Parameters:
  ///   - zones: every zone with the managed pages it has at this point.
  ///   - lowmemReserveRatio: `nil` for the version's default
  ///     (``WatermarkFormulas/defaultLowmemReserveRatio(_:version:)`` of the first node).
  ///   - userMinFreeKbytes: a `min_free_kbytes` set before the computations, `nil` for none.
  public init(
    version: KernelVersion, zones: [WatermarkZone], pageShift: Int = 12, pageblockOrder: Int = 9,
    transparentHugepage: TransparentHugepageMode? = .always, watermarkScaleFactor: Int = 10,
    lowmemReserveRatio: [Int]? = nil, userMinFreeKbytes: Int? = nil
  ) {
    self.version = version
    self.pageShift = pageShift
    self.pageblockOrder = pageblockOrder
    self.zones = zones
    self.transparentHugepage = transparentHugepage
    self.watermarkScaleFactor = watermarkScaleFactor
    self.userMinFreeKbytes = userMinFreeKbytes
    minFreeKbytes = userMinFreeKbytes ?? 1024
    let firstNode = zones.nodeRanges.first.map { zones[$0].map(\.kind) } ?? []
    self.lowmemReserveRatio =
      lowmemReserveRatio
      ?? WatermarkFormulas.defaultLowmemReserveRatio(firstNode, version: version)
    watermarks = zones.map { _ in ZoneWatermarks(min: 0, low: 0, high: 0) }
    lowmemReserve = zones.map { _ in [] }
    for range in zones.nodeRanges {
      for i in range { lowmemReserve[i] = [Int](repeating: 0, count: range.count) }
    }
    totalreservePages = 0
  }

  /// The current watermarks and reserves together.
  public var reserves: ZoneReserves {
    ZoneReserves(watermarks: watermarks, lowmemReserve: lowmemReserve)
  }
}

// MARK: - Recomputations

extension WatermarkState {
  /// Recomputes every zone's watermarks from the current managed pages and sysctls, then
  /// `totalreserve_pages`.
  ///
  /// Kernel: `setup_per_zone_wmarks()` → `__setup_per_zone_wmarks()`,
  /// `calculate_totalreserve_pages()`.
  mutating func setupPerZoneWmarks() {
    watermarks = WatermarkFormulas.perZoneWatermarks(
      zones, minFreeKbytes: minFreeKbytes, watermarkScaleFactor: watermarkScaleFactor,
      version: version, pageShift: pageShift)
    calculateTotalreservePages()
  }

  /// Recomputes every zone's `lowmem_reserve[]` from the current managed pages and ratios (which
  /// it normalizes as the kernel does), then `totalreserve_pages`.
  ///
  /// Kernel: `setup_per_zone_lowmem_reserve()`.
  mutating func setupPerZoneLowmemReserve() {
    lowmemReserveRatio = WatermarkFormulas.normalizedLowmemReserveRatio(
      lowmemReserveRatio, version: version)
    lowmemReserve = WatermarkFormulas.lowmemReserve(
      zones, ratio: lowmemReserveRatio, version: version)
    calculateTotalreservePages()
  }

  /// Kernel: `calculate_totalreserve_pages()`.
  mutating func calculateTotalreservePages() {
    totalreservePages = WatermarkFormulas.totalreservePages(
      zones, watermarks: watermarks, lowmemReserve: lowmemReserve)
  }

  /// Reruns the square-root rule over the `GFP_USER` pages left above the current high
  /// watermarks, keeping a larger user value.
  ///
  /// Kernel: `calculate_min_free_kbytes()`.
  mutating func calculateMinFreeKbytes() {
    minFreeKbytes = WatermarkFormulas.calculateMinFreeKbytes(
      nrFreeBufferPages: WatermarkFormulas.nrFreeBufferPages(zones, watermarks: watermarks),
      current: minFreeKbytes, userMinFreeKbytes: userMinFreeKbytes, version: version,
      pageShift: pageShift)
  }
}
