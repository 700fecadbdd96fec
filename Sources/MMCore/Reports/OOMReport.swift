/// One OOM-killer report, global or memcg, as its lines in print order.
///
/// A report runs from `invoked oom-killer:` through the stack dump, the memory state
/// (`Mem-Info:`, or a memcg's counters and stats), the task table, the `oom-kill:` summary and
/// the kill lines to the OOM reaper's line or an OOM panic. Every line is either understood
/// (``Line``'s typed cases) or kept as printed (``Line/text(_:)``: stack frames, registers,
/// `Unreclaimable slab info:`, another CPU's output), so that rendering gives back every line.
/// The computed properties collect the typed lines for reading.
///
/// Kernel: `out_of_memory()`, `dump_header()`, `dump_tasks()`, `oom_kill_process()` in
/// `mm/oom_kill.c`; `mem_cgroup_print_oom_*()` in `mm/memcontrol.c` (../shared/kernel/oom.md
/// §7–8).
public struct OOMReport: Hashable, Sendable {
  /// One printed line (or, for ``showMem(_:)``, block) of the report.
  public enum Line: Hashable, Sendable {
    /// `%s invoked oom-killer: gfp_mask=…`.
    case header(OOMHeader)
    /// `%s cpuset=%s mems_allowed=%*pbl` (≤ 4.18).
    case cpuset(OOMCpusetLine)
    /// The stack dump's `CPU: … Comm: …` line.
    case task(DumpStackInfo)
    /// The `Mem-Info:` block (all its lines).
    case showMem(ShowMem)
    /// A memcg line (`memory: usage …`, `Memory cgroup stats for …`, …).
    case memcg(MemcgOOMLine)
    /// `Tasks state (memory values in pages):` (4.19+).
    case tasksState
    /// The task table's column header.
    case taskTableHeader(OOMTaskTableLayout)
    /// A task table row.
    case taskRow(OOMTaskRow)
    /// `oom-kill:constraint=…` (4.19+).
    case summary(OOMKillSummary)
    /// `… Kill process N (comm) score N or sacrifice child` (≤ 5.0).
    case selection(OOMKillProcessLine)
    /// `[… ]Killed process N (comm) …`.
    case killed(OOMKilledProcess)
    /// `%s: OOM victim %d (%s) is already exiting. Skip killing the task` (the chosen task
    /// has no mm left, so nothing is killed).
    case victimExiting(message: String, pid: Int, comm: String)
    /// `Tasks in %s are going to be killed due to memory.oom.group set` (4.19+), between the
    /// kill of the victim and the kills of the rest of its memcg.
    case oomGroup(path: String)
    /// `Out of memory and no killable processes...`: nothing could be chosen (a global OOM
    /// then panics with `System is deadlocked on memory`).
    case noKillableProcesses
    /// An `oom_reaper:` line.
    case reaper(OOMReaperLine)
    /// `Kernel panic - not syncing: Out of memory…` / `System is deadlocked on memory`.
    case panic(OOMPanic)
    /// A line oomlab does not model, kept as printed.
    case text(String)
  }

  /// A line and where it came from.
  public struct Entry: Hashable, Sendable {
    /// The line.
    public var line: Line
    /// The 1-based source line it was read from (the first one, for a block or a joined
    /// hard-wrapped line), or `nil` for a line that was not read from a log.
    public var sourceLine: Int?

    /// Creates an entry.
    public init(_ line: Line, sourceLine: Int? = nil) {
      self.line = line
      self.sourceLine = sourceLine
    }
  }

  /// The lines in print order.
  public var entries: [Entry]

  /// Creates a report from its lines.
  public init(entries: [Entry]) {
    self.entries = entries
  }

  /// The report with every ``Entry/sourceLine`` cleared: what rendering and parsing again
  /// gives back.
  public var withoutSourceLines: OOMReport {
    OOMReport(entries: entries.map { Entry($0.line) })
  }
}

// MARK: - Reading

extension OOMReport {
  /// The lines without their sources.
  public var lines: [Line] { entries.map(\.line) }

