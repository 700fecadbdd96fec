public import MMCore

extension PageTypeInfo {
  /// Parses the text of `/proc/pagetypeinfo`.
  ///
  /// Each node's section (`Page block order:` to its last block-count line) must hold rows of
  /// that node only, and every section must agree on the pageblock size and the type names.
  /// The page_owner `Number of mixed blocks` section is not read.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first line that does not have the kernel's shape.
  public init(parsing text: String, file: String = "pagetypeinfo") throws(TextParseError) {
    let bytes = Array(text.utf8)
    try self.init(parsing: bytes.span, file: file)
  }

  /// Parses the bytes of `/proc/pagetypeinfo`; the byte-level form of the `String` initializer.
  public init(parsing bytes: Span<UInt8>, file: String = "pagetypeinfo") throws(TextParseError) {
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    self.init(pageblockOrder: 0, pagesPerBlock: 0, freeRows: [], blockTypeNames: [], blockRows: [])
    var isFirstSection = true
    while !cursor.isAtEnd(bytes) {
      try parseSection(&cursor, bytes, isFirst: isFirstSection)
      isFirstSection = false
    }
  }

  /// Reads one node's section and appends its rows.
  private mutating func parseSection(
    _ cursor: inout ProcfsCursor, _ bytes: Span<UInt8>, isFirst: Bool
  ) throws(TextParseError) {
    try cursor.expect("Page block order: ", bytes)
    let order = try cursor.decimal(bytes)
    try cursor.endLine(bytes)
    try cursor.expect("Pages per block:", bytes)
    let pages = try cursor.column(bytes)
    if isFirst {
      (pageblockOrder, pagesPerBlock) = (order, pages)
    } else if (order, pages) != (pageblockOrder, pagesPerBlock) {
      throw cursor.failure("pageblock size differs from the first node's")
    }
    try cursor.endLine(bytes)
    try cursor.endLine(bytes)

    try cursor.expect("Free pages count per migrate type at order", bytes)
    var orders = 0
    cursor.skipSpaces(bytes)
    while !cursor.isAtEnd(bytes), !cursor.seesEndOfLine(bytes) {
      guard try cursor.decimal(bytes) == orders else {
        throw cursor.failure("orders must count up from 0")
      }
      orders += 1
      cursor.skipSpaces(bytes)
    }
    try cursor.endLine(bytes)
    var sectionNode: Int?
    while cursor.sees("Node ", bytes) {
      let row = try Self.freeRow(&cursor, bytes, orders: orders)
      try Self.check(node: row.node, in: &sectionNode, cursor)
      freeRows.append(row)
    }

    try cursor.endLine(bytes)
    try cursor.expect("Number of blocks type", bytes)
    var names: [String] = []
    cursor.skipSpaces(bytes)
    while !cursor.isAtEnd(bytes), !cursor.seesEndOfLine(bytes) {
      names.append(try cursor.name(bytes, expected: "a migratetype name"))
      cursor.skipSpaces(bytes)
    }
    if isFirst {
      blockTypeNames = names
    } else if names != blockTypeNames {
      throw cursor.failure("migratetype names differ from the first node's")
    }
    try cursor.endLine(bytes)
    while cursor.sees("Node ", bytes) {
      let (node, zone) = try cursor.nodeAndZone(bytes)
      try Self.check(node: node, in: &sectionNode, cursor)
      var counts: [Int] = []
      for _ in names { counts.append(try cursor.column(bytes)) }
      cursor.skipSpaces(bytes)
      try cursor.endLine(bytes)
      blockRows.append(BlockRow(node: node, zone: zone, counts: counts))
    }
  }

  /// Reads `Node %4d, zone %8s, type %12s ` and one `%s%6lu ` per order.
  private static func freeRow(
    _ cursor: inout ProcfsCursor, _ bytes: Span<UInt8>, orders: Int
  ) throws(TextParseError) -> FreeRow {
    let (node, zone) = try cursor.nodeAndZone(bytes, zoneEndsAt: UInt8(ascii: ","))
    try cursor.expect(", type ", bytes)
    cursor.skipSpaces(bytes)
    let type = try cursor.name(bytes, expected: "a migratetype name")
    var counts: [Int] = []
    var capped: Set<Int> = []
    for order in 0..<orders {
      cursor.skipSpaces(bytes)
      if cursor.skip(">", bytes) { capped.insert(order) }
      counts.append(try cursor.column(bytes))
    }
    cursor.skipSpaces(bytes)
    try cursor.endLine(bytes)
    return FreeRow(node: node, zone: zone, type: type, counts: counts, cappedOrders: capped)
  }

  /// Checks that a row belongs to the node of its section's first row.
  private static func check(
    node: Int, in sectionNode: inout Int?, _ cursor: ProcfsCursor
  ) throws(TextParseError) {
    if let sectionNode, sectionNode != node {
      throw cursor.failure("node \(node) in the section of node \(sectionNode)")
    }
    sectionNode = node
  }

  /// The text of `/proc/pagetypeinfo`, exactly as the kernel prints it: one section per node.
  public func render() -> String {
    var text = ""
    for node in nodes {
      let free = freeRows.filter { $0.node == node }
      text.append("Page block order: \(pageblockOrder)\n")
      text.append("Pages per block:  \(pagesPerBlock)\n\n")
      text.append("Free pages count per migrate type at order", leftAlignedIn: 43)
      text.append(" ")
      for order in 0..<(free.first?.counts.count ?? 0) {
        text.append(order, rightAlignedIn: 6)
        text.append(" ")
      }
      text.append("\n")
      for row in free {
        text.appendNodeAndZone(node: row.node, nodeWidth: 4, zone: row.zone)
        text.append(", type ")
        text.append(row.type, rightAlignedIn: 12)
        text.append(" ")
        for (order, count) in row.counts.enumerated() {
          if row.cappedOrders.contains(order) { text.append(">") }
          text.append(count, rightAlignedIn: 6)
          text.append(" ")
        }
        text.append("\n")
      }
      text.append("\n")
      text.append("Number of blocks type ", leftAlignedIn: 23)
      for name in blockTypeNames {
        text.append(name, rightAlignedIn: 12)
        text.append(" ")
      }
      text.append("\n")
      for row in blockRows where row.node == node {
        text.appendNodeAndZone(node: row.node, zone: row.zone)
        text.append(" ")
        for count in row.counts {
          text.append(count, rightAlignedIn: 12)
          text.append(" ")
        }
        text.append("\n")
      }
    }
    return text
  }
}
