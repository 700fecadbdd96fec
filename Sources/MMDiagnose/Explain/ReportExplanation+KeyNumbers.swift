extension ReportExplanation {
  /// The report's zones as a compact table: free memory against the watermarks, free CMA, and
  /// the largest free block with its migratetype letters — the numbers most findings stand on.
  ///
  /// Empty when the report printed no zone lines.
  public var keyNumbersTable: String {
    guard let zones, !zones.isEmpty else { return "" }
    var rows = [["zone", "free kB", "min kB", "low kB", "high kB", "free_cma kB", "largest free"]]
    for zone in zones {
      let name = (zone.node.map { "Node \($0) " } ?? "") + zone.zone
      let numbers = [zone.freeKB, zone.minKB, zone.lowKB, zone.highKB, zone.freeCmaKB].map {
        $0.map(String.init) ?? "-"
      }
      rows.append([name] + numbers + [Self.largestFreeBlock(zone)])
    }
    return textTable(rows, textColumns: 2)
  }

  /// `order N (letters)` of a zone's largest free block, `none` for an empty free-block line,
  /// `-` when the line was not printed.
  private static func largestFreeBlock(_ zone: Zone) -> String {
    guard let areas = zone.freeAreas else { return "-" }
    guard let largest = areas.last(where: { $0.count > 0 }) else { return "none" }
    var text = "order \(largest.order)"
    if let types = largest.types { text += " (\(types))" }
    return text
  }
}
