/// Every zone's watermarks and `lowmem_reserve[]`, as one history of the kernel left them.
public struct ZoneReserves: Hashable, Sendable {
  /// Per zone, the computed watermarks (boost 0).
  public var watermarks: [ZoneWatermarks]
  /// Per zone, `lowmem_reserve[]` (the zoneinfo `protection:` array).
  public var lowmemReserve: [[Int]]

  /// Creates reserves from their values.
  public init(watermarks: [ZoneWatermarks], lowmemReserve: [[Int]]) {
    self.watermarks = watermarks
    self.lowmemReserve = lowmemReserve
  }
}

/// Which managed pages a running kernel's watermarks or `lowmem_reserve` were computed from
/// (zones-watermarks.md §1, §2.3, §4.3a).
public enum WatermarkHistory: Hashable, Sendable, CaseIterable {
  /// As booted: from the managed pages before the late frees (initrd, `__init`), because
  /// nothing has recomputed them since.
  case boot
  /// From the current managed pages: a `min_free_kbytes` or `watermark_scale_factor` write, a
  /// THP switch (watermarks) or any access to `lowmem_reserve_ratio` (`lowmem_reserve`) came
  /// after the late frees.
  case recomputed
}

/// The values a captured `/proc` should show under each ``WatermarkHistory``.
public struct WatermarkCandidates: Hashable, Sendable {
  /// Computed from current managed − late-freed pages; `nil` when the late frees are unknown.
  public var boot: ZoneReserves?
  /// Computed from the current managed pages.
  public var recomputed: ZoneReserves

  /// Creates candidates from their values.
  public init(boot: ZoneReserves?, recomputed: ZoneReserves) {
    self.boot = boot
    self.recomputed = recomputed
  }

  /// The histories whose min, low and high for zone `index` equal `observed`'s, in
  /// ``WatermarkHistory`` order; empty when neither does.
  ///
  /// `observed` holds the computed values, i.e. zoneinfo's printed min/low/high minus its
  /// `boost` line (``ZoneWatermarks``); promo is not compared (6.1 does not print it).
  public func histories(ofZone index: Int, watermarks observed: ZoneWatermarks)
    -> [WatermarkHistory]
  {
    func matches(_ candidate: ZoneWatermarks) -> Bool {
      (candidate.min, candidate.low, candidate.high) == (observed.min, observed.low, observed.high)
    }
    return WatermarkHistory.allCases.filter { history in
      reserves(history).map { matches($0.watermarks[index]) } ?? false
    }
  }

  /// The histories whose `lowmem_reserve[]` for zone `index` equals `observed` (the zoneinfo
  /// `protection:` array), in ``WatermarkHistory`` order; empty when neither does.
  public func histories(ofZone index: Int, protection observed: [Int]) -> [WatermarkHistory] {
    WatermarkHistory.allCases.filter { history in
      reserves(history).map { $0.lowmemReserve[index] == observed } ?? false
    }
  }

  private func reserves(_ history: WatermarkHistory) -> ZoneReserves? {
    switch history {
    case .boot: boot
    case .recomputed: recomputed
    }
  }
}

extension WatermarkFormulas {
  /// The watermarks and `lowmem_reserve` a running kernel shows if it was last computed at boot
  /// and if it was recomputed since, for the sysctls in force now.
  ///
  /// Both use the current `min_free_kbytes`, `watermark_scale_factor` and `lowmem_reserve_ratio`
  /// (as `/proc/sys/vm` shows them); the boot candidate subtracts `lateFreedPages` (per zone, in
  /// pages; for a pre-5.9 kernel without THP add the CMA pages, which its boot computation did
  /// not see either). Compare with ``WatermarkCandidates/histories(ofZone:watermarks:)`` and
  /// ``WatermarkCandidates/histories(ofZone:protection:)``: watermarks and `lowmem_reserve`
  /// can differ in history, since different events recompute them.
  ///
  /// - Parameters:
  ///   - zones: every zone with its current managed pages.
  ///   - lateFreedPages: per zone, the pages freed after the boot computations; `nil` if unknown
  ///     (no boot candidate).
  public static func candidates(
    zones: [WatermarkZone], minFreeKbytes: Int, watermarkScaleFactor: Int,
    lowmemReserveRatio: [Int], lateFreedPages: [Int]?, version: KernelVersion,
    pageShift: Int = 12
  ) -> WatermarkCandidates {
    func reserves(_ zones: [WatermarkZone]) -> ZoneReserves {
      ZoneReserves(
        watermarks: perZoneWatermarks(
          zones, minFreeKbytes: minFreeKbytes, watermarkScaleFactor: watermarkScaleFactor,
          version: version, pageShift: pageShift),
        lowmemReserve: lowmemReserve(zones, ratio: lowmemReserveRatio, version: version))
    }
    let boot = lateFreedPages.map { late in
      var early = zones
      for i in early.indices where i < late.count { early[i].managed -= late[i] }
      return reserves(early)
    }
    return WatermarkCandidates(boot: boot, recomputed: reserves(zones))
  }
}
