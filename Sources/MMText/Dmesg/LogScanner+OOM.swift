internal import MMCore
internal import _MMUtilities

/// An OOM report read from a log.
struct OOMAssembly {
  var entries: [OOMReport.Entry] = []
  /// The first and last lines (indices) the report took.
  var first: Int
  var last: Int
  var problems: [TextParseError] = []
}

/// Where a line stands in an OOM report's print order; a typed line that prints earlier than
/// one already read starts the next report.
private func phase(_ line: OOMReport.Line) -> Int? {
  switch line {
  case .header: 0
  case .cpuset: 1
  case .task: 2
  case .showMem, .memcg: 3
  case .tasksState, .taskTableHeader, .taskRow: 4
  case .summary: 5
  case .selection: 6
  case .killed, .oomGroup, .noKillableProcesses, .victimExiting: 7
  case .reaper: 8
  case .panic: 9
  case .text: nil
  }
}

extension LogScanner {
  /// The typed OOM line at `j` (without joining continuations), or `nil`.
  func oomLine(at j: Int, table: OOMTaskTableLayout? = nil, inStats: Bool = false)
    -> OOMReport.Line?
  {
    try? scanOOMLine(bytes.span.extracting(message(j)), table: table, inStats: inStats)
  }

  /// Whether line `j` starts an OOM report: the `invoked oom-killer:` header.
  ///
  /// Only a header indented by spaces, without `comm invoked`, needs the line read: every
  /// other line is told by its text alone.
  func startsOOMReport(_ j: Int) -> Bool {
    let b = bytes.span.extracting(message(j))
    if firstIndex(of: " invoked oom-killer:", in: b) != nil { return true }
    var s = Scanner()
    s.skipSpaces(b)
    guard s.sees("oom-killer: gfp_mask=", b) else { return false }
    if s.i == 0 { return true }
    if case .header = oomLine(at: j) { return true }
    return false
  }

  /// Whether line `j` can open a report whose header a log lost: memcg state, the task table,
  /// the summary, a kill line, a reaper line or an OOM panic.
  func startsHeadlessOOMReport(_ j: Int) -> Bool {
    guard let line = oomLine(at: j), let phase = phase(line) else { return false }
    return phase >= 3 && phase <= 9
  }

  /// Whether line `j` ends an OOM report before it: a blank line in a log, an
  /// allocation-failure header, a non-OOM panic or warning.
  private func endsOOMReport(_ j: Int) -> Bool {
    if lexed, lines[j].isBlank { return true }
    if headerStart(at: j) != nil { return true }
    let b = bytes.span.extracting(message(j))
    for start: StaticString in [
      "Kernel panic", "------------[ cut here ]------------", "---[ end ", "Rebooting in ",
    ] where matches(start, in: b, at: 0) {
      if case .panic = oomLine(at: j) { return false }
      return true
    }
    return false
  }

