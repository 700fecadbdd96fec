/// One `name value` line of a kernel counter block, as `/proc/vmstat` and `/proc/zoneinfo` print
/// them.
///
/// Stat blocks are kept as ordered arrays of these, so that rendering gives back the file's lines
/// in the kernel's order (`vmstat_text[]` in `mm/vmstat.c`).
public struct NamedValue: Hashable, Sendable {
  /// The counter's kernel name (`nr_free_pages`, `numa_hit`, …).
  public var name: String
  /// The printed value.
  public var value: Int

  /// Creates a counter line.
  public init(name: String, value: Int) {
    self.name = name
    self.value = value
  }
}

extension Array where Element == NamedValue {
  /// The value of the first counter called `name`, or `nil` when there is none.
  ///
  /// - Complexity: O(*n*).
  public func value(named name: String) -> Int? {
    first { $0.name == name }?.value
  }
}
