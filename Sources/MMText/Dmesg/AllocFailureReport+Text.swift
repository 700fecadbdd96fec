public import MMCore
internal import _MMUtilities

extension AllocFailureReport {
  /// A report found in a log: the report, where it was, the release it was read as, and what
  /// was wrong with its text.
  public struct Found: Hashable, Sendable {
    /// The report.
    public var report: AllocFailureReport
    /// The 1-based first and last log lines the report took (other reports' lines may be
    /// interleaved in between).
    public var lines: ClosedRange<Int>
    /// The release the report was read as: its own `CPU:` line's, else the one the caller gave,
    /// else the first one the log prints.
    public var kernel: KernelVersion?
    /// The damage that was repaired (hard wraps, fragments printed on lines of their own,
    /// quoted-printable `=3D`, a task name printed apart from its message) and the fields that
    /// could not be read, in log order; empty for an undamaged report.
    public var problems: [TextParseError]
    /// The 1-based log line each of `report.showMem.lines` was read from (the first, for a
    /// hard-wrapped or `KERN_CONT`-joined line); empty when the report has no block.
    public var showMemLines: [Int]

    /// Creates a finding.
    public init(
      report: AllocFailureReport, lines: ClosedRange<Int>, kernel: KernelVersion?,
      problems: [TextParseError], showMemLines: [Int] = []
    ) {
      self.report = report
      self.lines = lines
      self.kernel = kernel
      self.problems = problems
      self.showMemLines = showMemLines
    }
  }

