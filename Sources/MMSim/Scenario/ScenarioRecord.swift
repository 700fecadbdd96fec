public import MMCore

/// What the kernel printed at a moment of a run: a report, with the virtual time it was printed.
public struct KernelLogEntry: Hashable, Sendable {
  /// Nanoseconds since simulated boot.
  public var nanoseconds: UInt64
  /// The report.
  public var report: Report

  /// A report the simulated kernel prints.
  public enum Report: Hashable, Sendable {
    /// `warn_alloc()`: a page allocation failure, after `warn_alloc: N callbacks suppressed`
    /// when the rate limit had silenced N.
    case allocationFailure(AllocFailureReport, suppressedBefore: Int)
    /// An OOM report (global or memcg), its kill lines or panic included.
    case oom(OOMReport)
  }
}

/// Something that happened during a run (`events.jsonl`, the summary).
public struct RunEvent: Hashable, Sendable, Codable {
  /// Nanoseconds since simulated boot.
  public var nanoseconds: UInt64
  /// What happened.
  public var kind: Kind
  /// The allocation's order, for failures.
  public var order: Int?
  /// The allocation's GFP mask (hex), for failures and OOMs.
  public var gfp: String?
  /// Why it failed, who was killed, what panicked, in words.
  public var detail: String
  /// The process involved (the victim of a kill, the task of a refusal).
  public var pid: Int?

  /// The kinds of events.
  public enum Kind: String, Hashable, Sendable, Codable {
    case allocationFailure = "allocation_failure"
    case oomKill = "oom_kill"
    case panic
    case commitRefused = "commit_refused"
    case kswapd
    case kcompactd
    case snapshot
  }
}

/// A /proc snapshot of the simulated machine, as values.
public struct ProcSnapshot: Hashable, Sendable {
  /// Nanoseconds since simulated boot.
  public var nanoseconds: UInt64
  /// The label the timeline gave it.
  public var label: String
  /// `/proc/meminfo`, `/proc/vmstat`, `/proc/buddyinfo`, `/proc/pagetypeinfo`, `/proc/zoneinfo`.
  public var memInfo: MemInfo
  public var vmStat: VMStat
  public var buddyInfo: BuddyInfo
  public var pageTypeInfo: PageTypeInfo
  public var zoneInfo: ZoneInfo
  /// Each task's `/proc/PID/oom_score`, by pid.
  public var oomScores: [Int: Int]
}

/// The machine's state at one point of the fixed sampling interval (`timeline.csv`).
public struct TimelineSample: Hashable, Sendable {
  /// One zone's free pages and watermarks (boost included).
  public struct Zone: Hashable, Sendable {
    /// The zone's name (`DMA32`, `Normal`).
    public var name: String
    public var free: Int
    public var min: Int
    public var low: Int
    public var high: Int
  }

  /// Nanoseconds since simulated boot.
  public var nanoseconds: UInt64
  /// The populated zones, in layout order.
  public var zones: [Zone]
  /// MemFree, MemAvailable and Committed_AS in kB.
  public var memFree: Int
  public var memAvailable: Int
  public var committedAS: Int
  /// Resident pages (anon + file + shmem) of each task the scenario declares, by pid; 0 once
  /// it has ended.
  public var rss: [Int: Int]
}

/// A run's record: the kernel log, the events, the snapshots, and why it ended.
public struct ScenarioRecord: Hashable, Sendable {
  /// The kernel the run behaved as.
  public var kernel: KernelVersion
  /// What the kernel printed, in order.
  public var log: [KernelLogEntry] = []
  /// What happened, in order.
  public var events: [RunEvent] = []
  /// The snapshots the timeline asked for (and one at the end).
  public var snapshots: [ProcSnapshot] = []
  /// The state every ``sampleInterval`` of virtual time, from 0.
  public var samples: [TimelineSample] = []
  /// The sampling interval (1 s).
  public var sampleInterval = VirtualDuration(microseconds: 1_000_000)
  /// The pids of the tasks the scenario declares, in order (the columns of the samples).
  public var declaredPIDs: [Int] = []
  /// The virtual time the run ended at.
  public var endNanoseconds: UInt64 = 0
  /// Why it ended: `timeline finished`, `stop at 120 s`, `stop on allocation_failure`, `panic`.
  public var endedBecause = ""
}
