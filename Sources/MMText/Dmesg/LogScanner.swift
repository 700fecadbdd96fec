internal import MMCore
internal import _MMUtilities

/// A kernel log split into lines, with the assembly steps the report parsers share: putting
/// hard-wrapped and `KERN_CONT`-split lines back together, and reading a header, a `CPU:` line
/// and a `Mem-Info:` block out of the lines.
///
/// Lines that a step has used are marked consumed, so that interleaved reports do not take the
/// same line twice.
package struct LogScanner {
  /// The log's name, for errors.
  let file: String
  /// The log's bytes.
  let bytes: [UInt8]
  /// The lines, prefixes located.
  let lines: [DmesgLine]
  /// Whether log prefixes were taken off (`false` for renderer output).
  let lexed: Bool
  /// Lines already used by a report.
  var consumed: [Bool]

  /// Splits `text` into lines numbered from `firstLine` (the first line's number in the whole
  /// log when `text` is a part of it).
  package init(text: String, file: String, stripsPrefixes: Bool, firstLine: Int = 1) {
    self.file = file
    let bytes = Array(text.utf8)
    let lines = DmesgLine.lines(
      in: bytes.span, stripsPrefixes: stripsPrefixes, firstLine: firstLine)
    self.bytes = bytes
    self.lines = lines
    lexed = stripsPrefixes
    consumed = Array(repeating: false, count: lines.count)
  }

  /// The number of lines.
  var count: Int { lines.count }

  // MARK: - Lines

  /// The message bytes of line `j`.
  func message(_ j: Int) -> Range<Int> { lines[j].message }

  /// The message of line `j` as text.
  func text(_ j: Int) -> String { string(bytes.span, message(j)) }

  /// The next line after `j` that is not a comment and not consumed.
  func nextLine(after j: Int) -> Int? {
    var k = j + 1
    while k < lines.count {
      if !consumed[k], !lines[k].isComment { return k }
      k += 1
    }
    return nil
  }

  /// The previous line before `j` that is not a comment and not consumed.
  func previousLine(before j: Int) -> Int? {
    var k = j - 1
    while k >= 0 {
      if !consumed[k], !lines[k].isComment { return k }
      k -= 1
    }
    return nil
  }

  /// The previous line before `j` that is not a comment, when it is not consumed (so that a
  /// walk backwards stops at another report).
  func previousFreeLine(before j: Int) -> Int? {
    var k = j - 1
    while k >= 0, lines[k].isComment { k -= 1 }
    return k >= 0 && !consumed[k] ? k : nil
  }

  /// An error at byte `offset` of line `j`'s message.
  func error(at j: Int, offset: Int, _ reason: String) -> TextParseError {
    let line = lines[j]
    return TextParseError(
      file: file, line: line.number,
      column: line.messageStart - line.range.lowerBound + offset + 1, reason: reason)
  }

  /// An error at byte `offset` of a logical line.
  func error(in logical: LogicalLine, at offset: Int, _ reason: String) -> TextParseError {
    let (line, offsetInLine) = logical.location(of: offset)
    return error(at: line, offset: offsetInLine, reason)
  }

  /// The logical line holding only line `j`.
  func logicalLine(_ j: Int) -> LogicalLine {
    var logical = LogicalLine()
    logical.append(bytes.span, message(j), line: j, spaced: false)
    return logical
  }

  /// The first release any line of the log prints (a `CPU:` line, the boot banner).
  func firstKernelVersion() -> KernelVersion? {
    let span = bytes.span
    for line in lines where !line.isComment {
      if let version = KernelVersion.find(inLogLine: span.extracting(line.message)) {
        return version
      }
    }
    return nil
  }

  // MARK: - Classification

  /// Whether line `j` starts a warn_alloc header: a message keyword at the start of the message
  /// or after `comm: `; a bare `vmalloc: allocation failure…` without a mask is the ≤ 4.8 line
  /// before a header, not a header.
  func headerStart(at j: Int) -> (offset: Int, keyword: HeaderKeyword)? {
    let b = bytes.span.extracting(message(j))
    guard let (offset, keyword) = headerKeyword(in: b) else { return nil }
    if offset > 0 {
      guard offset >= 2, b[offset - 2] == UInt8(ascii: ":"), b[offset - 1] == 0x20 else {
        return nil
      }
    } else if keyword == .vmallocAllocationFailure, firstIndex(of: ", mode:", in: b) == nil {
      return nil
    }
    return (offset, keyword)
  }

  /// The ≤ 4.8 vmalloc message on line `j`, if that is all the line holds.
  func vmallocPreamble(at j: Int) -> WarnAllocHeader.VMallocFailure? {
    scanVMallocPreamble(bytes.span.extracting(message(j)))
  }

  /// Whether line `j` is `Mem-Info:` (`Mem-info:` from arm's own `show_mem()` of the 3.x era,
  /// as the corpus's 3.2 and 3.10 arm reports print it).
  func isMemInfoLine(_ j: Int) -> Bool {
    let b = bytes.span.extracting(message(j))
    var s = Scanner()
    var t = Scanner()
    return (s.skip("Mem-Info:", b) && s.atEnd(b)) || (t.skip("Mem-info:", b) && t.atEnd(b))
  }

  /// Whether line `j` is `Call Trace:` (`Call trace:` on arm64).
  func isCallTraceLine(_ j: Int) -> Bool {
    let b = bytes.span.extracting(message(j))
    var s = Scanner()
    s.skipSpaces(b)
    return s.sees("Call Trace:", b) || s.sees("Call trace:", b)
  }

  /// Whether line `j` belongs to a stack dump: `Call Trace:`, a frame (`func+0x46/0x6e`), the
  /// `</TASK>` mark, or the `CPU:` line.
  func isStackDumpLine(_ j: Int) -> Bool {
    let b = bytes.span.extracting(message(j))
    if isCallTraceLine(j) || isDumpStackInfo(j) || firstIndex(of: "</TASK>", in: b) != nil {
      return true
    }
    guard let offset = firstIndex(of: "+0x", in: b) else { return false }
    return firstIndex(of: "/0x", in: b, from: offset) != nil
  }

  /// Whether line `j` is a `CPU: … Comm: …` line.
  func isDumpStackInfo(_ j: Int) -> Bool {
    looksLikeDumpStackInfo(bytes.span.extracting(message(j)))
  }

  /// Whether line `j` ends any report: the start of another kind of report, or a blank line in
  /// a log (a paste's boundary).
  func isBoundary(_ j: Int) -> Bool {
    if lexed, lines[j].isBlank { return true }
    let b = bytes.span.extracting(message(j))
    if Self.boundaryStarts.contains(where: { matches($0, in: b, at: 0) }) { return true }
    return firstIndex(of: " invoked oom-killer: ", in: b) != nil
  }

  /// How the lines that start other kinds of reports (and a panic's tail) begin.
  private static let boundaryStarts: [StaticString] = [
    "Out of memory", "Kernel panic", "oom-kill:", "Memory cgroup out of memory",
    "Killed process", "------------[ cut here ]------------", "---[ end ", "Kernel Offset:",
    "Rebooting in ",
  ]

  /// Whether line `j` is a mark where a poster left lines out (`...`, `[...]`,
  /// `(...snipped...)`).
  func isElision(_ j: Int) -> Bool {
    Self.elisions.contains(text(j).trimmingASCIIWhitespace())
  }

  private static let elisions: Set<String> = [
    "...", "[...]", "(...)", "(...snipped...)", "[snip]", "<snip>", "…", "[…]",
  ]

  /// Whether line `j` is a reliable `warn_alloc` frame of a stack trace (not a `? ` guess).
  func isReliableWarnAllocFrame(_ j: Int) -> Bool {
    let b = bytes.span.extracting(message(j))
    var search = 0
    while let p = firstIndex(of: "warn_alloc", in: b, from: search) {
      search = p + 10
      let after = p + 10
      guard after < b.count else { continue }
      let suffix =
        b[after] == UInt8(ascii: "+") || b[after] == UInt8(ascii: ".")
        || matches("_failed+", in: b, at: after) || matches("_failed.", in: b, at: after)
      let before = p == 0 || b[p - 1] == 0x20 || b[p - 1] == UInt8(ascii: "]")
      let guessed = p >= 2 && b[p - 2] == UInt8(ascii: "?") && b[p - 1] == 0x20
      if suffix, before, !guessed { return true }
    }
    return false
  }

  /// The task name of a `comm: ` line printed on its own (interleaved output), if line `j` is
  /// one.
  func commFragment(at j: Int) -> String? {
    let b = bytes.span.extracting(message(j))
    var end = b.count
    while end > 0, b[end - 1] == 0x20 { end -= 1 }
    guard end >= 2, b[end - 1] == UInt8(ascii: ":") else { return nil }
    for k in 0..<(end - 1) where b[k] == 0x20 { return nil }
    let name = string(b, 0..<(end - 1))
    return name == "Mem-Info" || name.isEmpty ? nil : name
  }

  /// Whether line `j` is a cpuset line (`<comm> cpuset=…`) for a task named `comm` (any task
  /// when `nil`).
  func isCpusetLine(_ j: Int, comm: String?) -> Bool {
    let b = bytes.span.extracting(message(j))
    guard let p = firstIndex(of: "cpuset=", in: b) else { return false }
    if let comm {
      let name = Array(comm.utf8)
      guard p == name.count + 1, b[p - 1] == 0x20 else { return false }
      for k in 0..<name.count where b[k] != name[k] { return false }
      return true
    }
    if p == 0 { return true }
    guard b[p - 1] == 0x20 else { return false }
    for k in 0..<(p - 1) where b[k] == 0x20 { return false }
    return true
  }

  /// Whether line `j` can be the fragment that `expectation` waits for.
  func fragmentMatches(_ expectation: Expectation, _ j: Int) -> Bool {
    let b = bytes.span.extracting(message(j))
    var s = Scanner()
    switch expectation {
    case .mode: return s.sees(", mode:", b)
    case .nodemaskValue: return s.sees("(null)", b) || (!b.isEmpty && isDigit(b[0]))
    case .inlineCpuset: return s.sees(",cpuset=", b)
    case .inlineMemsAllowed: return s.sees(",mems_allowed=", b)
    case .spacedMemsAllowed: return s.sees(" mems_allowed=", b) || s.sees("mems_allowed=", b)
    case .cpusetName:
      var end = b.count
      while end > 0, b[end - 1] == 0x20 { end -= 1 }
      guard end > 0, b[0] != 0x20, b[end - 1] != UInt8(ascii: ":") else { return false }
      for k in 0..<end where b[k] == 0x20 { return false }
      return !looksLikeDumpStackInfo(b)
    case .freeAreaTerms:
      s.skipSpaces(b)
      guard s.i < b.count else { return false }
      if b[s.i] == UInt8(ascii: "(") || b[s.i] == UInt8(ascii: "=") { return true }
      guard (try? s.decimal(b, .end)) != nil else { return false }
      return s.sees("*", b)
    case .lowmemValues:
      s.skipSpaces(b)
      guard s.i < b.count else { return false }
      while s.i < b.count {
        let byte = b[s.i]
        guard isDigit(byte) || byte == 0x20 || byte == UInt8(ascii: "-") else { return false }
        s.i += 1
      }
      return true
    case .headerText, .lineText, .end: return false
    }
  }

  // MARK: - Continuations

  /// How a continuation line joins the text before it.
  enum Join { case hardWrap, fragment }

  /// The line that continues `logical`, which wants `expectation`: the next line when the log
  /// is hard-wrapped (it has no logging prefix though the logical line's first line had one),
  /// else, for expectations that `KERN_CONT` fragments can supply, the first of the next
  /// `window` lines that has the fragment's shape.
  ///
  /// Lines in `excluding` (already joined once and cut off again) are passed over.
  func continuation(
    of logical: LogicalLine, expecting expectation: Expectation, window: Int,
    allowsHardWrap: Bool = true, excluding: Set<Int> = []
  ) -> (line: Int, spaced: Bool, join: Join)? {
    guard let first = logical.pieces.first, let last = logical.pieces.last,
      var next = nextLine(after: last.line)
    else { return nil }
    while excluding.contains(next) {
      guard let following = nextLine(after: next) else { return nil }
      next = following
    }
    let nextMessage = message(next)
    let startsWithBlank = !nextMessage.isEmpty && bytes[nextMessage.lowerBound] == 0x20
    if allowsHardWrap, lexed, lines[first.line].hasLoggingPrefix, !lines[next].hasLoggingPrefix,
      !lines[next].isBlank, !nextMessage.isEmpty, headerStart(at: next) == nil
    {
      return (next, !logical.endsWithBlank && !startsWithBlank, .hardWrap)
    }
    guard expectation.allowsFragments else { return nil }
    var candidate = next
    for _ in 0..<window {
      if isBoundary(candidate) || headerStart(at: candidate) != nil { return nil }
      if !excluding.contains(candidate), fragmentMatches(expectation, candidate) {
        let message = message(candidate)
        let blank = !message.isEmpty && bytes[message.lowerBound] == 0x20
        let spaced: Bool
        switch expectation {
        case .freeAreaTerms, .lowmemValues, .spacedMemsAllowed:
          spaced = !logical.endsWithBlank && !blank
        default:
          spaced = false
        }
        return (candidate, spaced, .fragment)
      }
      guard let following = nextLine(after: candidate) else { return nil }
      candidate = following
    }
    return nil
  }

  /// Appends the continuation `line` to `logical` and notes the repair in `problems`.
  func join(
    _ line: Int, spaced: Bool, how: Join, to logical: inout LogicalLine,
    problems: inout [TextParseError]
  ) {
    let firstLine = lines[logical.pieces.first?.line ?? line].number
    problems.append(
      error(
        at: line, offset: 0,
        how == .hardWrap
          ? "hard-wrapped: continues line \(firstLine)"
          : "KERN_CONT fragment of line \(firstLine), printed on a line of its own"))
    logical.append(bytes.span, message(line), line: line, spaced: spaced)
  }

  /// Notes every `=3D` the scan read as `=`.
  func noteQuotedPrintable(
    _ offsets: [Int], in logical: LogicalLine, problems: inout [TextParseError]
  ) {
    for offset in offsets {
      problems.append(error(in: logical, at: offset, "quoted-printable '=3D' read as '='"))
    }
  }
}

