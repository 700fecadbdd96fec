public import MMCore

/// What `oomlab inspect` found about a machine's watermarks and lowmem reserves: the kernel's
/// values beside the model's, zone by zone, and which history explains them.
///
/// The model recomputes `min_free_kbytes`, min/low/high and `protection` with the kernel's
/// formulas for the machine's version from its zones' managed pages and sysctls, twice: as
/// computed at boot (before the initrd and `__init` memory were freed; needs the boot log) and
/// as recomputed since (a sysctl write, a read of `lowmem_reserve_ratio`, hotplug).
/// Facts: ../shared/kernel/zones-watermarks.md §1–4.
public struct WatermarkInspection: Codable, Hashable, Sendable {
  /// The kernel release whose rules were used.
  public var kernel: String
  /// `min_free_kbytes`: the kernel's, the model's, and the model's boot default.
  public var minFreeKbytes: MinFreeKbytes
  /// `vm.watermark_scale_factor` in force.
  public var watermarkScaleFactor: Int
  /// `vm.lowmem_reserve_ratio` in force.
  public var lowmemReserveRatio: [Int]
  /// Pages freed after the boot computations (initrd, `__init`), when a boot log was given.
  public var lateFreedPages: Int?
  /// Every zone the kernel prints.
  public var zones: [Zone]

  /// The three `min_free_kbytes` figures.
  public struct MinFreeKbytes: Codable, Hashable, Sendable {
    /// What `/proc/sys/vm/min_free_kbytes` shows.
    public var kernel: Int
    /// The value the model's matching history holds (the kernel's, when it is explained).
    public var model: Int
    /// What the model's boot sequence computes for this machine (THP as given; off if unknown).
    public var modelDefault: Int
  }

  /// Watermarks and protection of one zone, in pages.
  public struct Marks: Codable, Hashable, Sendable {
    public var min: Int
    public var low: Int
    public var high: Int
    public var protection: [Int]
  }

  /// One zone, kernel and model side by side.
  public struct Zone: Codable, Hashable, Sendable {
    public var node: Int
    public var zone: String
    public var managed: Int
    public var free: Int
    /// The kernel's values (watermarks without the boost).
    public var kernel: Marks
    /// The model's values from the history that explains them (else the recomputation).
    public var model: Marks
    /// Which history explains the watermarks: `boot`, `recomputed`, or `unexplained`.
    public var history: String
    /// Which history explains the protection array (another event recomputes it).
    public var protectionHistory: String
    /// The values the model cannot reproduce, each with the reason.
    public var differences: [String]
    /// Free blocks per order (`/proc/buddyinfo`), when the capture has it.
    public var freeBlocks: [Int]?
    /// The unusable free space index per order as debugfs `extfrag/unusable_index` prints it
    /// (with buddyinfo).
    public var unusableIndex: [Double]?
    /// The fragmentation index per order as debugfs `extfrag/extfrag_index` prints it; −1 when a
    /// block of the order is free (with buddyinfo).
    public var extfragIndex: [Double]?
    /// The order of the largest free block per migratetype, −1 for an empty list (with
    /// pagetypeinfo).
    public var largestFreeOrder: [String: Int]?
    /// Per request, the highest order the fast path would grant from this zone now; −1 for none.
    public var highestOrder: [String: Int]?
    /// Per request, the highest order the slow path's first attempt (min watermark and the
    /// reserves the request earns, before any reclaim) would grant; −1 for none.
    public var highestOrderWithReserves: [String: Int]?
    /// Free pages against the watermarks, and what reclaim and compaction could add.
    public var headroom: ZoneHeadroom?
  }

  /// Whether the model reproduces every zone.
  public var agrees: Bool { zones.allSatisfy(\.differences.isEmpty) }
}

