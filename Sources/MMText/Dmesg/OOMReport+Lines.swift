public import MMCore
internal import _MMUtilities

// MARK: - Rendering

extension OOMReport.Line {
  /// The line's text as the kernel prints it, without a newline (several lines for a
  /// `Mem-Info:` block).
  public func render() -> String {
    switch self {
    case .header(let header): return header.render()
    case .cpuset(let line):
      return "\(line.comm) cpuset=\(line.cpuset) mems_allowed=\(line.memsAllowed)"
    case .task(let info): return info.render()
    case .showMem(let block):
      var text = block.render()
      text.removeLast()
      return text
    case .memcg(let line): return line.render()
    case .tasksState: return "Tasks state (memory values in pages):"
    case .taskTableHeader(let layout): return layout.headerLine
    case .taskRow(let row): return row.render()
    case .summary(let summary): return summary.render()
    case .selection(let selection): return selection.render()
    case .killed(let killed): return killed.render()
    case .oomGroup(let path):
      return "Tasks in \(path) are going to be killed due to memory.oom.group set"
    case .noKillableProcesses: return "Out of memory and no killable processes..."
    case .victimExiting(let message, let pid, let comm):
      return "\(message): OOM victim \(pid) (\(comm)) is already exiting. Skip killing the task"
    case .reaper(let line): return line.render()
    case .panic(let panic): return "Kernel panic - not syncing: " + panic.reason
    case .text(let text): return text
    }
  }
}

extension OOMHeader {
  /// The header line as printed, without a newline.
  public func render() -> String {
    var text = comm.map { $0 + " invoked oom-killer: " } ?? "oom-killer: "
    var separator = ""
    for field in fields {
      text += separator
      separator = ", "
      switch field {
      case .gfpMask(let mask, let names):
        text += "gfp_mask=0x" + String(mask, radix: 16) + (names.map { "(" + $0 + ")" } ?? "")
      case .nodemask(let nodes, let wide):
        text += "nodemask=" + nodes
        if wide { separator = ",  " }
      case .order(let order): text += "order=\(order)"
      case .oomkilladj(let value): text += "oomkilladj=\(value)"
      case .oomAdj(let value): text += "oom_adj=\(value)"
      case .oomScoreAdj(let value): text += "oom_score_adj=\(value)"
      }
    }
    return text
  }
}

extension OOMTaskRow {
  /// The row as printed: `[%5d]` or `[%7d]`, then each column right-aligned after its gap,
  /// then the name.
  public func render() -> String {
    var text = "["
    text.append(pid, rightAlignedIn: layout.pidWidth)
    text += "]"
    for (column, value) in zip(layout.columns, values) {
      text += column.gap
      text.append(value, rightAlignedIn: column.width)
    }
    return text + " " + name
  }
}

extension OOMKillSummary {
  /// The line as printed.
  public func render() -> String {
    var text = "oom-kill:constraint=\(constraint),nodemask=\(nodemask)"
    if let cpuset { text += ",cpuset=" + cpuset }
    if let memsAllowed { text += ",mems_allowed=" + memsAllowed }
    text += oomMemcg.map { ",oom_memcg=" + $0 } ?? ",global_oom"
    return text + ",task_memcg=\(taskMemcg),task=\(task),pid=\(pid),uid=\(uid)"
  }
}

extension OOMKillProcessLine {
  /// The line as printed.
  public func render() -> String {
    let prefix = message.map { $0 + ": " } ?? ""
    return prefix + (orAChild ? "kill" : "Kill") + " process \(pid) (\(comm)) score \(score) "
      + (orAChild ? "or a child" : "or sacrifice child")
  }
}

extension OOMKilledProcess {
  /// The line as printed: the fields that are set, in the kernel's order.
  public func render() -> String {
    var text = (message.map { $0 + ": " } ?? "") + "Killed process \(pid)"
    text += uidBeforeComm.map { ", UID \($0), (" } ?? " ("
    text += comm + ")"
    var separator = " "
    func add(_ name: String, _ value: Int?) {
      guard let value else { return }
      text += separator + name + String(value) + "kB"
      separator = ", "
    }
    add("total-vm:", totalVMKilobytes)
    add("anon-rss:", anonRSSKilobytes)
    add("file-rss:", fileRSSKilobytes)
    add("shmem-rss:", shmemRSSKilobytes)
    if let uid { text += separator + "UID:\(uid)" }
    if let pgtablesKilobytes { text += " pgtables:\(pgtablesKilobytes)kB" }
    if let oomScoreAdj { text += " oom_score_adj:\(oomScoreAdj)" }
    return text
  }
}

