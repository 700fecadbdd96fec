public import MMCore

extension ProcessStatus {
  /// Parses the text of `/proc/PID/status`.
  ///
  /// Every line is `Name:<tab>value`. The fields ``ProcessStatus`` keeps are read strictly
  /// (`VmRSS:<spaces>N kB`, `Uid:` four tab-separated numbers, `CapEff:` hex); the others are
  /// passed over whatever they hold.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first line that is not `Name:` or whose kept field
  ///   does not have its format.
  public init(parsing text: String, file: String = "status") throws(TextParseError) {
    let storage = Array(text.utf8)
    try self.init(parsing: storage.span, file: file)
  }

  /// Parses the bytes of `/proc/PID/status`; the byte-level form of the `String` initializer.
  public init(parsing bytes: Span<UInt8>, file: String = "status") throws(TextParseError) {
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    self.init()
    while !cursor.isAtEnd(bytes) {
      let name = try cursor.name(bytes, stoppingAt: UInt8(ascii: ":"), expected: "a field name")
      try cursor.expect(":", bytes)
      cursor.skipBlanks(bytes)
      if let field = Self.kilobyteField(name) {
        self[keyPath: field] = try cursor.decimal(bytes)
        try cursor.expect(" kB", bytes)
      } else if let field = Self.countField(name) {
        self[keyPath: field] = try cursor.decimal(bytes)
      } else {
        try readOther(name, &cursor, bytes)
      }
      try cursor.endLine(bytes)
    }
  }

  /// Reads a field that is neither a kB value nor a count.
  private mutating func readOther(
    _ name: String, _ cursor: inout ProcfsCursor, _ bytes: Span<UInt8>
  ) throws(TextParseError) {
    switch name {
    case "Name":
      self.name = cursor.restOfLine(bytes)
    case "State":
      state = try cursor.name(bytes, expected: "a state letter")
      _ = cursor.restOfLine(bytes)
    case "Uid":
      var ids = [try cursor.decimal(bytes)]
      for _ in 1..<4 {
        cursor.skipBlanks(bytes)
        ids.append(try cursor.decimal(bytes))
      }
      uids = ids
    case "Kthread":
      let flag = try cursor.decimal(bytes)
      guard flag <= 1 else { throw cursor.failure("expected 0 or 1") }
      isKernelThread = flag == 1
    case "CapEff":
      effectiveCapabilities = try cursor.hexadecimal(bytes)
    default:
      _ = cursor.restOfLine(bytes)
    }
  }

  /// The field printed as `%8lu kB` under `name` (`task_mem()`'s `SEQ_PUT_DEC` with ` kB`).
  private static func kilobyteField(_ name: String) -> WritableKeyPath<ProcessStatus, Int?>? {
    switch name {
    case "VmRSS": \.vmRSS
    case "RssAnon": \.rssAnon
    case "RssFile": \.rssFile
    case "RssShmem": \.rssShmem
    case "VmPTE": \.vmPTE
    case "VmPMD": \.vmPMD
    case "VmSwap": \.vmSwap
    default: nil
    }
  }

  /// The field printed as a plain `%d` under `name`.
  private static func countField(_ name: String) -> WritableKeyPath<ProcessStatus, Int?>? {
    switch name {
    case "Tgid": \.tgid
    case "Pid": \.pid
    case "PPid": \.ppid
    case "Threads": \.threads
    default: nil
    }
  }
}