extension WatermarkInspection {
  /// Inspects a machine's zoneinfo with its sysctls and, when known, its boot log and THP mode.
  ///
  /// - Parameters:
  ///   - bootMemory: the boot log's late frees; without it only the "recomputed" history can be
  ///     tested.
  ///   - transparentHugepage: THP's mode at boot (`nil` when unknown: the default is computed as
  ///     if THP were off).
  ///   - buddyInfo: `/proc/buddyinfo`, shown beside each zone when given.
  public init(
    zoneInfo: ZoneInfo, sysVM: SysVM, kernel: KernelVersion, bootMemory: BootMemory? = nil,
    transparentHugepage: TransparentHugepageMode? = nil, buddyInfo: BuddyInfo? = nil,
    pageShift: Int = 12, pageblockOrder: Int = 9
  ) {
    let zones = zoneInfo.entries.map { entry in
      WatermarkZone(
        node: entry.node, ZoneKind(kernelName: entry.zone) ?? .normal, managed: entry.managed)
    }
    let kinds = zones.filter { $0.node == zones.first?.node }.map(\.kind)
    let ratio =
      sysVM.lowmemReserveRatio
      ?? WatermarkFormulas.defaultLowmemReserveRatio(kinds, version: kernel)
    let scale = sysVM.watermarkScaleFactor ?? 10
    let late = bootMemory.map { Self.lateFreedPages($0, zones: zones, pageShift: pageShift) }
    let boot = WatermarkState(
      booting: WatermarkState.BootConfiguration(
        version: kernel, zones: zones, lateFreedPages: late ?? [],
        transparentHugepage: transparentHugepage ?? .never, pageblockOrder: pageblockOrder,
        pageShift: pageShift, watermarkScaleFactor: scale, lowmemReserveRatio: ratio))
    let minFree = sysVM.minFreeKbytes ?? boot.minFreeKbytes
    let candidates = WatermarkFormulas.candidates(
      zones: zones, minFreeKbytes: minFree, watermarkScaleFactor: scale, lowmemReserveRatio: ratio,
      lateFreedPages: late, version: kernel, pageShift: pageShift)

    self.kernel = kernel.description
    watermarkScaleFactor = scale
    lowmemReserveRatio = ratio
    lateFreedPages = late?.reduce(0, +)
    minFreeKbytes = MinFreeKbytes(kernel: minFree, model: minFree, modelDefault: boot.minFreeKbytes)
    let entries = zoneInfo.entries
    // One event recomputes every zone, so prefer a history that explains all of them.
    let markHistories = Self.consistent(
      entries.indices.map { candidates.histories(ofZone: $0, watermarks: entries[$0].watermarks) })
    let protectionHistories = Self.consistent(
      entries.indices.map { candidates.histories(ofZone: $0, protection: entries[$0].protection) })
    self.zones = entries.indices.map { index in
      var zone = Self.zone(
        index, entry: entries[index], candidates: candidates, bootKnown: late != nil,
        markHistories: markHistories[index], protectionHistories: protectionHistories[index])
      zone.freeBlocks =
        buddyInfo?.rows.first { $0.node == zone.node && $0.zone == zone.zone }?
        .freeBlocks
      return zone
    }
  }

  /// Narrows each zone's explaining histories to one that explains every zone, when there is.
  private static func consistent(_ perZone: [[WatermarkHistory]]) -> [[WatermarkHistory]] {
    for history in [WatermarkHistory.boot, .recomputed]
    where perZone.allSatisfy({ $0.contains(history) }) {
      return perZone.map { _ in [history] }
    }
    return perZone
  }

  /// The late frees join the zone holding the kernel image and initrd: DMA32 when populated,
  /// else Normal, else the first populated zone (zones-watermarks.md §1).
  static func lateFreedPages(_ boot: BootMemory, zones: [WatermarkZone], pageShift: Int) -> [Int] {
    var pages = Array(repeating: 0, count: zones.count)
    let target =
      zones.firstIndex { $0.kind == .dma32 && $0.managed > 0 }
      ?? zones.firstIndex { $0.kind == .normal && $0.managed > 0 }
      ?? zones.firstIndex { $0.managed > 0 }
    if let target { pages[target] = boot.lateFreedKilobytes >> (pageShift - 10) }
    return pages
  }

  private static func zone(
    _ index: Int, entry: ZoneInfo.Entry, candidates: WatermarkCandidates, bootKnown: Bool,
    markHistories: [WatermarkHistory], protectionHistories: [WatermarkHistory]
  ) -> Zone {
    let observed = entry.watermarks
    let kernel = Marks(
      min: observed.min, low: observed.low, high: observed.high, protection: entry.protection)
    let marks =
      (markHistories.first.flatMap { candidates.reserves(for: $0) } ?? candidates.recomputed)
      .watermarks[index]
    let protection =
      (protectionHistories.first.flatMap { candidates.reserves(for: $0) } ?? candidates.recomputed)
      .lowmemReserve[index]
    let model = Marks(min: marks.min, low: marks.low, high: marks.high, protection: protection)
    var differences: [String] = []
    let why =
      bootKnown
      ? "neither the boot computation nor a recomputation with the current managed pages gives it"
      : "a recomputation with the current managed pages does not give it; it may date from boot "
        + "(pass the boot log with --dmesg)"
    for (name, kernelValue, modelValue) in [
      ("min", kernel.min, model.min), ("low", kernel.low, model.low),
      ("high", kernel.high, model.high),
    ] where kernelValue != modelValue {
      differences.append("\(name): kernel \(kernelValue), model \(modelValue): \(why)")
    }
    if kernel.protection != model.protection {
      differences.append(
        "protection: kernel \(kernel.protection), model \(model.protection): \(why)")
    }
    return Zone(
      node: entry.node, zone: entry.zone, managed: entry.managed, free: entry.free,
      kernel: kernel, model: model, history: Self.label(markHistories),
      protectionHistory: Self.label(protectionHistories), differences: differences)
  }

  /// `boot` when the boot computation explains the values (the simplest story), `recomputed`
  /// when only a recomputation does, `unexplained` otherwise.
  private static func label(_ histories: [WatermarkHistory]) -> String {
    if histories.contains(.boot) { return "boot" }
    if histories.contains(.recomputed) { return "recomputed" }
    return "unexplained"
  }
}

extension WatermarkCandidates {
  /// The values of one history, if it was computed.
  func reserves(for history: WatermarkHistory) -> ZoneReserves? {
    switch history {
    case .boot: boot
    case .recomputed: recomputed
    }
  }
}
