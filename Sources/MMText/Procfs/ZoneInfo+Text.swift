public import MMCore

extension ZoneInfo {
  /// Parses the text of `/proc/zoneinfo`.
  ///
  /// The `promo` and `cma` lines are optional. A zone with present pages is populated
  /// (`populated_zone()`) and must go on after `protection:` with its stats and pagesets; any
  /// other zone ends there.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first line that does not have the kernel's shape.
  public init(parsing text: String, file: String = "zoneinfo") throws(TextParseError) {
    let bytes = Array(text.utf8)
    try self.init(parsing: bytes.span, file: file)
  }

  /// Parses the bytes of `/proc/zoneinfo`; the byte-level form of the `String` initializer.
  public init(parsing bytes: Span<UInt8>, file: String = "zoneinfo") throws(TextParseError) {
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    var entries: [Entry] = []
    while !cursor.isAtEnd(bytes) {
      entries.append(try Self.entry(&cursor, bytes))
    }
    self.init(entries: entries)
  }

  /// Reads one zone, from its `Node %d, zone %8s` line to the next zone.
  private static func entry(
    _ cursor: inout ProcfsCursor, _ bytes: Span<UInt8>
  ) throws(TextParseError) -> Entry {
    let (node, zone) = try cursor.nodeAndZone(bytes)
    try cursor.endLine(bytes)
    var nodeStats: [NamedValue]?
    if cursor.skip("  per-node stats", bytes) {
      try cursor.endLine(bytes)
      nodeStats = try stats(&cursor, bytes)
    }
    let free = try field("  pages free", &cursor, bytes)
    let boost = try field("        boost", &cursor, bytes)
    let min = try field("        min", &cursor, bytes)
    let low = try field("        low", &cursor, bytes)
    let high = try field("        high", &cursor, bytes)
    let promo =
      try cursor.sees("        promo", bytes) ? field("        promo", &cursor, bytes) : nil
    let spanned = try field("        spanned", &cursor, bytes)
    let present = try field("        present", &cursor, bytes)
    let managed = try field("        managed", &cursor, bytes)
    let cma = try cursor.sees("        cma", bytes) ? field("        cma", &cursor, bytes) : nil
    try cursor.expect("        protection: (", bytes)
    var protection = [try cursor.signedDecimal(bytes)]
    while cursor.skip(", ", bytes) { protection.append(try cursor.signedDecimal(bytes)) }
    try cursor.expect(")", bytes)
    try cursor.endLine(bytes)
    var entry = Entry(
      node: node, zone: zone, nodeStats: nodeStats, free: free, boost: boost, min: min, low: low,
      high: high, promo: promo, spanned: spanned, present: present, managed: managed, cma: cma,
      protection: protection)
    if present > 0 {
      entry.details = try details(&cursor, bytes)
    }
    return entry
  }

  /// Reads the lines after `protection:` of a populated zone.
  private static func details(
    _ cursor: inout ProcfsCursor, _ bytes: Span<UInt8>
  ) throws(TextParseError) -> Details {
    let all = try stats(&cursor, bytes)
    let numaStart = all.firstIndex { $0.name.hasPrefix("numa_") } ?? all.endIndex
    try cursor.expect("  pagesets", bytes)
    try cursor.endLine(bytes)
    var pagesets: [Pageset] = []
    while cursor.skip("    cpu: ", bytes) {
      let cpu = try cursor.decimal(bytes)
      try cursor.endLine(bytes)
      let count = try field("              count:", &cursor, bytes, signed: true)
      let high = try field("              high:", &cursor, bytes, signed: true)
      let batch = try field("              batch:", &cursor, bytes, signed: true)
      var pageset = Pageset(cpu: cpu, count: count, high: high, batch: batch)
      if cursor.sees("              high_min:", bytes) {
        pageset.highMin = try field("              high_min:", &cursor, bytes, signed: true)
        pageset.highMax = try field("              high_max:", &cursor, bytes, signed: true)
      }
      if cursor.sees("  vm stats threshold:", bytes) {
        pageset.statThreshold = try field("  vm stats threshold:", &cursor, bytes, signed: true)
      }
      pagesets.append(pageset)
    }
    try cursor.expect("  node_unreclaimable:", bytes)
    cursor.skipSpaces(bytes)
    let unreclaimable: Bool
    if cursor.skip("0", bytes) {
      unreclaimable = false
    } else if cursor.skip("1", bytes) {
      unreclaimable = true
    } else {
      throw cursor.failure(expected: "0 or 1", bytes)
    }
    try cursor.endLine(bytes)
    let startPFN = try field("  start_pfn:", &cursor, bytes)
    return Details(
      stats: Array(all[..<numaStart]), numaStats: Array(all[numaStart...]), pagesets: pagesets,
      nodeUnreclaimable: unreclaimable, startPFN: startPFN)
  }

