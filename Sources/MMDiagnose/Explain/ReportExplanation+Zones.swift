internal import MMCore

extension ReportExplanation {
  /// One zone of the report's `Mem-Info:` block: its zone line and its free-block line, as
  /// printed (kB).
  public struct Zone: Hashable, Sendable, Encodable {
    /// One order of the free-block line: `count*sizekB (types)`.
    public struct FreeArea: Hashable, Sendable, Encodable {
      /// The order.
      public var order: Int
      /// Free blocks of this order (`nr_free`).
      public var count: Int
      /// The migratetype letters as printed (`UME`), or `nil` when none were printed.
      public var types: String?

      /// Encodes every key, `types` as `null` when no letters were printed.
      public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order, forKey: .order)
        try container.encode(count, forKey: .count)
        try container.encode(types, forKey: .types)
      }

      private enum CodingKeys: String, CodingKey {
        case order, count, types
      }
    }

    /// The node id, or `nil` when the kernel printed no `Node N` prefix.
    public var node: Int?
    /// The zone name as printed (`DMA32`, `Normal`, `HighMem`).
    public var zone: String
    /// `free:` in kB, when the zone line was printed.
    public var freeKB: Int?
    /// `min:` in kB.
    public var minKB: Int?
    /// `low:` in kB.
    public var lowKB: Int?
    /// `high:` in kB.
    public var highKB: Int?
    /// `free_cma:` in kB, when printed (CONFIG_CMA kernels).
    public var freeCmaKB: Int?
    /// The free-block line's orders, from order 0; `nil` when the line was not printed.
    public var freeAreas: [FreeArea]?
    /// The free-block line's printed total (`= NkB`).
    public var totalKB: Int?
  }

  /// The zones of a `Mem-Info:` block in log order: one per zone line (with its free-block
  /// line), then the free-block lines whose zone line the log lacks; `nil` when the block
  /// printed neither.
  static func zones(of showMem: ShowMem?) -> [Zone]? {
    guard let showMem else { return nil }
    var zones: [Zone] = []
    var areas = showMem.freeAreas
    for state in showMem.zones {
      var zone = Zone(
        node: state.node, zone: state.zone, freeKB: state["free"], minKB: state["min"],
        lowKB: state["low"], highKB: state["high"], freeCmaKB: state["free_cma"])
      if let index = areas.firstIndex(where: { $0.node == state.node && $0.zone == state.zone }) {
        zone.add(areas.remove(at: index))
      }
      zones.append(zone)
    }
    for area in areas {
      var zone = Zone(node: area.node, zone: area.zone)
      zone.add(area)
      zones.append(zone)
    }
    return zones.isEmpty ? nil : zones
  }
}

extension ReportExplanation.Zone {
  /// Takes the orders and total of a free-block line.
  fileprivate mutating func add(_ area: ShowMem.FreeArea) {
    freeAreas = area.orders.enumerated().map { order, entry in
      FreeArea(
        order: order, count: entry.count,
        types: entry.migrateTypes.map { String($0.map(\.letter)) })
    }
    totalKB = area.totalKilobytes
  }
}
