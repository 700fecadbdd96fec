/// A memory cgroup (v2 semantics): its limits, what is charged to it, and its event counters.
///
/// Kernel: `struct mem_cgroup` with its `memory` and `swap` page counters and `memory_events[]`
/// (mm/memcontrol.c); files `memory.max`, `memory.swap.max`, `memory.oom.group`,
/// `memory.current`, `memory.events`.
public struct MemoryCgroup: Hashable, Sendable {
  /// The path below the root, `/` for the root (`/t1`, `/system.slice/foo.service`).
  public let path: String
  /// `memory.max` in pages; `nil` for `max`.
  public var max: Int?
  /// `memory.high` in pages; `nil` for `max`: above it the group's tasks reclaim from it.
  public var high: Int?
  /// `memory.swap.max` in pages; `nil` for `max`.
  public var swapMax: Int?
  /// `memory.oom.group`: an OOM kill in the group kills all of it.
  public var oomGroup: Bool
  /// `memory.current` in pages: what is charged to the group and its descendants.
  public internal(set) var usage = 0
  /// The `memory` page counter's failcnt: how often a charge found it at its limit.
  public internal(set) var failcnt = 0
  /// `memory.events`.
  public internal(set) var events = Events()

  /// `memory.events` (hierarchical, as cgroup v2 counts them without `memory_localevents`).
  public struct Events: Hashable, Sendable {
    /// A charge left the group above `memory.high`.
    public var high = 0
    /// A charge found the group at `memory.max`.
    public var max = 0
    /// The group's OOM killer was invoked.
    public var oom = 0
    /// A task of the group was killed by an OOM killer.
    public var oomKill = 0
    /// The group was killed whole because of `memory.oom.group`.
    public var oomGroupKill = 0
  }

  /// Creates a group with nothing charged.
  public init(
    path: String, max: Int? = nil, high: Int? = nil, swapMax: Int? = nil, oomGroup: Bool = false
  ) {
    self.path = path
    self.max = max
    self.high = high
    self.swapMax = swapMax
    self.oomGroup = oomGroup
  }

  /// The parent's path (`nil` for the root).
  public var parentPath: String? {
    guard path != "/" else { return nil }
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }

  /// Whether `path` is this group or below it.
  public func contains(_ path: String) -> Bool {
    self.path == "/" || path == self.path || path.hasPrefix(self.path + "/")
  }

  /// Pages that can still be charged before `memory.max` (`mem_cgroup_margin()`, memory only).
  var margin: Int { max.map { Swift.max($0 - usage, 0) } ?? Int.max }
}
