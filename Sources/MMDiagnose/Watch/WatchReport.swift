/// What `oomlab watch` shows for one sample: memory now, each zone against its watermarks, the
/// tasks whose RSS grows fastest, and when the trend reaches kswapd, direct reclaim and the OOM
/// killer, with the task the killer would pick then.
///
/// Encoded as one JSON object per sample (JSON Lines); keys are documented in docs/watch.md.
/// Rates are per second, times in seconds on the series' clock, rounded to 0.1.
public struct WatchReport: Codable, Hashable, Sendable {
  /// The sample's number, from 1.
  public var sample: Int
  /// The sample's time on the series' clock.
  public var time: Double
  /// The directory the sample was read from.
  public var source: String
  /// `MemFree`, in kB.
  public var memFreeKB: Int?
  /// `MemAvailable`, in kB.
  public var memAvailableKB: Int?
  /// `SwapFree`, in kB.
  public var swapFreeKB: Int?
  /// The populated zones (needs zoneinfo).
  public var zones: [Zone]
  /// Up to five tasks whose RSS grows fastest, fastest first.
  public var topGrowers: [Grower]
  /// The fitted trends; `nil` until two samples with meminfo.
  public var trend: Trend?
  /// When the thresholds are reached; `nil` until two samples with meminfo.
  public var predictions: Predictions?

  /// One zone against its watermarks, in pages (`/proc/zoneinfo`, boost included as printed).
  public struct Zone: Codable, Hashable, Sendable {
    /// The NUMA node.
    public var node: Int
    /// The zone's name (`DMA32`, `Normal`, …).
    public var zone: String
    /// `pages free`.
    public var freePages: Int
    /// The min watermark.
    public var minPages: Int
    /// The low watermark.
    public var lowPages: Int
    /// The high watermark.
    public var highPages: Int
    /// The highest order with a free block (`/proc/buddyinfo`); -1 when none, `nil` when
    /// buddyinfo lacks the zone.
    public var largestFreeOrder: Int?
    /// The highest order the fast path would grant now, per request of
    /// ``WatchSample/highestOrderRequests`` (`GFP_KERNEL`, `GFP_ATOMIC`), as `oomlab inspect`'s
    /// key of the same name; -1 for none, `nil` without a kernel version, without both
    /// pagetypeinfo and buddyinfo, or for a zone kind oomlab does not model.
    public var highestOrder: [String: Int]?
  }

  /// A task whose resident memory grows.
  public struct Grower: Codable, Hashable, Sendable {
    /// The process id.
    public var pid: Int
    /// The command name.
    public var comm: String
    /// `VmRSS` now, in kB.
    public var rssKB: Int
    /// `VmSwap` now, in kB.
    public var swapKB: Int
    /// The fitted growth of `VmRSS`, kB per second.
    public var rssKBPerSecond: Double
  }

  /// The least-squares lines the predictions extrapolate.
  public struct Trend: Codable, Hashable, Sendable {
    /// The samples in the window with meminfo, which the lines were fitted to.
    public var samples: Int
    /// The seconds they span.
    public var seconds: Double
    /// MemFree's change, kB per second.
    public var memFreeKBPerSecond: Double
    /// MemAvailable's change, kB per second; `nil` when meminfo has none (before 3.14).
    public var memAvailableKBPerSecond: Double?
    /// MemAvailable + SwapFree's change, kB per second: the OOM killer's headroom.
    public var headroomKBPerSecond: Double?
  }

  /// When each threshold is reached, and whom the OOM killer picks then.
  public struct Predictions: Codable, Hashable, Sendable {
    /// kswapd wakes: MemFree falls to the zones' summed low watermarks.
    public var kswapdWakes: Event
    /// Allocations enter direct reclaim and may fail: MemFree falls to the summed min
    /// watermarks.
    public var directReclaim: Event
    /// The OOM killer runs: MemAvailable + SwapFree reaches 0.
    public var oomKill: Event
    /// What a global OOM does then (``TaskInspection/Decision``'s names); `nil` without tasks or
    /// without a predicted OOM.
    public var oomDecision: String?
    /// The task it would pick at the predicted OOM, RSS and swap extrapolated to then.
    public var oomVictim: Victim?
    /// The task it would pick now, for comparison.
    public var oomVictimNow: Victim?
  }

  /// One predicted event.
  public struct Event: Codable, Hashable, Sendable {
    /// The figure compared: `MemFree` or `MemAvailable+SwapFree`.
    public var measure: String
    /// The level it is compared against, in kB; `nil` when unknown (no zoneinfo).
    public var thresholdKB: Int?
    /// Seconds from this sample; 0 when already reached, `nil` when not predicted.
    public var inSeconds: Double?
    /// The time on the series' clock; `nil` when not predicted.
    public var atTime: Double?
  }

  /// A task the OOM killer would pick.
  public struct Victim: Codable, Hashable, Sendable {
    /// The process id.
    public var pid: Int
    /// The command name.
    public var comm: String
    /// Its `oom_badness()`, in pages.
    public var badnessPages: Int
    /// `VmRSS` it is scored with, in kB.
    public var rssKB: Int
    /// `VmSwap` it is scored with, in kB.
    public var swapKB: Int
  }
}
