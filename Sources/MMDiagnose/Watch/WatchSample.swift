public import MMCore

/// One reading of a machine's /proc (live, or a capture) for `oomlab watch`.
///
/// Every file is optional: a capture that lacks one gives a smaller sample, never an error.
public struct WatchSample: Sendable {
  /// Seconds on the series' clock (`/proc/uptime`, a capture's timestamp, or time since watch
  /// started).
  public var time: Double
  /// Where the sample was read (a directory), for the report.
  public var source: String
  /// `/proc/meminfo`.
  public var memInfo: MemInfo?
  /// `/proc/zoneinfo`: each zone's free pages and watermarks.
  public var zoneInfo: ZoneInfo?
  /// `/proc/buddyinfo`: the largest free block per zone.
  public var buddyInfo: BuddyInfo?
  /// `/proc/pagetypeinfo`: the free lists per migratetype, for the highest order each request
  /// would be granted (buddyinfo stands in without it).
  public var pageTypeInfo: PageTypeInfo?
  /// The `/proc/PID` directories.
  public var processes: [ProcessEntry]
  /// `/proc/sys/vm` (`panic_on_oom`, `oom_kill_allocating_task` for the OOM decision).
  public var sysVM: SysVM
  /// The kernel whose OOM rules apply; `nil` when unknown (no victim is then named).
  public var kernel: KernelVersion?

  /// Creates a sample from what was read.
  public init(
    time: Double, source: String, memInfo: MemInfo?, zoneInfo: ZoneInfo?, buddyInfo: BuddyInfo?,
    pageTypeInfo: PageTypeInfo? = nil, processes: [ProcessEntry], sysVM: SysVM,
    kernel: KernelVersion?
  ) {
    self.time = time
    self.source = source
    self.memInfo = memInfo
    self.zoneInfo = zoneInfo
    self.buddyInfo = buddyInfo
    self.pageTypeInfo = pageTypeInfo
    self.processes = processes
    self.sysVM = sysVM
    self.kernel = kernel
  }
}
