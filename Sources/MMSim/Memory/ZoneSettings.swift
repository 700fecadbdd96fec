public import MMCore

/// A zone's slower-changing settings: watermarks, lowmem_reserve and per-cpu list sizes.
///
/// The watermarks and protection come from the kernel's formulas (or a captured zoneinfo); the
/// simulator reads them, sysctl events rewrite them.
public struct ZoneSettings: Sendable {
  /// The zone's watermarks (boost included as a separate field).
  public var watermarks: ZoneWatermarks
  /// `lowmem_reserve[]` storage: inline, so that the settings stay trivially copyable.
  private var reserve: InlineArray<5, Int>
  /// How many `lowmem_reserve[]` entries the architecture has (its configured zone kinds).
  let reserveCount: Int
  /// Per-cpu refill/drain size (`pcp->batch`).
  public var perCPUBatch: Int
  /// Per-cpu list limit (`pcp->high`).
  public var perCPUHigh: Int
  /// `ZONE_BOOSTED_WATERMARK`: a fallback boosted the watermarks for a request that may wake
  /// kswapd; the zone's next such allocation wakes it.
  var wakesKswapdForBoost = false

  /// Settings for a freshly laid out zone: zero watermarks and reserve, per-cpu sizes from the
  /// kernel's formulas for its managed pages.
  init(zone: ZoneLayout, layout: MachineLayout, rules: AllocatorRules) {
    watermarks = ZoneWatermarks(min: 0, low: 0, high: 0)
    reserve = InlineArray(repeating: 0)
    reserveCount = layout.zoneKinds.count
    perCPUBatch = Self.batchSize(managed: zone.managed, pageSize: layout.pageSize, rules: rules)
    perCPUHigh = Self.high(batch: perCPUBatch, lowWatermark: 0, rules: rules)
  }

  /// `lowmem_reserve[]`: pages to keep free for requests whose highest zone is each index.
  public var lowmemReserve: [Int] {
    get { (0..<reserveCount).map { reserve[$0] } }
    set {
      precondition(newValue.count == reserveCount, "lowmem_reserve needs \(reserveCount) entries")
      for (index, value) in newValue.enumerated() { reserve[index] = value }
    }
  }

  /// `lowmem_reserve[index]`.
  @inline(__always)
  func lowmemReserve(at index: Int) -> Int { reserve[index] }

  /// `zone_batchsize()`: managed/1024 capped at the batch cap, /4, then rounded down to a power of
  /// two of 1.5× that, minus one; at least 1 (buddy-migratetypes.md §8).
  static func batchSize(managed: Int, pageSize: Int, rules: AllocatorRules) -> Int {
    var batch = min(managed / 1024, rules.perCPUBatchCapBytes / pageSize)
    batch /= 4
    if batch < 1 { batch = 1 }
    let scaled = batch + batch / 2
    let roundedDown = 1 << (Int.bitWidth - 1 - scaled.leadingZeroBitCount)
    return max(roundedDown - 1, 1)
  }

  /// `pcp->high`: 6 × batch before 5.14; from 5.14 the low watermark (one cpu), at least
  /// 4 × batch.
  static func high(batch: Int, lowWatermark: Int, rules: AllocatorRules) -> Int {
    rules.perCPUHighFromLowWatermark ? max(lowWatermark, 4 * batch) : 6 * batch
  }

  /// Sets new watermarks and recomputes `pcp->high` from them, as `setup_per_zone_wmarks()` does.
  mutating func setWatermarks(_ marks: ZoneWatermarks, rules: AllocatorRules) {
    watermarks = marks
    perCPUHigh = Self.high(batch: perCPUBatch, lowWatermark: marks.low, rules: rules)
  }
}

extension PhysicalMemory {
  /// Installs a zone's watermarks (as `__setup_per_zone_wmarks()` would) and recomputes its
  /// per-cpu `high`.
  public mutating func setWatermarks(zone: Int, _ marks: ZoneWatermarks) {
    settings[zone].setWatermarks(marks, rules: rules)
  }

  /// A zone's watermarks, lowmem_reserve and per-cpu sizes.
  public func zoneSettings(_ zone: Int) -> ZoneSettings { settings[zone] }

  /// Installs a zone's `lowmem_reserve[]` (as `setup_per_zone_lowmem_reserve()` would).
  ///
  /// - Precondition: one entry per zone kind the architecture configures.
  public mutating func setLowmemReserve(zone: Int, _ reserve: [Int]) {
    settings[zone].lowmemReserve = reserve
  }
}