  /// The `invoked oom-killer:` header.
  public var header: OOMHeader? {
    for case .header(let header) in lines { return header }
    return nil
  }

  /// The ≤ 4.18 cpuset line.
  public var cpuset: OOMCpusetLine? {
    for case .cpuset(let line) in lines { return line }
    return nil
  }

  /// The stack dump's `CPU:` line.
  public var task: DumpStackInfo? {
    for case .task(let info) in lines { return info }
    return nil
  }

  /// The `Mem-Info:` block.
  public var showMem: ShowMem? {
    for case .showMem(let block) in lines { return block }
    return nil
  }

  /// The memcg lines, in print order.
  public var memcg: [MemcgOOMLine] {
    lines.compactMap { if case .memcg(let line) = $0 { line } else { nil } }
  }

  /// The memcg counter called `name` (`memory`, `swap`, `memory+swap`, `kmem`).
  public func memcgCounter(_ name: String) -> MemcgCounter? {
    for case .counter(let counter) in memcg where counter.name == name { return counter }
    return nil
  }

  /// The task table's column set, from its header line (or its first row).
  public var taskTableLayout: OOMTaskTableLayout? {
    for line in lines {
      if case .taskTableHeader(let layout) = line { return layout }
      if case .taskRow(let row) = line { return row.layout }
    }
    return nil
  }

  /// The task table's rows.
  public var tasks: [OOMTaskRow] {
    lines.compactMap { if case .taskRow(let row) = $0 { row } else { nil } }
  }

  /// The `oom-kill:` summary.
  public var summary: OOMKillSummary? {
    for case .summary(let summary) in lines { return summary }
    return nil
  }

  /// The ≤ 5.0 `Kill process … or sacrifice child` line.
  public var selection: OOMKillProcessLine? {
    for case .selection(let selection) in lines { return selection }
    return nil
  }

  /// The `Killed process` line.
  public var killed: OOMKilledProcess? {
    for case .killed(let killed) in lines { return killed }
    return nil
  }

  /// The OOM reaper's lines.
  public var reaper: [OOMReaperLine] {
    lines.compactMap { if case .reaper(let line) = $0 { line } else { nil } }
  }

  /// The OOM panic.
  public var panic: OOMPanic? {
    for case .panic(let panic) in lines { return panic }
    return nil
  }

  /// Whether the report is a memcg OOM: it prints memcg state, a `CONSTRAINT_MEMCG` summary or
  /// a `Memory cgroup out of memory` kill.
  public var isMemcg: Bool {
    !memcg.isEmpty || summary?.oomMemcg != nil
      || killed?.message == "Memory cgroup out of memory"
      || selection?.message == "Memory cgroup out of memory"
  }

  /// The victim: the killed process's pid and name, else the summary's, else the selected one.
  public var victim: (pid: Int, comm: String)? {
    if let killed { return (killed.pid, killed.comm) }
    if let summary { return (summary.pid, summary.task) }
    if let selection { return (selection.pid, selection.comm) }
    return nil
  }

  /// The task table row of the victim (the row whose pid is the victim's).
  public var victimRow: OOMTaskRow? {
    guard let victim else { return nil }
    return tasks.first { $0.pid == victim.pid }
  }

  /// Whether nothing could be killed (`Out of memory and no killable processes...`).
  public var foundNoKillableProcess: Bool { lines.contains(.noKillableProcesses) }

  /// Whether the chosen victim was already exiting, so that nothing was killed.
  public var victimWasExiting: Bool {
    lines.contains { if case .victimExiting = $0 { true } else { false } }
  }

  /// Whether the report runs from its header to its end.
  ///
  /// The end is a kill, a victim already exiting, no killable process, or an OOM panic. A
  /// paste that lost the header or stops before the kill is incomplete.
  public var isComplete: Bool {
    header != nil
      && (killed != nil || panic != nil || foundNoKillableProcess || victimWasExiting)
  }

  /// The kernel release the report's stack dump names, if it reads as a version.
  public var kernel: KernelVersion? { task?.kernel }
}