  /// Reads the OOM report that starts at line `start`, up to the line before `limit`.
  ///
  /// The report ends before a line that prints earlier in the kernel's order than one already
  /// read (the next report), at the boundaries of ``endsOOMReport(_:)``, and after the kill
  /// line with the reaper's lines that follow it, or after an OOM panic.
  mutating func assembleOOM(from start: Int, limit: Int) -> OOMAssembly {
    var report = OOMAssembly(first: start, last: start)
    var reached = -1
    var table: OOMTaskTableLayout?
    var inStats = false
    var sawRow = false
    var sawTask = false
    var candidate: Int? = start
    while let k = candidate, k < limit {
      if lexed, lines[k].isBlank {
        // A paste's spacing: skipped when a line of the report's own shapes follows.
        guard let next = nextLine(after: k), next < limit, !lines[next].isBlank,
          !endsOOMReport(next), !startsOOMReport(next),
          let following = oomLine(at: next, table: table, inStats: inStats).flatMap(phase),
          following >= reached, following >= 7 || reached < 7
        else { break }
        report.problems.append(error(at: k, offset: 0, "blank line inside the report"))
        consumed[k] = true
        candidate = next
        continue
      }
      if k != start, endsOOMReport(k) || startsOOMReport(k) { break }
      if isMemInfoLine(k) {
        guard reached <= 3 else { break }
        let block = assembleShowMem(from: k, memInfoLine: true, limit: limit)
        append(.showMem(block.showMem), k, to: &report, last: block.lastLine)
        report.problems += block.problems
        reached = 3
        inStats = false
        candidate = nextLine(after: k)
        continue
      }
      if reached < 3, !sawTask, isDumpStackInfo(k), let (info, taken, joins) = assembleTask(at: k) {
        sawTask = true
        for line in taken { consumed[line] = true }
        append(.task(info), k, to: &report, last: taken.max() ?? k)
        report.problems += joins
        reached = max(reached, 2)
        candidate = nextLine(after: k)
        continue
      }
      var lineProblems: [TextParseError] = []
      var (line, taken) = readOOMLine(
        at: k, table: table, inStats: inStats, problems: &lineProblems)
      if line == nil, reached < 2, let cpuset = scanOOMCpusetLine(bytes.span.extracting(message(k)))
      {
        line = .cpuset(cpuset)
      }
      let typed = line ?? .text(text(k))
      if let p = phase(typed) {
        var startsNext = p < reached
        switch typed {
        case .tasksState, .taskTableHeader: startsNext = startsNext || sawRow
        case .summary: startsNext = startsNext || report.entries.contains { $0.line.isSummary }
        case .header: startsNext = k != start
        default: break
        }
        if startsNext { break }
        reached = max(reached, p)
      } else if reached >= 7 {
        break
      }
      switch typed {
      case .taskTableHeader(let layout): table = layout
      case .taskRow(let row):
        table = row.layout
        sawRow = true
      case .memcg(.stats(_, nil)): inStats = true
      case .memcg(.stat): break
      default: inStats = false
      }
      for line in taken { consumed[line] = true }
      report.problems += lineProblems
      append(typed, k, to: &report, last: taken.max() ?? k)
      if case .panic = typed { break }
      candidate = nextLine(after: taken.max() ?? k)
    }
    return report
  }

  private func append(
    _ line: OOMReport.Line, _ k: Int, to report: inout OOMAssembly, last: Int
  ) {
    report.entries.append(OOMReport.Entry(line, sourceLine: lines[k].number))
    report.last = max(report.last, last)
  }

  /// Reads the typed line at `k`, joining hard-wrapped continuations while it ends early; a
  /// line that does not fit its shape is returned as `nil` (text) with a problem.
  private func readOOMLine(
    at k: Int, table: OOMTaskTableLayout?, inStats: Bool, problems: inout [TextParseError]
  ) -> (OOMReport.Line?, [Int]) {
    var logical = logicalLine(k)
    var joins: [TextParseError] = []
    while true {
      do throws(ScanStop) {
        var line = try scanOOMLine(logical.bytes.span, table: table, inStats: inStats)
        guard line != nil else { return (nil, [k]) }
        // A kill line may read as complete and still go on on a hard-wrapped line.
        while let current = line, current.mayContinue,
          let next = continuation(of: logical, expecting: .lineText, window: 0),
          next.join == .hardWrap
        {
          var longer = logical
          var joined: [TextParseError] = []
          join(next.line, spaced: next.spaced, how: next.join, to: &longer, problems: &joined)
          guard let again = try? scanOOMLine(longer.bytes.span, table: table, inStats: inStats),
            again.mayContinue
          else { break }
          logical = longer
          joins += joined
          line = again
        }
        problems += joins
        return (line, logical.lines)
      } catch {
        switch error {
        case .needs(let expectation, let at):
          if let next = continuation(of: logical, expecting: expectation, window: 0) {
            join(next.line, spaced: next.spaced, how: next.join, to: &logical, problems: &joins)
            continue
          }
          problems.append(
            self.error(
              in: logical, at: at, "the line ends early; expected \(expectation.kernelText)"))
        case .invalid(let reason, let at, _):
          problems.append(self.error(in: logical, at: at, reason))
        }
        return (nil, [k])
      }
    }
  }
}

extension OOMReport.Line {
  /// Whether a hard-wrapped continuation can add fields to the line (a `Killed process` line
  /// that stops after the name or the UID).
  fileprivate var mayContinue: Bool {
    if case .killed = self { return true }
    return false
  }

  fileprivate var isSummary: Bool {
    if case .summary = self { return true }
    return false
  }
}
