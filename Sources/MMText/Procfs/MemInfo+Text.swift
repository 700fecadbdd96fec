public import MMCore

extension MemInfo {
  /// Parses the text of `/proc/meminfo`.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first line that is not `Name: value[ kB]`.
  public init(parsing text: String, file: String = "meminfo") throws(TextParseError) {
    let bytes = Array(text.utf8)
    try self.init(parsing: bytes.span, file: file)
  }

  /// Parses the bytes of `/proc/meminfo`; the byte-level form of the `String` initializer.
  public init(parsing bytes: Span<UInt8>, file: String = "meminfo") throws(TextParseError) {
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    var fields: [Field] = []
    while !cursor.isAtEnd(bytes) {
      let name = try cursor.name(bytes, stoppingAt: UInt8(ascii: ":"), expected: "a field name")
      try cursor.expect(":", bytes)
      let value = try cursor.column(bytes)
      let hasUnit = cursor.skip(" kB", bytes)
      try cursor.endLine(bytes)
      fields.append(Field(name: name, value: value, hasUnit: hasUnit))
    }
    self.init(fields: fields)
  }

  /// The text of `/proc/meminfo`, exactly as the kernel prints it.
  ///
  /// Most lines are `show_val_kb()`'s 16-column label and `%8lu`; `HardwareCorrupted` and the
  /// `HugePages_*` counts have their own `seq_printf` formats (a 19-column label and `%5lu`).
  public func render() -> String {
    var text = ""
    for field in fields {
      let wide = Self.wideLabelFields.contains(field.name)
      text.append(field.name + ":", leftAlignedIn: wide ? 19 : 16)
      text.append(field.value, rightAlignedIn: wide ? 5 : 8)
      text.append(field.hasUnit ? " kB\n" : "\n")
    }
    return text
  }

  /// The fields printed as `%-19s%5lu` rather than `%-16s%8lu` (`fs/proc/meminfo.c`,
  /// `hugetlb_report_meminfo()`).
  private static let wideLabelFields: Set<String> = [
    "HardwareCorrupted", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp",
  ]
}
