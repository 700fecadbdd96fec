public import MMCore

extension ProcessEntry {
  /// Reads the files of one `/proc/PID` directory, by file name.
  ///
  /// `status` is parsed with ``ProcessStatus/init(parsing:file:)``; `oom_score`,
  /// `oom_score_adj` and `oom_adj` are one `%d` line each; `comm` is one line (the name may
  /// hold spaces). Other files are ignored.
  ///
  /// - Parameters:
  ///   - pid: the directory's number.
  ///   - files: file name (`status`, `oom_score`, …) → file text.
  ///   - directory: the directory's name errors report (`<directory>/oom_score`).
  /// - Throws: ``TextParseError`` naming the file, line and column of the first bad value.
  public init(
    pid: Int, parsing files: [String: String], directory: String? = nil
  ) throws(TextParseError) {
    let folder = directory ?? String(pid)
    self.init(pid: pid)
    if let text = files["status"] {
      status = try ProcessStatus(parsing: text, file: folder + "/status")
    }
    if let text = files["comm"] {
      comm = try Self.line(text, file: folder + "/comm")
    }
    oomScore = try files["oom_score"].map { text throws(TextParseError) in
      try Self.integer(text, file: folder + "/oom_score")
    }
    oomScoreAdj = try files["oom_score_adj"].map { text throws(TextParseError) in
      try Self.integer(text, file: folder + "/oom_score_adj")
    }
    oomAdj = try files["oom_adj"].map { text throws(TextParseError) in
      try Self.integer(text, file: folder + "/oom_adj")
    }
  }

  /// The single `%d\n` line of a file.
  private static func integer(_ text: String, file: String) throws(TextParseError) -> Int {
    let storage = Array(text.utf8)
    let bytes = storage.span
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    let value = try cursor.signedDecimal(bytes)
    try cursor.endLine(bytes)
    guard cursor.isAtEnd(bytes) else { throw cursor.failure("expected the end of the file") }
    return value
  }

  /// The single `%s\n` line of a file.
  private static func line(_ text: String, file: String) throws(TextParseError) -> String {
    let storage = Array(text.utf8)
    let bytes = storage.span
    var cursor = ProcfsCursor(file: file)
    try cursor.requireContent(bytes)
    let line = cursor.restOfLine(bytes)
    try cursor.endLine(bytes)
    guard cursor.isAtEnd(bytes) else { throw cursor.failure("expected the end of the file") }
    return line
  }
}