  /// Finds every allocation-failure report in a log.
  ///
  /// A report runs from its header to the end of its `Mem-Info:` block, or, when the log holds
  /// no block (a truncated paste, a rate-limited `show_mem`), up to the next report, a blank
  /// line, another kind of report (`invoked oom-killer`, `Kernel panic`, …) or the end. Logs may
  /// be prefixed (see ``DmesgLine``), hard-wrapped, interleaved with other CPUs' output or cut
  /// short: lines are put back together where their shape allows, and a report whose fields are
  /// missing is still returned, with ``Found/problems`` saying what is missing. A stack dump
  /// with a `warn_alloc` frame whose header the log does not hold is returned with a `nil`
  /// header.
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
    // The first release the log prints, looked up only when a report needs it.
    let reader = scanner
    var logKernel: KernelVersion?? = kernel.map { .some($0) }
    func fallback() -> KernelVersion? {
      if let known = logKernel { return known }
      let found = reader.firstKernelVersion()
      logKernel = .some(found)
      return found
    }
    var headers: [HeaderAssembly] = []
    for j in 0..<scanner.count where !scanner.consumed[j] && !scanner.lines[j].isComment {
      guard scanner.headerStart(at: j) != nil else { continue }
      headers.append(scanner.assembleHeader(at: j))
    }
    headers.sort { ($0.lines.first ?? 0) < ($1.lines.first ?? 0) }
    let starts = headers.compactMap(\.lines.first)
    var found: [Found] = []
    for (index, header) in headers.enumerated() {
      let first = header.lines.first ?? 0
      let limit = index + 1 < starts.count ? starts[index + 1] : scanner.count
      let body = scanner.assembleBody(
        from: scanner.nextLine(after: first), limit: limit, comm: header.fields?.comm)
      let readAs = body.task?.kernel ?? fallback()
      var problems = header.problems + body.problems
      let parsed = header.fields?.header(kernel: readAs)
      let headerEnd = header.lines.last ?? first
      if let parsed, let readAs, WarnAllocHeader.Layout(kernel: readAs) > parsed.layout {
        problems.append(
          scanner.error(
            at: headerEnd, offset: scanner.message(headerEnd).count,
            "the header lacks fields that \(readAs) prints (cut short?)"))
      }
      if body.showMem == nil, stripsPrefixes {
        let end = body.lastLine ?? headerEnd
        problems.append(
          scanner.error(
            at: end, offset: scanner.message(end).count,
            "no Mem-Info block follows (the log ends, is cut, or show_mem was rate-limited)"))
      }
      let report = AllocFailureReport(
        header: parsed, task: body.task, taskLineIndex: body.taskLineIndex, trace: body.trace,
        showMem: body.showMem, headerLines: header.lines.map { scanner.lines[$0].number })
      let last = max(body.lastLine ?? first, header.lines.last ?? first)
      found.append(
        Found(
          report: report, lines: scanner.lines[first].number...scanner.lines[last].number,
          kernel: readAs, problems: sortedProblems(problems), showMemLines: body.showMemLines))
    }
    found += headlessReports(&scanner, headerStarts: starts, kernel: fallback)
    return found.sorted { $0.lines.lowerBound < $1.lines.lowerBound }
  }

  /// Stack dumps with a reliable `warn_alloc` frame outside every report: reports whose header
  /// the log lost.
  private static func headlessReports(
    _ scanner: inout LogScanner, headerStarts: [Int], kernel: () -> KernelVersion?
  ) -> [Found] {
    var found: [Found] = []
    var j = 0
    while j < scanner.count {
      defer { j += 1 }
      guard !scanner.consumed[j], !scanner.lines[j].isComment,
        scanner.isReliableWarnAllocFrame(j)
      else { continue }
      // The dump starts at its `Call Trace:` line, or at the `CPU:` line a little before that.
      var start = j
      var candidate = scanner.previousFreeLine(before: j)
      var steps = 0
      while let k = candidate, steps < 60, !scanner.isBoundary(k),
        scanner.headerStart(at: k) == nil
      {
        if scanner.isCallTraceLine(k) {
          start = k
          break
        }
        candidate = scanner.previousFreeLine(before: k)
        steps += 1
      }
      candidate = scanner.previousFreeLine(before: start)
      steps = 0
      while let k = candidate, steps < 20, !scanner.isBoundary(k), !scanner.isCallTraceLine(k),
        scanner.headerStart(at: k) == nil
      {
        if scanner.isDumpStackInfo(k) {
          start = k
          break
        }
        candidate = scanner.previousFreeLine(before: k)
        steps += 1
      }
      let limit = headerStarts.first { $0 > j } ?? scanner.count
      let body = scanner.assembleBody(from: start, limit: limit, comm: nil)
      let readAs = body.task?.kernel ?? kernel()
      let report = AllocFailureReport(
        header: nil, task: body.task, taskLineIndex: body.taskLineIndex, trace: body.trace,
        showMem: body.showMem)
      let last = body.lastLine ?? start
      var problems =
        [scanner.error(at: start, offset: 0, "no warn_alloc header before this stack dump")]
        + body.problems
      if body.showMem == nil {
        problems.append(
          scanner.error(
            at: last, offset: scanner.message(last).count,
            "no Mem-Info block follows (the log ends, is cut, or show_mem was rate-limited)"))
      }
      found.append(
        Found(
          report: report, lines: scanner.lines[start].number...scanner.lines[last].number,
          kernel: readAs, problems: sortedProblems(problems), showMemLines: body.showMemLines))
      j = max(j, last)
    }
    return found
  }

  private static func sortedProblems(_ problems: [TextParseError]) -> [TextParseError] {
    problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
  }

  /// Parses one report from its text.
  ///
  /// - Parameters:
  ///   - text: the kernel's lines without log prefixes (what ``render()`` writes).
  ///   - kernel: the release to read it as when it prints none of its own.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` when the text does not start with a header, at the first
  ///   field that is missing or malformed, or at text after the report.
  public init(
    parsing text: String, kernel: KernelVersion? = nil, file: String = "report"
  ) throws(TextParseError) {
    let found = Self.findAll(in: text, file: file, kernel: kernel, stripsPrefixes: false)
    let lines = DmesgLine.lines(in: Array(text.utf8).span, stripsPrefixes: false)
    let firstLine = lines.first { !$0.isComment }?.number ?? 1
    guard let first = found.first, first.report.header != nil,
      first.lines.lowerBound == firstLine
    else {
      throw TextParseError(
        file: file, line: firstLine, column: 1, reason: "expected a warn_alloc header")
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

  /// The report as the kernel prints it: the header, the stack dump, the `Mem-Info:` block,
  /// each line ending in a newline.
  public func render() -> String {
    var text = ""
    header?.render(into: &text)
    for (index, line) in trace.enumerated() {
      if index == taskLineIndex, let task { text += task.render() + "\n" }
      text += line + "\n"
    }
    if taskLineIndex >= trace.count, let task { text += task.render() + "\n" }
    showMem?.render(into: &text)
    return text
  }
}