extension OOMReaperLine {
  /// The line as printed.
  public func render() -> String {
    switch self {
    case .reaped(let pid, let comm, let anon, let file, let shmem):
      "oom_reaper: reaped process \(pid) (\(comm)), now anon-rss:\(anon)kB, file-rss:\(file)kB, "
        + "shmem-rss:\(shmem)kB"
    case .unableToReap(let pid, let comm): "oom_reaper: unable to reap pid:\(pid) (\(comm))"
    }
  }
}

extension MemcgOOMLine {
  /// The line as printed.
  public func render() -> String {
    switch self {
    case .taskIn(let task, let limit): "Task in \(task) killed as a result of limit of \(limit)"
    case .counter(let c):
      "\(c.name): usage \(c.usageKilobytes)kB, limit \(c.limitKilobytes)kB, failcnt \(c.failcnt)"
    case .stats(let path, let items):
      "Memory cgroup stats for \(path):"
        + (items ?? []).map { " \($0.name):\($0.value)\($0.unit)" }.joined()
    case .stat(let value): "\(value.name) \(value.value)"
    }
  }
}

// MARK: - Scanning

/// Reads one line of an OOM report that has a shape of its own (everything but the stack
/// dump and the `Mem-Info:` block), or returns `nil` for any other line.
///
/// - Parameters:
///   - b: the line's message.
///   - table: the task table's column set when its header was read.
///   - inStats: whether the line follows cgroup v2's `Memory cgroup stats for …:` (so that
///     `name value` is a stat).
/// - Throws: ``ScanStop/needs(_:at:)`` when the line starts like a shape but ends early (a
///   hard-wrapped paste), ``ScanStop/invalid(_:at:expecting:)`` when it does not fit.
func scanOOMLine(
  _ b: Span<UInt8>, table: OOMTaskTableLayout?, inStats: Bool
) throws(ScanStop) -> OOMReport.Line? {
  var s = Scanner()
  s.skipSpaces(b)
  let start = s.i
  if let p = firstIndex(of: " invoked oom-killer:", in: b, from: start) {
    var fields = Scanner(at: p + 20)
    _ = fields.skip(" ", b)
    return .header(try scanOOMHeader(b, comm: string(b, start..<p), at: fields.i))
  }
  if s.skip("oom-killer: gfp_mask=", b) {
    return .header(try scanOOMHeader(b, comm: nil, at: start + 12))
  }
  if s.skip("Tasks state (memory values in pages):", b), s.atEnd(b) { return .tasksState }
  s.i = start
  if s.skip("Out of memory and no killable processes...", b), s.atEnd(b) {
    return .noKillableProcesses
  }
  s.i = start
  if s.skip("Tasks in ", b),
    let p = firstIndex(of: " are going to be killed due to memory.oom.group set", in: b, from: s.i)
  {
    return .oomGroup(path: string(b, s.i..<p))
  }
  s.i = start
  if s.sees("[", b) {
    if let layout = tableLayout(b, from: start) { return .taskTableHeader(layout) }
    if let row = try scanTaskRow(b, from: start, layout: table) { return .taskRow(row) }
    return nil
  }
  if s.skip("oom-kill:constraint=", b) { return .summary(try scanSummary(b, at: s.i)) }
  if s.skip("oom_reaper: ", b) { return .reaper(try scanReaper(b, &s)) }
  if s.skip("Kernel panic - not syncing: ", b) {
    guard s.sees("Out of memory", b) || s.sees("System is deadlocked on memory", b) else {
      return nil
    }
    return .panic(OOMPanic(reason: string(b, s.i..<trimmedEnd(b))))
  }
  if s.skip("Task in ", b) {
    guard let p = firstIndex(of: " killed as a result of limit of ", in: b, from: s.i),
      trimmedEnd(b) > p + 32
    else {
      throw .needs(.lineText, at: b.count)
    }
    return .memcg(
      .taskIn(task: string(b, s.i..<p), limit: string(b, (p + 32)..<trimmedEnd(b))))
  }
  if s.skip("Memory cgroup stats for ", b) { return .memcg(try scanStats(b, at: s.i)) }
  if let p = firstIndex(of: ": OOM victim ", in: b, from: start) {
    var v = Scanner(at: p + 13)
    let pid = try v.decimal(b, .lineText)
    try v.expect(" (", b, .lineText)
    guard
      let close = firstIndex(of: ") is already exiting. Skip killing the task", in: b, from: v.i)
    else { throw .needs(.lineText, at: b.count) }
    return .victimExiting(message: string(b, start..<p), pid: pid, comm: string(b, v.i..<close))
  }
  if let line = try scanKillLine(b, from: start) { return line }
  if let counter = try scanMemcgCounter(b, from: start) { return .memcg(.counter(counter)) }
  if inStats, let stat = scanStat(b, from: start) { return .memcg(.stat(stat)) }
  return nil
}