  /// Reads `label`, spaces, a number and the end of the line.
  private static func field(
    _ label: StaticString, _ cursor: inout ProcfsCursor, _ bytes: Span<UInt8>,
    signed: Bool = false
  ) throws(TextParseError) -> Int {
    try cursor.expect(label, bytes)
    guard cursor.sees(" ", bytes) else { throw cursor.failure(expected: "' '", bytes) }
    cursor.skipSpaces(bytes)
    let value = try signed ? cursor.signedDecimal(bytes) : cursor.decimal(bytes)
    try cursor.endLine(bytes)
    return value
  }

  /// Reads `      %-12s %lu` lines while they come.
  private static func stats(
    _ cursor: inout ProcfsCursor, _ bytes: Span<UInt8>
  ) throws(TextParseError) -> [NamedValue] {
    var stats: [NamedValue] = []
    while cursor.skip("      ", bytes) {
      let name = try cursor.name(bytes, expected: "a counter name")
      guard cursor.sees(" ", bytes) else { throw cursor.failure(expected: "' '", bytes) }
      let value = try cursor.column(bytes)
      try cursor.endLine(bytes)
      stats.append(NamedValue(name: name, value: value))
    }
    return stats
  }

  /// The text of `/proc/zoneinfo`, exactly as the kernel prints it.
  public func render() -> String {
    var text = ""
    for entry in entries {
      text.appendNodeAndZone(node: entry.node, zone: entry.zone)
      if let nodeStats = entry.nodeStats {
        text.append("\n  per-node stats")
        Self.render(nodeStats, into: &text)
      }
      text.append("\n  pages free     \(entry.free)")
      text.append("\n        boost    \(entry.boost)")
      text.append("\n        min      \(entry.min)")
      text.append("\n        low      \(entry.low)")
      text.append("\n        high     \(entry.high)")
      if let promo = entry.promo { text.append("\n        promo    \(promo)") }
      text.append("\n        spanned  \(entry.spanned)")
      text.append("\n        present  \(entry.present)")
      text.append("\n        managed  \(entry.managed)")
      if let cma = entry.cma { text.append("\n        cma      \(cma)") }
      text.append("\n        protection: (")
      text.append(entry.protection.map(String.init).joined(separator: ", "))
      text.append(")")
      guard let details = entry.details else {
        text.append("\n")
        continue
      }
      Self.render(details.stats, into: &text)
      Self.render(details.numaStats, into: &text)
      text.append("\n  pagesets")
      for pageset in details.pagesets {
        text.append("\n    cpu: \(pageset.cpu)")
        if let highMin = pageset.highMin, let highMax = pageset.highMax {
          // 6.7+: the labels are padded to the width of `high_min:`.
          text.append("\n              count:    \(pageset.count)")
          text.append("\n              high:     \(pageset.high)")
          text.append("\n              batch:    \(pageset.batch)")
          text.append("\n              high_min: \(highMin)")
          text.append("\n              high_max: \(highMax)")
        } else {
          text.append("\n              count: \(pageset.count)")
          text.append("\n              high:  \(pageset.high)")
          text.append("\n              batch: \(pageset.batch)")
        }
        if let threshold = pageset.statThreshold {
          text.append("\n  vm stats threshold: \(threshold)")
        }
      }
      text.append("\n  node_unreclaimable:  \(details.nodeUnreclaimable ? 1 : 0)")
      text.append("\n  start_pfn:           \(details.startPFN)")
      text.append("\n")
    }
    return text
  }

  /// Appends `"\n      %-12s %lu"` for each counter.
  private static func render(_ stats: [NamedValue], into text: inout String) {
    for stat in stats {
      text.append("\n      ")
      text.append(stat.name, leftAlignedIn: 12)
      text.append(" ")
      text.append(stat.value)
    }
  }
}
