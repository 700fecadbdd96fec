public import MMCore

extension SysVM {
  /// Reads the `/proc/sys/vm` files given, by file name.
  ///
  /// A single-integer sysctl is `%d\n`; `lowmem_reserve_ratio` is its ratios separated by tabs
  /// (spaces are accepted too). Files without a typed property are kept unchanged in
  /// ``SysVM/otherValues``.
  ///
  /// - Parameter files: file name (`min_free_kbytes`) → file text.
  /// - Throws: ``TextParseError`` naming `sys/vm/<name>` when a typed sysctl's text is not a
  ///   number (or, for `lowmem_reserve_ratio`, a list of numbers).
  public init(parsing files: [String: String]) throws(TextParseError) {
    self.init()
    var remaining = files
    for (name, field) in Self.integerFields {
      guard let text = remaining.removeValue(forKey: name) else { continue }
      let values = try Self.integers(in: text, file: "sys/vm/" + name, single: true)
      self[keyPath: field] = values[0]
    }
    if let text = remaining.removeValue(forKey: Self.lowmemReserveRatioName) {
      lowmemReserveRatio = try Self.integers(
        in: text, file: "sys/vm/" + Self.lowmemReserveRatioName, single: false)
    }
    otherValues = remaining
  }

  /// Reads one line of blank-separated integers (exactly one when `single`).
  private static func integers(
    in text: String, file: String, single: Bool
  ) throws(TextParseError) -> [Int] {
    let storage = Array(text.utf8)
    let bytes = storage.span
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    var values = [try cursor.signedDecimal(bytes)]
    if !single {
      cursor.skipBlanks(bytes)
      while !cursor.isAtEnd(bytes), !cursor.seesEndOfLine(bytes) {
        values.append(try cursor.signedDecimal(bytes))
        cursor.skipBlanks(bytes)
      }
    }
    try cursor.endLine(bytes)
    guard cursor.isAtEnd(bytes) else { throw cursor.failure("expected the end of the file") }
    return values
  }

  /// The `/proc/sys/vm` files for the known values, by file name, as the kernel prints them
  /// (`proc_dointvec()`: `%d`, tab-separated for vectors, then a newline); ``otherValues`` as
  /// they are.
  public func renderFiles() -> [String: String] {
    var files = otherValues
    for (name, field) in Self.integerFields {
      if let value = self[keyPath: field] { files[name] = "\(value)\n" }
    }
    if let ratios = lowmemReserveRatio {
      files[Self.lowmemReserveRatioName] = ratios.map(String.init).joined(separator: "\t") + "\n"
    }
    return files
  }
}
