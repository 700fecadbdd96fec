public import MMCore

/// Writes to the overcommit sysctls, with the side effects of the kernel's handlers.
///
/// Kernel: `overcommit_policy_handler()`, `overcommit_ratio_handler()`,
/// `overcommit_kbytes_handler()` in `mm/util.c`; `admin_reserve_kbytes` and
/// `user_reserve_kbytes` are plain `proc_doulongvec_minmax` values (`mm/mmap.c`).
extension SimulatedMachine {
  /// `echo N > /proc/sys/vm/overcommit_memory`.
  ///
  /// From 5.9 the write also recomputes `vm_committed_as`'s batch for the new mode and, when the
  /// mode becomes 2, first folds every cpu's delta into the global count
  /// (`sync_overcommit_as()`), so the strict check starts from the exact count.
  public mutating func writeOvercommitMemory(_ mode: OvercommitMode) {
    let kernel = memory.rules.kernel
    if OvercommitRules(kernel).batchDependsOnMode {
      if mode == .never { overcommit.committed.sync() }
      overcommit.committed.batch = OvercommitFormulas.committedBatch(
        mode: mode, presentCPUs: Self.commitCPUs,
        totalRAMPages: commitAccounting.memory.totalRAMPages, version: kernel)
    }
    overcommit.settings.mode = mode
  }

  /// `echo N > /proc/sys/vm/overcommit_ratio`; from 3.14 a successful write zeroes
  /// `overcommit_kbytes`.
  ///
  /// - Throws: ``OvercommitError/sysctlOutOfRange(name:value:range:)`` for a negative ratio.
  public mutating func writeOvercommitRatio(_ ratio: Int) throws(OvercommitError) {
    try Self.checkSysctl("overcommit_ratio", ratio)
    overcommit.settings.ratio = ratio
    if OvercommitRules(memory.rules.kernel).hasOvercommitKbytes { overcommit.settings.kbytes = 0 }
  }

  /// `echo N > /proc/sys/vm/overcommit_kbytes`; a successful write zeroes `overcommit_ratio`.
  ///
  /// The file exists from 3.14; on an older kernel the value is kept and CommitLimit ignores it.
  ///
  /// - Throws: ``OvercommitError/sysctlOutOfRange(name:value:range:)`` for a negative size.
  public mutating func writeOvercommitKbytes(_ kbytes: Int) throws(OvercommitError) {
    try Self.checkSysctl("overcommit_kbytes", kbytes)
    overcommit.settings.kbytes = kbytes
    if OvercommitRules(memory.rules.kernel).hasOvercommitKbytes { overcommit.settings.ratio = 0 }
  }

  /// `echo N > /proc/sys/vm/admin_reserve_kbytes` (3.10+).
  ///
  /// - Throws: ``OvercommitError/sysctlOutOfRange(name:value:range:)`` for a negative size.
  public mutating func writeAdminReserveKbytes(_ kbytes: Int) throws(OvercommitError) {
    try Self.checkSysctl("admin_reserve_kbytes", kbytes)
    overcommit.settings.adminReserveKbytes = kbytes
  }

  /// `echo N > /proc/sys/vm/user_reserve_kbytes` (3.10+).
  ///
  /// - Throws: ``OvercommitError/sysctlOutOfRange(name:value:range:)`` for a negative size.
  public mutating func writeUserReserveKbytes(_ kbytes: Int) throws(OvercommitError) {
    try Self.checkSysctl("user_reserve_kbytes", kbytes)
    overcommit.settings.userReserveKbytes = kbytes
  }

  private static func checkSysctl(_ name: String, _ value: Int) throws(OvercommitError) {
    guard value >= 0 else {
      throw .sysctlOutOfRange(name: name, value: value, range: 0...Int.max)
    }
  }
}
