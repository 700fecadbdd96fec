public import MMCore

extension VMStat {
  /// Parses the text of `/proc/vmstat`.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first line that is not `name value`.
  public init(parsing text: String, file: String = "vmstat") throws(TextParseError) {
    let bytes = Array(text.utf8)
    try self.init(parsing: bytes.span, file: file)
  }

  /// Parses the bytes of `/proc/vmstat`; the byte-level form of the `String` initializer.
  public init(parsing bytes: Span<UInt8>, file: String = "vmstat") throws(TextParseError) {
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    var counters: [NamedValue] = []
    while !cursor.isAtEnd(bytes) {
      let name = try cursor.name(bytes, expected: "a counter name")
      try cursor.expect(" ", bytes)
      let value = try cursor.decimal(bytes)
      try cursor.endLine(bytes)
      counters.append(NamedValue(name: name, value: value))
    }
    self.init(counters: counters)
  }

  /// The text of `/proc/vmstat`, exactly as the kernel prints it (`%s %lu` per line).
  public func render() -> String {
    var text = ""
    for counter in counters {
      text.append(counter.name)
      text.append(" ")
      text.append(counter.value)
      text.append("\n")
    }
    return text
  }
}
