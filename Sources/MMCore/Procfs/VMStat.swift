/// The contents of `/proc/vmstat`: ordered `name value` counter lines.
///
/// Kernel: `vmstat_show()` and `vmstat_text[]` in `mm/vmstat.c` (zone, NUMA, node and writeback
/// counters, then the VM events).
public struct VMStat: Hashable, Sendable {
  /// The counters in file order.
  public var counters: [NamedValue]

  /// Creates the file's contents from its counters.
  public init(counters: [NamedValue]) {
    self.counters = counters
  }

  /// The value of the counter called `name`, or `nil` when the file does not print it.
  ///
  /// - Complexity: O(*n*).
  public func value(named name: String) -> Int? { counters.value(named: name) }
}