/// The end of `b` without trailing spaces.
private func trimmedEnd(_ b: Span<UInt8>) -> Int {
  var end = b.count
  while end > 0, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
  return end
}

/// The header's fields after `oom-killer: `.
private func scanOOMHeader(
  _ b: Span<UInt8>, comm: String?, at start: Int
) throws(ScanStop) -> OOMHeader {
  var s = Scanner(at: start)
  var fields: [OOMHeader.Field] = []
  while true {
    if s.skip("gfp_mask=", b) {
      let mask: UInt64
      if s.skip("0x", b) {
        mask = try s.hexadecimal(b, .lineText)
      } else {
        mask = UInt64(try s.decimal(b, .lineText))
      }
      var names: String?
      if s.skip("(", b) {
        guard let close = firstIndex(of: ")", in: b, from: s.i) else {
          throw .needs(.lineText, at: b.count)
        }
        names = string(b, s.i..<close)
        s.i = close + 1
      }
      fields.append(.gfpMask(mask, names: names))
    } else if s.skip("nodemask=", b) {
      var nodes = s.skip("(null)", b) ? "(null)" : s.nodeList(b)
      if nodes.hasSuffix(",") {
        nodes.removeLast()
        s.i -= 1
      }
      fields.append(.nodemask(nodes, wide: matches(",  ", in: b, at: s.i)))
    } else if s.skip("order=", b) {
      fields.append(.order(try s.signedDecimal(b, .lineText)))
    } else if s.skip("oomkilladj=", b) {
      fields.append(.oomkilladj(try s.signedDecimal(b, .lineText)))
    } else if s.skip("oom_adj=", b) {
      fields.append(.oomAdj(try s.signedDecimal(b, .lineText)))
    } else if s.skip("oom_score_adj=", b) {
      fields.append(.oomScoreAdj(try s.signedDecimal(b, .lineText)))
    } else if s.atEnd(b) {
      throw .needs(.lineText, at: b.count)
    } else {
      throw .invalid("expected a header field", at: s.i, expecting: .end)
    }
    if s.atEnd(b) { break }
    try s.expect(",", b, .lineText)
    s.skipSpaces(b)
    if s.i >= b.count { throw .needs(.lineText, at: b.count) }
  }
  return OOMHeader(comm: comm, fields: fields)
}

/// The column set whose header line `b` is: exactly, else with spaces compared loosely (then
/// the newest such layout).
///
/// Every task row and stack frame starts with `[` too, so a line that cannot be a header (`[`,
/// spaces, `pid`) is turned away before any text is made of it.
private func tableLayout(_ b: Span<UInt8>, from start: Int) -> OOMTaskTableLayout? {
  var s = Scanner(at: start + 1)
  guard s.i < b.count, b[s.i] == 0x20 else { return nil }
  s.skipSpaces(b)
  guard s.sees("pid", b) else { return nil }
  let text = string(b, start..<trimmedEnd(b))
  if let exact = taskTableHeaders.first(where: { $0.line == text }) { return exact.layout }
  let words = text.split(separator: " ")
  return taskTableHeaders.last { $0.words == words }?.layout
}

/// Each task table layout's header line, whole and split into its words.
private let taskTableHeaders: [(layout: OOMTaskTableLayout, line: String, words: [Substring])] =
  OOMTaskTableLayout.allCases.map { ($0, $0.headerLine, $0.headerLine.split(separator: " ")) }