// MARK: - Header

/// A header read from a log, and the lines it took.
struct HeaderAssembly {
  /// The fields as far as they were read, `nil` when nothing usable was.
  var fields: HeaderFields?
  /// The lines (indices) it was read from, in log order.
  var lines: [Int]
  /// What was wrong or repaired.
  var problems: [TextParseError]
}

extension LogScanner {
  /// Reads the header whose message is on line `j`: the header line with its hard-wrapped
  /// continuations and `KERN_CONT` fragments, a task name printed on its own line before it, a
  /// ≤ 4.8 vmalloc line before it, and 4.11–4.20's cpuset line after it.
  mutating func assembleHeader(at j: Int) -> HeaderAssembly {
    var problems: [TextParseError] = []
    var logical = logicalLine(j)
    var fields = HeaderFields()
    var triedInlineCpuset = false
    var joined: Set<Int> = []
    while true {
      var attempt = HeaderFields()
      var stop: ScanStop?
      do throws(ScanStop) {
        try scanHeaderLine(logical.bytes.span, into: &attempt)
      } catch {
        stop = error
      }
      fields = attempt
      guard let stop else {
        // 5.0+ consoles can print `,cpuset=…` as a fragment of its own.
        if fields.nodemask != nil, fields.cpuset == nil, !triedInlineCpuset {
          triedInlineCpuset = true
          if let next = continuation(
            of: logical, expecting: .inlineCpuset, window: 8, allowsHardWrap: false,
            excluding: joined)
          {
            joined.insert(next.line)
            join(next.line, spaced: false, how: next.join, to: &logical, problems: &problems)
            continue
          }
        }
        break
      }
      switch stop {
      case .needs(let expectation, let at):
        if let next = continuation(
          of: logical, expecting: expectation, window: 8, excluding: joined)
        {
          joined.insert(next.line)
          join(next.line, spaced: next.spaced, how: next.join, to: &logical, problems: &problems)
          continue
        }
        problems.append(
          error(in: logical, at: at, "the header ends here; expected \(expectation.kernelText)"))
      case .invalid(let reason, let at, _):
        problems.append(error(in: logical, at: at, reason))
        if at > 0, at < logical.bytes.count {
          logical.truncate(at: at)
          continue
        }
      }
      break
    }
    noteQuotedPrintable(rescanQuotedPrintable(logical), in: logical, problems: &problems)
    for line in logical.lines { consumed[line] = true }
    var used = logical.lines
    if fields.message == nil {
      problems.append(error(at: j, offset: 0, "the message could not be read"))
      return HeaderAssembly(fields: nil, lines: used, problems: problems)
    }
    if fields.junkBeforeMessage {
      problems.append(error(at: j, offset: 0, "text before the message is not 'comm: '"))
    }
    // The task name, printed on a line of its own before an interleaved message.
    if fields.comm == nil, !fields.junkBeforeMessage {
      var candidate = previousLine(before: j)
      for _ in 0..<3 {
        guard let k = candidate, !isBoundary(k), headerStart(at: k) == nil else { break }
        if let name = commFragment(at: k) {
          fields.comm = name
          consumed[k] = true
          used.append(k)
          problems.append(
            error(at: k, offset: 0, "task name printed apart from its message (interleaved)"))
          break
        }
        candidate = previousLine(before: k)
      }
      if fields.comm == nil {
        problems.append(error(at: j, offset: 0, "no task name before the message"))
      }
    }
    // ≤ 4.8: the vmalloc message on the line before.
    if case .pageAllocationFailure = fields.message, !fields.periodForm {
      var candidate = previousLine(before: j)
      for _ in 0..<2 {
        guard let k = candidate, !isBoundary(k), headerStart(at: k) == nil else { break }
        if let failure = vmallocPreamble(at: k) {
          fields.message = .vmalloc(failure)
          fields.preamble = true
          consumed[k] = true
          used.append(k)
          break
        }
        candidate = previousLine(before: k)
      }
    }
    // 4.11–4.20: the separate cpuset line.
    if fields.nodemask != nil, fields.cpuset == nil {
      var candidate = nextLine(after: logical.pieces.last?.line ?? j)
      for _ in 0..<8 {
        guard let k = candidate, !isBoundary(k), headerStart(at: k) == nil else { break }
        if isCpusetLine(k, comm: fields.comm) {
          let lines = assembleCpusetLine(at: k, into: &fields, problems: &problems)
          used += lines
          break
        }
        candidate = nextLine(after: k)
      }
    }
    return HeaderAssembly(fields: fields, lines: used.sorted(), problems: problems)
  }

