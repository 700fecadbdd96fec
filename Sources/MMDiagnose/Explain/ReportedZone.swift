internal import MMCore

/// One zone of an allocation-failure report's `Mem-Info:` block: its zone line, the
/// `lowmem_reserve[]` line after it and its free-block line, with the log lines they came from.
struct ReportedZone {
  /// The zone line.
  var state: ShowMem.ZoneState
  /// The 1-based log line of the zone line, when known.
  var stateLine: Int?
  /// The `lowmem_reserve[]` values (pages), when printed after the zone line.
  var lowmemReserve: [Int]?
  /// The 1-based log line of the `lowmem_reserve[]` line, when known.
  var reserveLine: Int?
  /// The free-block line of the same node and zone, when printed.
  var freeArea: ShowMem.FreeArea?
  /// The 1-based log line of the free-block line, when known.
  var freeAreaLine: Int?

  /// The zone's name with its node, as printed (`Node 0 Normal`, or `Normal`).
  var name: String {
    state.node.map { "Node \($0) \(state.zone)" } ?? state.zone
  }

  /// `line N: ` for a known line, or nothing.
  static func at(_ line: Int?) -> String { line.map { "line \($0): " } ?? "" }

  /// Reads the zones of `showMem`; `sourceLines[i]` is the log line of `showMem.lines[i]` (an
  /// empty or shorter array leaves lines unknown).
  static func zones(of showMem: ShowMem, sourceLines: [Int]) -> [ReportedZone] {
    var zones: [ReportedZone] = []
    var areas: [(area: ShowMem.FreeArea, line: Int?)] = []
    for (index, line) in showMem.lines.enumerated() {
      let source = index < sourceLines.count ? sourceLines[index] : nil
      switch line {
      case .zone(let state):
        zones.append(ReportedZone(state: state, stateLine: source))
      case .lowmemReserve(let values):
        if let last = zones.indices.last, zones[last].lowmemReserve == nil {
          zones[last].lowmemReserve = values
          zones[last].reserveLine = source
        }
      case .freeArea(let area):
        areas.append((area, source))
      default:
        continue
      }
    }
    for index in zones.indices {
      let state = zones[index].state
      if let match = areas.first(where: { $0.area.node == state.node && $0.area.zone == state.zone }
      ) {
        zones[index].freeArea = match.area
        zones[index].freeAreaLine = match.line
      }
    }
    return zones
  }

  // MARK: - Numbers

  /// The page size in kB: the order-0 block size of the free-block line, else 4.
  var pageKilobytes: Int {
    guard let first = freeArea?.orders.first, first.blockKilobytes > 0 else { return 4 }
    return first.blockKilobytes
  }

  /// `free` in kB.
  var freeKilobytes: Int { state["free"] ?? 0 }
  /// `free_cma` in kB (0 when not printed).
  var freeCMAKilobytes: Int { state["free_cma"] ?? 0 }
  /// `reserved_highatomic` in kB (0 when not printed).
  var reservedHighAtomicKilobytes: Int { state["reserved_highatomic"] ?? 0 }

  /// The free blocks of `order` or higher whose lists include `type`, in kB; blocks printed
  /// without migratetype letters count for every type.
  func blockKilobytes(from order: Int, usable: (MigrateType) -> Bool) -> Int {
    guard let freeArea else { return 0 }
    var total = 0
    for (o, entry) in freeArea.orders.enumerated() where o >= order && entry.count > 0 {
      if let types = entry.migrateTypes {
        if types.contains(where: usable) { total &+= entry.count &* entry.blockKilobytes }
      } else {
        total &+= entry.count &* entry.blockKilobytes
      }
    }
    return total
  }

  /// The free-block terms of `order` and higher as printed: `58*4096kB (C)`.
  func blockTerms(from order: Int) -> String {
    guard let freeArea else { return "" }
    var terms: [String] = []
    for (o, entry) in freeArea.orders.enumerated() where o >= order {
      var term = "\(entry.count)*\(entry.blockKilobytes)kB"
      if let types = entry.migrateTypes {
        term += " (" + String(types.map(\.letter)) + ")"
      }
      terms.append(term)
    }
    return terms.joined(separator: " ")
  }

  /// The inputs of `__zone_watermark_ok()`, in pages.
  var watermarkInputs: WatermarkCheckZone {
    WatermarkCheckZone(
      freePages: freeKilobytes / pageKilobytes, freeCMAPages: freeCMAKilobytes / pageKilobytes,
      reservedHighAtomic: reservedHighAtomicKilobytes / pageKilobytes, lowmemReserve: 0)
  }
}