/// A task table row, `nil` when `b` is not one (`[<c011ad45>]`, `[ 1234.5]`).
private func scanTaskRow(
  _ b: Span<UInt8>, from start: Int, layout: OOMTaskTableLayout?
) throws(ScanStop) -> OOMTaskRow? {
  var s = Scanner(at: start + 1)
  s.skipSpaces(b)
  guard s.i < b.count, isDigit(b[s.i]) else { return nil }
  let pid = try s.decimal(b, .end)
  guard s.skip("]", b) else { return nil }
  // With a known column count, the name may start with a digit or hold spaces.
  let wanted = layout?.columns.count
  var values: [Int] = []
  while wanted.map({ values.count < $0 }) ?? true {
    let before = s.i
    s.skipSpaces(b)
    guard s.i > before, s.i < b.count,
      isDigit(b[s.i]) || (b[s.i] == UInt8(ascii: "-") && s.i + 1 < b.count && isDigit(b[s.i + 1]))
    else {
      s.i = before
      break
    }
    values.append(try s.signedDecimal(b, .end))
    guard s.i < b.count, b[s.i] == 0x20 else {
      throw .invalid("expected a space after a number", at: s.i, expecting: .end)
    }
  }
  guard s.skip(" ", b), trimmedEnd(b) > s.i else { throw .needs(.lineText, at: b.count) }
  let name = string(b, s.i..<trimmedEnd(b))
  let chosen = layout.flatMap { $0.columns.count == values.count ? $0 : nil }
  guard let layout = chosen ?? inferredLayout(b, start: start, pid: pid, values, name) else {
    throw .invalid("a task row with \(values.count) numbers", at: start, expecting: .end)
  }
  return OOMTaskRow(layout: layout, pid: pid, values: values, name: name)
}

/// The column set of a row printed without its header line: the one whose spacing gives back
/// the row as printed, else the newest one with as many columns.
private func inferredLayout(
  _ b: Span<UInt8>, start: Int, pid: Int, _ values: [Int], _ name: String
) -> OOMTaskTableLayout? {
  let candidates = OOMTaskTableLayout.allCases.reversed().filter {
    $0.columns.count == values.count
  }
  let printed = string(b, start..<trimmedEnd(b))
  return candidates.first {
    OOMTaskRow(layout: $0, pid: pid, values: values, name: name).render() == printed
  } ?? candidates.first
}

/// The summary's fields after `oom-kill:constraint=`.
private func scanSummary(_ b: Span<UInt8>, at start: Int) throws(ScanStop) -> OOMKillSummary {
  var i = start
  /// The text up to `key` (which must follow), then past it.
  func upTo(_ key: StaticString) throws(ScanStop) -> String {
    guard let p = firstIndex(of: key, in: b, from: i) else {
      throw .needs(.lineText, at: b.count)
    }
    defer { i = p + key.utf8CodeUnitCount }
    return string(b, i..<p)
  }
  /// Whether `key` comes next (then past it).
  func next(_ key: StaticString) -> Bool {
    guard matches(key, in: b, at: i) else { return false }
    i += key.utf8CodeUnitCount
    return true
  }
  let constraint = try upTo(",nodemask=")
  let rest = string(b, i..<b.count)
  let hasCpuset = rest.contains(",cpuset=")
  let nodemask =
    hasCpuset
    ? try upTo(",cpuset=")
    : try upTo(rest.contains(",global_oom,") ? ",global_oom," : ",oom_memcg=")
  var cpuset: String?
  var memsAllowed: String?
  var oomMemcg: String?
  if hasCpuset {
    cpuset = try upTo(",mems_allowed=")
    let afterMems = string(b, i..<b.count)
    if afterMems.contains(",global_oom,") {
      memsAllowed = try upTo(",global_oom,")
    } else {
      memsAllowed = try upTo(",oom_memcg=")
      oomMemcg = try upTo(",task_memcg=")
      i -= 12
    }
  } else if !rest.contains(",global_oom,") {
    oomMemcg = try upTo(",task_memcg=")
    i -= 12
  }
  guard next("task_memcg=") || next(",task_memcg=") else {
    throw .invalid("expected 'task_memcg='", at: i, expecting: .end)
  }
  let taskMemcg = try upTo(",task=")
  let task = try upTo(",pid=")
  var s = Scanner(at: i)
  let pid = try s.decimal(b, .lineText)
  try s.expect(",uid=", b, .lineText)
  let uid = try s.decimal(b, .lineText)
  guard s.atEnd(b) else { throw .invalid("unexpected text at the end", at: s.i, expecting: .end) }
  return OOMKillSummary(
    constraint: constraint, nodemask: nodemask, cpuset: cpuset, memsAllowed: memsAllowed,
    oomMemcg: oomMemcg, taskMemcg: taskMemcg, task: task, pid: pid, uid: uid)
}

