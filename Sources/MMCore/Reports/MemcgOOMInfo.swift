/// One line of a memory cgroup's state, printed by a memcg OOM report instead of (or, on
/// cgroup v1 ≤ 4.18, besides) the `Mem-Info:` block.
///
///     Task in /leaker killed as a result of limit of /leaker                    (≤ 4.18)
///     memory: usage 65536kB, limit 65536kB, failcnt 21
///     swap: usage 0kB, limit 9007199254740988kB, failcnt 0                      (cgroup v2)
///     memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0               (cgroup v1)
///     kmem: usage 1944kB, limit 9007199254740988kB, failcnt 0                   (cgroup v1)
///     Memory cgroup stats for /leaker: cache:3632KB rss:518232KB …             (cgroup v1)
///     Memory cgroup stats for /t1:                                              (cgroup v2)
///     anon 66916352
///
/// Kernel: `mem_cgroup_print_oom_context()` and `mem_cgroup_print_oom_meminfo()` in
/// `mm/memcontrol.c` (oom.md §8).
public enum MemcgOOMLine: Hashable, Sendable {
  /// `Task in %s killed as a result of limit of %s`.
  case taskIn(task: String, limit: String)
  /// `%s: usage %llukB, limit %llukB, failcnt %lu`.
  case counter(MemcgCounter)
  /// `Memory cgroup stats for %s:`, with cgroup v1's ` %s:%luKB` items on the same line, or
  /// `nil` for the cgroup v2 form whose items follow on lines of their own.
  case stats(path: String, items: [MemcgStatItem]?)
  /// A cgroup v2 `memory.stat` line after the stats line: `%s %llu` (bytes or a count).
  case stat(NamedValue)
}

/// A page counter of a memory cgroup as the OOM report prints it.
public struct MemcgCounter: Hashable, Sendable {
  /// `memory`, `memory+swap`, `swap` or `kmem`.
  public var name: String
  /// Usage in kB.
  public var usageKilobytes: Int
  /// Limit in kB (`9007199254740988` for unlimited, 64-bit with 4 KiB pages).
  public var limitKilobytes: Int
  /// How many times a charge hit the limit.
  public var failcnt: Int

  /// Creates a counter line.
  public init(name: String, usageKilobytes: Int, limitKilobytes: Int, failcnt: Int) {
    self.name = name
    self.usageKilobytes = usageKilobytes
    self.limitKilobytes = limitKilobytes
    self.failcnt = failcnt
  }
}

/// One ` %s:%lu[KB]` item of a cgroup v1 stats line.
public struct MemcgStatItem: Hashable, Sendable {
  /// The item's name (`cache`, `rss`, `inactive_anon`, …).
  public var name: String
  /// The value.
  public var value: Int
  /// The unit printed after the value (`KB`, or empty for a count).
  public var unit: String

  /// Creates an item.
  public init(name: String, value: Int, unit: String = "KB") {
    self.name = name
    self.value = value
    self.unit = unit
  }
}