  /// The offsets of `=3D` in a logical line, which the scans read as `=`.
  func rescanQuotedPrintable(_ logical: LogicalLine) -> [Int] {
    let b = logical.bytes.span
    var offsets: [Int] = []
    var search = 0
    while let p = firstIndex(of: "=3D", in: b, from: search) {
      offsets.append(p)
      search = p + 3
    }
    return offsets
  }

  /// Reads the cpuset line at `k` (with its fragments) into `fields`.
  private mutating func assembleCpusetLine(
    at k: Int, into fields: inout HeaderFields, problems: inout [TextParseError]
  ) -> [Int] {
    var logical = logicalLine(k)
    var attempt = fields
    var joined: Set<Int> = []
    while true {
      attempt = fields
      do throws(ScanStop) {
        try scanCpusetLine(logical.bytes.span, into: &attempt)
        break
      } catch {
        switch error {
        case .needs(let expectation, let at):
          if let next = continuation(
            of: logical, expecting: expectation, window: 8, excluding: joined)
          {
            joined.insert(next.line)
            join(next.line, spaced: next.spaced, how: next.join, to: &logical, problems: &problems)
            continue
          }
          problems.append(
            self.error(
              in: logical, at: at, "the cpuset line ends here; expected \(expectation.kernelText)"))
        case .invalid(let reason, let at, _):
          problems.append(self.error(in: logical, at: at, reason))
          if at > 0, at < logical.bytes.count {
            logical.truncate(at: at)
            continue
          }
        }
        break
      }
    }
    attempt.separateCpusetLine = true
    fields = attempt
    noteQuotedPrintable(rescanQuotedPrintable(logical), in: logical, problems: &problems)
    for line in logical.lines { consumed[line] = true }
    return logical.lines
  }
}

extension Expectation {
  /// What the expectation stands for, for messages.
  var kernelText: String {
    switch self {
    case .headerText: "more of the message"
    case .mode: "', mode:'"
    case .nodemaskValue: "a nodemask"
    case .cpusetName: "a cpuset name"
    case .inlineCpuset: "',cpuset='"
    case .inlineMemsAllowed: "',mems_allowed='"
    case .spacedMemsAllowed: "' mems_allowed='"
    case .lineText: "more of the line"
    case .freeAreaTerms: "'N*SkB' terms and '= TkB'"
    case .lowmemValues: "lowmem_reserve values"
    case .end: "the end of the line"
    }
  }
}