/// `reaped process …` or `unable to reap pid:…` after `oom_reaper: `.
private func scanReaper(_ b: Span<UInt8>, _ s: inout Scanner) throws(ScanStop) -> OOMReaperLine {
  if s.skip("unable to reap pid:", b) {
    let pid = try s.decimal(b, .lineText)
    try s.expect(" (", b, .lineText)
    let end = trimmedEnd(b)
    guard end > s.i, b[end - 1] == UInt8(ascii: ")") else { throw .needs(.lineText, at: end) }
    return .unableToReap(pid: pid, comm: string(b, s.i..<(end - 1)))
  }
  try s.expect("reaped process ", b, .lineText)
  let pid = try s.decimal(b, .lineText)
  try s.expect(" (", b, .lineText)
  guard let close = firstIndex(of: "), now anon-rss:", in: b, from: s.i) else {
    throw .needs(.lineText, at: b.count)
  }
  let comm = string(b, s.i..<close)
  s.i = close + 16
  let anon = try s.decimal(b, .lineText)
  try s.expect("kB, file-rss:", b, .lineText)
  let file = try s.decimal(b, .lineText)
  try s.expect("kB, shmem-rss:", b, .lineText)
  let shmem = try s.decimal(b, .lineText)
  try s.expect("kB", b, .lineText)
  return .reaped(
    pid: pid, comm: comm, anonRSSKilobytes: anon, fileRSSKilobytes: file,
    shmemRSSKilobytes: shmem)
}

/// `Memory cgroup stats for %s:` and cgroup v1's items.
private func scanStats(_ b: Span<UInt8>, at start: Int) throws(ScanStop) -> MemcgOOMLine {
  let end = trimmedEnd(b)
  if end > start, b[end - 1] == UInt8(ascii: ":"),
    firstIndex(of: ": ", in: b.extracting(start..<end)) == nil
  {
    return .stats(path: string(b, start..<(end - 1)), items: nil)
  }
  guard let colon = firstIndex(of: ": ", in: b, from: start) else {
    throw .needs(.lineText, at: b.count)
  }
  var s = Scanner(at: colon + 1)
  var items: [MemcgStatItem] = []
  while !s.atEnd(b) {
    try s.expect(" ", b, .lineText)
    let nameStart = s.i
    while s.i < b.count, b[s.i] != UInt8(ascii: ":"), b[s.i] != 0x20 { s.i += 1 }
    let name = string(b, nameStart..<s.i)
    try s.expect(":", b, .lineText)
    let value = try s.decimal(b, .lineText)
    let unit = s.skip("KB", b) ? "KB" : ""
    items.append(MemcgStatItem(name: name, value: value, unit: unit))
  }
  return .stats(path: string(b, start..<colon), items: items)
}

/// `%s: usage %llukB, limit %llukB, failcnt %lu`, `nil` when `b` is not one.
private func scanMemcgCounter(
  _ b: Span<UInt8>, from start: Int
) throws(ScanStop) -> MemcgCounter? {
  var s = Scanner(at: start)
  let name = s.word(b)
  guard name.count > 1, b[name.upperBound - 1] == UInt8(ascii: ":"), s.skip(" usage ", b) else {
    return nil
  }
  let usage = try s.decimal(b, .lineText)
  try s.expect("kB, limit ", b, .lineText)
  let limit = try s.decimal(b, .lineText)
  try s.expect("kB, failcnt ", b, .lineText)
  let failcnt = try s.decimal(b, .lineText)
  return MemcgCounter(
    name: string(b, name.lowerBound..<(name.upperBound - 1)), usageKilobytes: usage,
    limitKilobytes: limit, failcnt: failcnt)
}

/// A cgroup v2 `name value` stat line, `nil` when `b` is not one.
private func scanStat(_ b: Span<UInt8>, from start: Int) -> NamedValue? {
  var s = Scanner(at: start)
  let name = s.word(b)
  guard !name.isEmpty, s.skip(" ", b) else { return nil }
  for k in name {
    let byte = b[k]
    guard byte == UInt8(ascii: "_") || isDigit(byte) || byte &- UInt8(ascii: "a") < 26 else {
      return nil
    }
  }
  guard let value = try? s.decimal(b, .end), s.atEnd(b) else { return nil }
  return NamedValue(name: string(b, name), value: value)
}

