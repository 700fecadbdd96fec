/// The setting of `/sys/kernel/mm/transparent_hugepage/enabled`.
///
/// khugepaged runs for ``always`` and ``madvise``. A kernel built without
/// `CONFIG_TRANSPARENT_HUGEPAGE` has no mode: APIs take `TransparentHugepageMode?` and `nil`.
///
/// Kernel: `TRANSPARENT_HUGEPAGE_FLAG` / `TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG` in
/// `mm/huge_memory.c`; `hugepage_flags_enabled()` (`khugepaged_enabled()` before 6.0).
public enum TransparentHugepageMode: String, Hashable, Sendable, CaseIterable {
  /// `[always]`: huge pages for every eligible mapping.
  case always
  /// `[madvise]`: only for `MADV_HUGEPAGE` regions.
  case madvise
  /// `[never]`; also what `hugepage_init()` sets on small machines.
  case never

  /// Whether khugepaged runs (`hugepage_flags_enabled()`).
  public var startsKhugepaged: Bool { self != .never }
}
