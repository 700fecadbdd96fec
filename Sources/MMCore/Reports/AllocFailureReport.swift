/// One allocation-failure report: the warning header, the stack dump and the `Mem-Info:` block.
///
/// The lines print in this order: the header's line(s), then ``trace`` with the ``task`` line
/// inserted before `trace[taskLineIndex]`, then ``showMem``. The trace is kept as text: it is
/// what the kernel printed between the header and `Mem-Info:` (`Hardware name:`, `Call Trace:`,
/// frames, registers), plus whatever other output a busy log interleaved there.
///
/// Kernel: `warn_alloc()` in `mm/page_alloc.c` (header, `dump_stack()`, `show_mem()`).
public struct AllocFailureReport: Hashable, Sendable {
  /// The warning header, or `nil` when a log holds the report's stack dump (a `warn_alloc`
  /// frame) but not its header line.
  public var header: WarnAllocHeader?
  /// The `CPU: … Comm: …` line of the stack dump, when it was found.
  public var task: DumpStackInfo?
  /// How many ``trace`` lines print before the ``task`` line (0: right after the header).
  public var taskLineIndex: Int
  /// The other lines of the stack dump, as printed (log prefixes removed).
  public var trace: [String]
  /// The `Mem-Info:` block, or `nil` when the log holds none (a truncated paste, or
  /// `warn_alloc_show_mem` rate-limited).
  public var showMem: ShowMem?
  /// The 1-based lines of the source log the header was read from (more than one for the
  /// separate cpuset line, a vmalloc line before it, a hard-wrapped or interleaved header);
  /// empty for a report that was not read from a log.
  public var headerLines: [Int]

  /// Creates a report.
  public init(
    header: WarnAllocHeader?, task: DumpStackInfo? = nil, taskLineIndex: Int = 0,
    trace: [String] = [], showMem: ShowMem? = nil, headerLines: [Int] = []
  ) {
    self.header = header
    self.task = task
    self.taskLineIndex = taskLineIndex
    self.trace = trace
    self.showMem = showMem
    self.headerLines = headerLines
  }

  /// The kernel release the report's stack dump names, if it has one that reads as a version.
  public var kernel: KernelVersion? { task?.kernel }
}
