internal import MMCore
internal import _MMUtilities

/// A `Mem-Info:` block read from a log.
struct ShowMemAssembly {
  var showMem: ShowMem
  /// The 1-based log line each of the block's lines was read from (the first, for a joined
  /// line).
  var sourceLines: [Int]
  /// The last line (index) the block took.
  var lastLine: Int
  /// What was wrong or repaired.
  var problems: [TextParseError]
}

/// What follows a header up to the end of a report: the stack dump and the `Mem-Info:` block.
struct BodyAssembly {
  var task: DumpStackInfo?
  var taskLineIndex = 0
  var trace: [String] = []
  var showMem: ShowMem?
  /// The 1-based log line of each of ``showMem``'s lines.
  var showMemLines: [Int] = []
  /// The last line (index) the body took, `nil` when it took none.
  var lastLine: Int?
  var problems: [TextParseError] = []
}

extension LogScanner {
  /// Reads the `Mem-Info:` block that starts at line `start` (the `Mem-Info:` line itself, or
  /// the block's first line when a paste lost it), up to the line before `limit`.
  ///
  /// The block ends at a blank line, an elision mark, another report's start, a `CPU:` or
  /// `Call Trace:` line, and after the page totals at the first line that is not one. Lines of
  /// shapes oomlab does not model stay in the block as printed.
  mutating func assembleShowMem(from start: Int, memInfoLine: Bool, limit: Int)
    -> ShowMemAssembly
  {
    var block: [ShowMem.Line] = []
    var sourceLines: [Int] = []
    var problems: [TextParseError] = []
    var lastLine = start
    if memInfoLine { consumed[start] = true }
    var sawTotals = false
    var profiling = false
    var candidate: Int? = memInfoLine ? nextLine(after: start) : start
    while let k = candidate, k < limit {
      if isBoundary(k) || isElision(k) || headerStart(at: k) != nil || isMemInfoLine(k)
        || isDumpStackInfo(k) || isCallTraceLine(k)
      {
        break
      }
      var read: [(line: ShowMem.Line, logical: LogicalLine)] = []
      var lineProblems: [TextParseError] = []
      let segments = syslogEscapedSegments(k)
      if segments.count > 1 {
        // rsyslog wrote the multi-line counter block as one line, newlines escaped as `#012`.
        lineProblems.append(
          error(at: k, offset: 0, "syslog-escaped newlines '#012' read as line breaks"))
        for segment in segments {
          var logical = LogicalLine()
          logical.append(bytes.span, segment, line: k, spaced: false)
          let line = readShowMemLine(
            &logical, after: read.last?.line ?? block.last, joins: false,
            problems: &lineProblems)
          read.append((line, logical))
        }
      } else {
        var logical = logicalLine(k)
        let line = readShowMemLine(
          &logical, after: block.last, joins: true, problems: &lineProblems)
        read.append((line, logical))
      }
      if sawTotals {
        var belongs = true
        for (line, _) in read {
          switch line {
          case .pages: break
          case .unrecognized(let text):
            if text.hasPrefix("Memory allocations (") {
              profiling = true
            } else if !(profiling && text.hasPrefix(" ")) {
              belongs = false
            }
          default: belongs = false
          }
        }
        if !belongs { break }
      }
      for (line, logical) in read {
        if case .pages = line { sawTotals = true }
        block.append(line)
        sourceLines.append(lines[logical.lines.first ?? k].number)
        for piece in logical.lines {
          consumed[piece] = true
          lastLine = max(lastLine, piece)
        }
      }
      problems += lineProblems
      candidate = nextLine(after: k)
    }
    if lexed, !sawTotals {
      problems.append(
        error(
          at: lastLine, offset: bytes.span.extracting(message(lastLine)).count,
          "the Mem-Info block ends before its page totals (cut short?)"))
    }
    return ShowMemAssembly(
      showMem: ShowMem(
        lines: block,
        heading: memInfoLine && text(start).hasPrefix("Mem-info:") ? "Mem-info:" : "Mem-Info:"),
      sourceLines: sourceLines, lastLine: lastLine,
      problems: problems)
  }