/// `[%s: ]Kill process …` or `[%s: ]Killed process …`, `nil` when `b` is neither.
private func scanKillLine(
  _ b: Span<UInt8>, from start: Int
) throws(ScanStop) -> OOMReport.Line? {
  for keyword: StaticString in ["Killed process ", "Kill process ", "kill process "] {
    guard let p = firstIndex(of: keyword, in: b, from: start) else { continue }
    var message: String?
    if p > start {
      guard p >= start + 3, b[p - 2] == UInt8(ascii: ":"), b[p - 1] == 0x20 else { continue }
      message = string(b, start..<(p - 2))
    }
    var s = Scanner(at: p + keyword.utf8CodeUnitCount)
    let pid = try s.decimal(b, .lineText)
    if keyword.utf8CodeUnitCount == 15 {
      return .killed(try scanKilled(b, &s, message: message, pid: pid))
    }
    try s.expect(" (", b, .lineText)
    guard let close = firstIndex(of: ") score ", in: b, from: s.i) else {
      throw .needs(.lineText, at: b.count)
    }
    let comm = string(b, s.i..<close)
    s.i = close + 8
    let score = try s.decimal(b, .lineText)
    let orAChild = b[p] == UInt8(ascii: "k")
    if orAChild {
      try s.expect(" or a child", b, .lineText)
    } else {
      try s.expect(" or sacrifice child", b, .lineText)
    }
    return .selection(
      OOMKillProcessLine(message: message, orAChild: orAChild, pid: pid, comm: comm, score: score))
  }
  return nil
}

/// The rest of a `Killed process N` line.
private func scanKilled(
  _ b: Span<UInt8>, _ s: inout Scanner, message: String?, pid: Int
) throws(ScanStop) -> OOMKilledProcess {
  var killed = OOMKilledProcess(message: message, pid: pid, comm: "")
  if s.skip(", UID ", b) {
    killed.uidBeforeComm = try s.decimal(b, .lineText)
    try s.expect(", (", b, .lineText)
  } else {
    try s.expect(" (", b, .lineText)
  }
  let end = trimmedEnd(b)
  if let close = firstIndex(of: ") total-vm:", in: b, from: s.i) {
    killed.comm = string(b, s.i..<close)
    s.i = close + 1
  } else {
    guard end > s.i, b[end - 1] == UInt8(ascii: ")") else { throw .needs(.lineText, at: end) }
    killed.comm = string(b, s.i..<(end - 1))
    return killed
  }
  try s.expect(" total-vm:", b, .lineText)
  killed.totalVMKilobytes = try kilobytes(b, &s)
  try s.expect(", anon-rss:", b, .lineText)
  killed.anonRSSKilobytes = try kilobytes(b, &s)
  try s.expect(", file-rss:", b, .lineText)
  killed.fileRSSKilobytes = try kilobytes(b, &s)
  if s.atEnd(b) { return killed }
  try s.expect(", shmem-rss:", b, .lineText)
  killed.shmemRSSKilobytes = try kilobytes(b, &s)
  if s.atEnd(b) { return killed }
  try s.expect(", UID:", b, .lineText)
  killed.uid = try s.decimal(b, .lineText)
  if s.atEnd(b) { return killed }
  try s.expect(" pgtables:", b, .lineText)
  killed.pgtablesKilobytes = try kilobytes(b, &s)
  try s.expect(" oom_score_adj:", b, .lineText)
  killed.oomScoreAdj = try s.signedDecimal(b, .lineText)
  guard s.atEnd(b) else { throw .invalid("unexpected text at the end", at: s.i, expecting: .end) }
  return killed
}

/// `%lukB`.
private func kilobytes(_ b: Span<UInt8>, _ s: inout Scanner) throws(ScanStop) -> Int {
  let value = try s.decimal(b, .lineText)
  try s.expect("kB", b, .lineText)
  return value
}

/// `%s cpuset=%s mems_allowed=%*pbl`, `nil` when `b` is not one.
func scanOOMCpusetLine(_ b: Span<UInt8>) -> OOMCpusetLine? {
  var s = Scanner()
  s.skipSpaces(b)
  let start = s.i
  guard let p = firstIndex(of: " cpuset=", in: b, from: start),
    let q = firstIndex(of: " mems_allowed=", in: b, from: p + 8)
  else { return nil }
  var r = Scanner(at: q + 14)
  let nodes = r.nodeList(b)
  guard !nodes.isEmpty, r.atEnd(b) else { return nil }
  return OOMCpusetLine(
    comm: string(b, start..<p), cpuset: string(b, (p + 8)..<q), memsAllowed: nodes)
}
