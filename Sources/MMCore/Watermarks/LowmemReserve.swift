extension WatermarkFormulas {
  /// The default `vm.lowmem_reserve_ratio` of a node with these zone types, one entry per zone
  /// (`zone_idx()` order).
  ///
  /// DMA and DMA32 256, Normal 32 everywhere. HighMem 32 and Movable 0 (no initializer, forced
  /// to 1 when used) up to 4.18, whose array has one entry fewer than there are zones; from 4.19
  /// HighMem, Movable and Device 0, meaning no reserve, and one entry per zone
  /// (zones-watermarks.md §4.1).
  ///
  /// Kernel: `sysctl_lowmem_reserve_ratio[]` in `mm/page_alloc.c`.
  public static func defaultLowmemReserveRatio(
    _ kinds: [ZoneKind], version: KernelVersion
  ) -> [Int] {
    let legacy = LowmemReserveAlgorithm(version) == .ratioForcedToOne
    let ratios = kinds.map { kind in
      switch kind {
      case .dma, .dma32: 256
      case .normal: 32
      case .highmem: legacy ? 32 : 0
      case .movable, .device: 0
      }
    }
    return legacy ? Array(ratios.dropLast()) : ratios
  }

  /// The ratios as the kernel leaves them after using them: below 1 becomes 1 up to 4.18 and 0
  /// from 4.19 (where 5.8+ does it in the sysctl handler instead).
  static func normalizedLowmemReserveRatio(_ ratio: [Int], version: KernelVersion) -> [Int] {
    let floor = LowmemReserveAlgorithm(version) == .ratioForcedToOne ? 1 : 0
    return ratio.map { $0 < 1 ? floor : $0 }
  }

  /// Every zone's `lowmem_reserve[]` (the `protection:` array of `/proc/zoneinfo`), one entry per
  /// zone of its node.
  ///
  /// Entry J of lower zone I is (Σ managed of zones I+1 … J) / ratio[I]; an entry for J ≤ I is
  /// 0. `ratio` is indexed by `zone_idx()`; missing entries count as 0. The version picks how
  /// empty zones and ratio 0 are handled (``LowmemReserveAlgorithm``, zones-watermarks.md §4.2).
  ///
  /// Kernel: `setup_per_zone_lowmem_reserve()` in `mm/page_alloc.c`.
  public static func lowmemReserve(
    _ zones: [WatermarkZone], ratio: [Int], version: KernelVersion
  ) -> [[Int]] {
    let algorithm = LowmemReserveAlgorithm(version)
    let ratio = normalizedLowmemReserveRatio(ratio, version: version)
    var reserves: [[Int]] = []
    for range in zones.nodeRanges {
      let managed = zones[range].map(\.managed)
      let n = managed.count
      var node = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
      func ratioOf(_ i: Int) -> Int { i < ratio.count ? ratio[i] : 0 }
      switch algorithm {
      case .cumulative:
        for i in 0..<Swift.max(n - 1, 0) {
          let clear = ratioOf(i) == 0 || managed[i] == 0
          var sum = 0
          for j in (i + 1)..<n {
            sum += managed[j]
            node[i][j] = clear ? 0 : sum / ratioOf(i)
          }
        }
      case .ratioForcedToOne, .zeroRatioDisables, .skipsEmptyAndZeroRatio:
        for j in 0..<n {
          var sum = managed[j]
          for i in stride(from: j - 1, through: 0, by: -1) {
            let r = algorithm == .ratioForcedToOne ? Swift.max(ratioOf(i), 1) : ratioOf(i)
            if algorithm == .skipsEmptyAndZeroRatio && (r == 0 || managed[i] == 0) {
              node[i][j] = 0
              continue
            }
            node[i][j] = r == 0 ? 0 : sum / r
            sum += managed[i]
          }
        }
      }
      reserves += node
    }
    return reserves
  }

  /// The pages kept out of reach of userspace heuristics: Σ over zones of min(max over J ≥ own
  /// index of `lowmem_reserve[J]` + high watermark (boost included), managed).
  ///
  /// Used by MemAvailable and the overcommit heuristic (zones-watermarks.md §4.3). The kernel
  /// recomputes it at the end of every watermark and every `lowmem_reserve` computation, with
  /// the managed pages of that moment.
  ///
  /// Kernel: `calculate_totalreserve_pages()` in `mm/page_alloc.c`.
  public static func totalreservePages(
    _ zones: [WatermarkZone], watermarks: [ZoneWatermarks], lowmemReserve: [[Int]]
  ) -> Int {
    let indices = zones.zoneIndices
    var total = 0
    for (i, zone) in zones.enumerated() {
      let protection = lowmemReserve[i]
      var reserve = protection[indices[i]...].reduce(0, Swift.max)
      reserve += watermarks[i].high + watermarks[i].boost
      total += Swift.min(reserve, zone.managed)
    }
    return total
  }
}