  /// Reads one line of a `Mem-Info:` block, joining its hard-wrapped continuations and
  /// `KERN_CONT` fragments when `joins`; a line that does not fit its shape is kept as printed.
  private func readShowMemLine(
    _ logical: inout LogicalLine, after previous: ShowMem.Line?, joins: Bool,
    problems: inout [TextParseError]
  ) -> ShowMem.Line {
    let afterCounters: Bool
    if case .counters = previous { afterCounters = true } else { afterCounters = false }
    var scan = ShowMemLineScan()
    var failure: TextParseError?
    while true {
      failure = nil
      do throws(ScanStop) {
        scan = try scanShowMemLine(logical.bytes.span, afterCounters: afterCounters)
      } catch {
        switch error {
        case .needs(let expectation, _): scan = ShowMemLineScan(wants: expectation)
        case .invalid(let reason, let at, _):
          failure = self.error(in: logical, at: at, reason)
          scan = ShowMemLineScan()
        }
      }
      guard joins, let wants = scan.wants,
        let next = continuation(
          of: logical, expecting: wants, window: 1, allowsHardWrap: !scan.complete)
      else { break }
      join(next.line, spaced: next.spaced, how: next.join, to: &logical, problems: &problems)
    }
    if let failure { problems.append(failure) }
    if let line = scan.line {
      noteQuotedPrintable(rescanQuotedPrintable(logical), in: logical, problems: &problems)
      if lexed, joins, !scan.complete, scan.wants == .lineText {
        // A zone or node line without its last field: the paste may have cut it.
        problems.append(
          error(
            in: logical, at: logical.bytes.count,
            "the line ends before its last field; its last value may be cut short"))
      }
      return line
    }
    if let wants = scan.wants {
      problems.append(
        error(
          in: logical, at: logical.bytes.count,
          "the line ends early; expected \(wants.kernelText)"))
    }
    return .unrecognized(string(logical.bytes.span, 0..<logical.bytes.count))
  }

  /// The parts of line `j`'s message between rsyslog's `#012` newline escapes.
  private func syslogEscapedSegments(_ j: Int) -> [Range<Int>] {
    let range = message(j)
    let b = bytes.span.extracting(range)
    var segments: [Range<Int>] = []
    var start = 0
    var search = 0
    while let p = firstIndex(of: "#012", in: b, from: search) {
      segments.append((range.lowerBound + start)..<(range.lowerBound + p))
      start = p + 4
      search = start
    }
    segments.append((range.lowerBound + start)..<range.upperBound)
    return segments
  }

  /// Whether line `j` is a zone or node line, which starts a `Mem-Info:` block whose first lines
  /// a paste left out.
  func startsHeadlessShowMem(_ j: Int) -> Bool {
    let b = bytes.span.extracting(message(j))
    guard let scan = try? scanShowMemLine(b, afterCounters: false) else { return false }
    switch scan.line {
    case .zone, .node: return true
    default: return false
    }
  }

  /// Reads the `CPU:` line at `j` with its hard-wrapped continuations: the line, the lines
  /// (indices) it took and the repairs; `nil` when it is not one.
  func assembleTask(at j: Int) -> (DumpStackInfo, [Int], [TextParseError])? {
    var logical = logicalLine(j)
    var joins: [TextParseError] = []
    while true {
      do throws(ScanStop) {
        let info = try scanDumpStackInfo(logical.bytes.span)
        return (info, logical.lines, joins)
      } catch {
        guard case .needs(let expectation, _) = error,
          let next = continuation(of: logical, expecting: expectation, window: 0)
        else { return nil }
        join(next.line, spaced: next.spaced, how: next.join, to: &logical, problems: &joins)
      }
    }
  }

  /// Reads the lines of a report after its header, from line `start` up to the line before
  /// `limit`: the `CPU:` line of a task named `comm` (any when `nil`), the other stack-dump
  /// lines as text, and the `Mem-Info:` block, which ends the report.
  mutating func assembleBody(from start: Int?, limit: Int, comm: String?) -> BodyAssembly {
    var body = BodyAssembly()
    var candidate = start
    while let k = candidate, k < limit {
      if isBoundary(k) || headerStart(at: k) != nil { break }
      if isMemInfoLine(k) || startsHeadlessShowMem(k) {
        let memInfo = isMemInfoLine(k)
        if !memInfo {
          body.problems.append(error(at: k, offset: 0, "no 'Mem-Info:' line before this line"))
        }
        let block = assembleShowMem(from: k, memInfoLine: memInfo, limit: limit)
        body.showMem = block.showMem
        body.showMemLines = block.sourceLines
        body.problems += block.problems
        body.lastLine = block.lastLine
        break
      }
      // The `CPU:` line of the failing task; right after the header it is the dump's own even
      // when the names differ (a poster who redacted one of them).
      if body.task == nil, isDumpStackInfo(k), let (info, taken, joins) = assembleTask(at: k),
        comm == nil || info.comm == comm || (body.trace.isEmpty && k == start)
      {
        for line in taken { consumed[line] = true }
        body.task = info
        body.taskLineIndex = body.trace.count
        body.problems += joins
        if let comm, info.comm != comm {
          body.problems.append(
            error(
              at: k, offset: 0,
              "the CPU line names task '\(info.comm)', the header '\(comm)'"))
        }
        body.lastLine = taken.max()
        candidate = nextLine(after: k)
        continue
      }
      body.trace.append(text(k))
      consumed[k] = true
      body.lastLine = k
      candidate = nextLine(after: k)
    }
    return body
  }
}
