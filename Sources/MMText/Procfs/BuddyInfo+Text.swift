public import MMCore

extension BuddyInfo {
  /// Parses the text of `/proc/buddyinfo`.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first line that does not have the kernel's shape, or
  ///   whose count of orders differs from the first line's.
  public init(parsing text: String, file: String = "buddyinfo") throws(TextParseError) {
    let bytes = Array(text.utf8)
    try self.init(parsing: bytes.span, file: file)
  }

  /// Parses the bytes of `/proc/buddyinfo`; the byte-level form of the `String` initializer.
  public init(parsing bytes: Span<UInt8>, file: String = "buddyinfo") throws(TextParseError) {
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    var rows: [Row] = []
    while !cursor.isAtEnd(bytes) {
      let (node, zone) = try cursor.nodeAndZone(bytes)
      var freeBlocks: [Int] = []
      cursor.skipSpaces(bytes)
      while !cursor.isAtEnd(bytes), !cursor.seesEndOfLine(bytes) {
        freeBlocks.append(try cursor.decimal(bytes))
        cursor.skipSpaces(bytes)
      }
      if let first = rows.first, first.freeBlocks.count != freeBlocks.count {
        throw cursor.failure(
          "expected \(first.freeBlocks.count) free-block counts, found \(freeBlocks.count)")
      }
      try cursor.endLine(bytes)
      rows.append(Row(node: node, zone: zone, freeBlocks: freeBlocks))
    }
    self.init(rows: rows)
  }

  /// The text of `/proc/buddyinfo` for these rows, exactly as the kernel prints it.
  public func render() -> String {
    var text = ""
    for row in rows {
      text.appendNodeAndZone(node: row.node, zone: row.zone)
      text.append(" ")
      for count in row.freeBlocks {
        text.append(count, rightAlignedIn: 6)
        text.append(" ")
      }
      text.append("\n")
    }
    return text
  }
}
