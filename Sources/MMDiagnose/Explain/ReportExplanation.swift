/// One memory-failure report found in a log, decoded and explained.
///
/// This is what `oomlab explain` prints for each report and what `--json` encodes (schema in
/// docs/explain.md). Fields the report did not print are `nil`.
public struct ReportExplanation: Hashable, Sendable, Encodable {
  /// What kind of report it is.
  public enum Kind: String, Hashable, Sendable, Encodable {
    /// A `page allocation failure` (`warn_alloc`).
    case allocfail
    /// A vmalloc failure reported through `warn_alloc`.
    case vmalloc
    /// A global OOM kill (or OOM panic).
    case oom
    /// A memory cgroup OOM kill.
    case memcg
    /// A `Mem-Info:` dump of no other report (SysRq-m, a bare `show_mem()`): machine state
    /// with no request.
    case showmem
  }

  /// The task that made the request: pid from the stack dump's `CPU:` line, name from the
  /// header (or that line).
  public struct Task: Hashable, Sendable, Encodable {
    /// The pid, when the `CPU:` line was found.
    public var pid: Int?
    /// The task name (`current->comm`).
    public var comm: String?
  }

  /// The request's GFP mask, decoded for the report's kernel.
  public struct GFP: Hashable, Sendable, Encodable {
    /// The mask as printed, in hex (`0x2084020`).
    public var mask: String
    /// The `%pGg` names the decoding gives for the kernel the mask was read as.
    public var names: String
    /// The names the kernel printed, or `nil` when it printed none (before 4.5/4.6).
    public var printedNames: String?
    /// The kernel whose GFP layout was used.
    public var kernel: String
    /// How that kernel was chosen: `given` (the report's or `--kernel`), `inferred` (from the
    /// printed names) or `newestKnown`.
    public var kernelSource: String
    /// The decoding's meaning, one line each (zone, migratetype, reclaim, retry policy).
    public var meaning: [String]
  }

  /// The task the OOM killer killed, from the `Killed process` line.
  public struct Victim: Hashable, Sendable, Encodable {
    /// The victim's pid.
    public var pid: Int
    /// The victim's name.
    public var comm: String
    /// `anon-rss` in kB, when printed.
    public var anonRssKB: Int?
    /// `file-rss` in kB, when printed.
    public var fileRssKB: Int?
    /// `shmem-rss` in kB, when printed (4.5+).
    public var shmemRssKB: Int?
  }

  /// When the report's first line was printed, as the log's prefixes say.
  public struct Time: Hashable, Sendable, Encodable {
    /// Seconds since boot, `%lu.%06lu` as printk stamps it.
    public var uptime: String?
    /// The syslog or journal date, as printed.
    public var date: String?
  }

  /// The report's kind.
  public var kind: Kind
  /// The input the report was read from (a path, `-` for standard input), or `nil` when the
  /// caller did not say.
  public var file: String?
  /// The 1-based first line of the report in the input.
  public var line: Int
  /// The 1-based last line of the report in the input.
  public var lastLine: Int
  /// When the report's first line was printed, or `nil` when the log has no stamps there.
  public var time: Time?
  /// The kernel release the report was read as (its own `CPU:` line, the log's, or
  /// `--kernel`), or `nil` when none is known.
  public var kernel: String?
  /// The requesting task.
  public var task: Task?
  /// The request's order, when printed.
  public var order: Int?
  /// The request's GFP mask, when printed.
  public var gfp: GFP?
  /// The killed task, for an OOM report that killed one.
  public var victim: Victim?
  /// The zones of the report's `Mem-Info:` block, in log order, when it printed zone or
  /// free-block lines.
  public var zones: [Zone]?
  /// The findings, the cause first.
  public var findings: [Finding]
  /// What the parser had to repair or could not read, `line N, column C: …`.
  public var problems: [String]
}
