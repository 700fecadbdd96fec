public import MMCore

extension ExtfragIndex {
  /// Parses the text of debugfs `extfrag/unusable_index` or `extfrag/extfrag_index`.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - kind: which file it is.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first line that does not have the kernel's shape
  ///   (each value `%d.%03d`: three decimals, no more, no fewer), or whose count of orders
  ///   differs from the first line's.
  public init(parsing text: String, kind: Kind, file: String? = nil) throws(TextParseError) {
    let bytes = Array(text.utf8)
    var cursor = ProcfsCursor(file: file ?? kind.rawValue)
    try self.init(kind: kind, rows: Self.rows(bytes.span, cursor: &cursor))
  }

  private static func rows(_ bytes: Span<UInt8>, cursor: inout ProcfsCursor)
    throws(TextParseError) -> [Row]
  {
    try cursor.requireContent(bytes)
    var rows: [Row] = []
    while !cursor.isAtEnd(bytes) {
      let (node, zone) = try cursor.nodeAndZone(bytes)
      var values: [Int] = []
      cursor.skipSpaces(bytes)
      while !cursor.isAtEnd(bytes), !cursor.seesEndOfLine(bytes) {
        let negative = cursor.skip("-", bytes)
        let whole = try cursor.decimal(bytes)
        guard whole < Int.max / 1000 else { throw cursor.failure("number too large") }
        try cursor.expect(".", bytes)
        let value = whole * 1000 + (try cursor.digits(3, bytes))
        values.append(negative ? -value : value)
        cursor.skipSpaces(bytes)
      }
      if let first = rows.first, first.values.count != values.count {
        throw cursor.failure("expected \(first.values.count) values, found \(values.count)")
      }
      try cursor.endLine(bytes)
      rows.append(Row(node: node, zone: zone, values: values))
    }
    return rows
  }

  /// The text of the file for these rows, exactly as the kernel prints it.
  public func render() -> String {
    var text = ""
    for row in rows {
      text.appendNodeAndZone(node: row.node, zone: row.zone)
      text.append(" ")
      for value in row.values {
        text.append(Self.text(of: value, kind: kind))
        text.append(" ")
      }
      text.append("\n")
    }
    return text
  }

  /// One value as the kernel prints it: `%d.%03d` (unusable) or `%2d.%03d` (extfrag) of the
  /// value's C quotient and remainder by 1000, so −1000 is `-1.000` and 998 is ` 0.998`.
  public static func text(of value: Int, kind: Kind) -> String {
    let whole = String(value / 1000)
    let fraction = String(value % 1000)
    let pad = kind == .extfrag ? String(repeating: " ", count: max(0, 2 - whole.count)) : ""
    return pad + whole + "." + String(repeating: "0", count: max(0, 3 - fraction.count)) + fraction
  }
}
