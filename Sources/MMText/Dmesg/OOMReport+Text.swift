public import MMCore
internal import _MMUtilities

extension OOMReport {
  /// An OOM report found in a log: the report, where it was, the release it was read as, and
  /// what was wrong with its text.
  public struct Found: Hashable, Sendable {
    /// The report.
    public var report: OOMReport
    /// The 1-based first and last log lines the report took.
    public var lines: ClosedRange<Int>
    /// The release the report was read as: its own `CPU:` line's, else the first one the log
    /// prints.
    public var kernel: KernelVersion?
    /// The damage that was repaired (hard wraps) and the lines that could not be read, in log
    /// order; empty for an undamaged report.
    public var problems: [TextParseError]

    /// Creates a finding.
    public init(
      report: OOMReport, lines: ClosedRange<Int>, kernel: KernelVersion?,
      problems: [TextParseError]
    ) {
      self.report = report
      self.lines = lines
      self.kernel = kernel
      self.problems = problems
    }
  }

  /// Finds every OOM report, global or memcg, in a log.
  ///
  /// A report starts at its `invoked oom-killer:` header, or, when a log lost the header, at
  /// the first line of its memcg state, task table, summary or kill line. It ends at the next
  /// report, after its kill and reaper lines or its OOM panic, at a blank line, another kind
  /// of report, or the end of the log. Logs may be prefixed (see ``DmesgLine``) and
  /// hard-wrapped; a report that is cut short is still returned, with ``Found/problems``
  /// saying what is missing and ``OOMReport/isComplete`` false.
  ///
  /// - Parameters:
  ///   - text: the log.
  ///   - file: the name problems report.
  ///   - kernel: the release to read reports as when they print none of their own (by default
  ///     the first one the log prints).
  ///   - stripsPrefixes: `false` for text that is already kernel messages (what ``render()``
  ///     writes).
  ///   - firstLine: the number of `text`'s first line in the whole log (for a streamed window,
  ///     see ``ReportWindows``), so that every line number found is the whole log's.
  /// - Complexity: O(*n*) in the log's size, plus the reports' own lines.
  public static func findAll(
    in text: String, file: String = "log", kernel: KernelVersion? = nil,
    stripsPrefixes: Bool = true, firstLine: Int = 1
  ) -> [Found] {
    findAll(
      in: LogScanner(
        text: text, file: file, stripsPrefixes: stripsPrefixes, firstLine: firstLine),
      kernel: kernel)
  }

  /// What ``findAll(in:file:kernel:stripsPrefixes:firstLine:)`` finds, in a log already split into
  /// lines (one split shared by every finder that reads the same text).
  package static func findAll(in log: LogScanner, kernel: KernelVersion?) -> [Found] {
    var scanner = log
    let stripsPrefixes = scanner.lexed
    let logKernel = kernel ?? scanner.firstKernelVersion()
    let headers = (0..<scanner.count).filter {
      !scanner.lines[$0].isComment && scanner.startsOOMReport($0)
    }
    var assemblies: [OOMAssembly] = []
    for (index, start) in headers.enumerated() where !scanner.consumed[start] {
      let limit = index + 1 < headers.count ? headers[index + 1] : scanner.count
      assemblies.append(scanner.assembleOOM(from: start, limit: limit))
    }
    var j = 0
    while j < scanner.count {
      defer { j += 1 }
      guard !scanner.consumed[j], !scanner.lines[j].isComment,
        scanner.startsHeadlessOOMReport(j)
      else { continue }
      let limit = headers.first { $0 > j } ?? scanner.count
      let assembly = scanner.assembleOOM(from: j, limit: limit)
      assemblies.append(assembly)
      j = max(j, assembly.last)
    }
    return assemblies.sorted { $0.first < $1.first }.map { assembly in
      let report = OOMReport(entries: assembly.entries)
      var problems = assembly.problems
      if stripsPrefixes, report.header == nil {
        problems.append(
          scanner.error(
            at: assembly.first, offset: 0, "no 'invoked oom-killer:' header before this line"))
      }
      if stripsPrefixes, report.killed == nil, report.panic == nil,
        !report.foundNoKillableProcess, !report.victimWasExiting
      {
        let end = assembly.last
        problems.append(
          scanner.error(
            at: end, offset: scanner.message(end).count,
            "no 'Killed process' line or OOM panic follows (the log ends or is cut)"))
      }
      return Found(
        report: report,
        lines: scanner.lines[assembly.first].number...scanner.lines[assembly.last].number,
        kernel: report.kernel ?? logKernel,
        problems: problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
  }

  /// Parses one report from its text.
  ///
  /// - Parameters:
  ///   - text: the kernel's lines without log prefixes (what ``render()`` writes).
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` when the text does not start with an OOM report, at the first
  ///   line that does not fit its shape, or at text after the report.
  public init(parsing text: String, file: String = "report") throws(TextParseError) {
    let found = Self.findAll(in: text, file: file, stripsPrefixes: false)
    let lines = DmesgLine.lines(in: Array(text.utf8).span, stripsPrefixes: false)
    let firstLine = lines.first { !$0.isComment }?.number ?? 1
    guard let first = found.first, first.lines.lowerBound == firstLine else {
      throw TextParseError(
        file: file, line: firstLine, column: 1, reason: "expected an OOM report")
    }
    if let problem = first.problems.first { throw problem }
    let lastLine = lines.last { !$0.isComment }?.number ?? firstLine
    if found.count > 1 || first.lines.upperBound < lastLine {
      let next = found.count > 1 ? found[1].lines.lowerBound : first.lines.upperBound + 1
      throw TextParseError(
        file: file, line: next, column: 1, reason: "unexpected text after the report")
    }
    self = first.report
  }

  /// The report as the kernel prints it, each line ending in a newline.
  public func render() -> String {
    var text = ""
    for entry in entries {
      text += entry.line.render() + "\n"
    }
    return text
  }
}
