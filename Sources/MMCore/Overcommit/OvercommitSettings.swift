/// The overcommit sysctls in force: the mode, how CommitLimit is sized, and the two reserves.
///
/// Kernel: `sysctl_overcommit_memory`, `sysctl_overcommit_ratio`, `sysctl_overcommit_kbytes`
/// (3.14+) in `mm/util.c`; `sysctl_admin_reserve_kbytes`, `sysctl_user_reserve_kbytes` (3.10+)
/// in `mm/mmap.c` (facts: show-mem-meminfo-overcommit.md §4).
public struct OvercommitSettings: Hashable, Sendable {
  /// `vm.overcommit_memory`.
  public var mode: OvercommitMode
  /// `vm.overcommit_ratio`: the percentage of RAM (less huge pages) in CommitLimit; default 50.
  public var ratio: Int
  /// `vm.overcommit_kbytes`: when non-zero, CommitLimit's RAM part instead of the ratio (3.14+).
  public var kbytes: Int
  /// `vm.admin_reserve_kbytes`: kept back from tasks without `CAP_SYS_ADMIN` (3.10+).
  public var adminReserveKbytes: Int
  /// `vm.user_reserve_kbytes`: the cap of the per-task reserve in strict mode (3.10+).
  public var userReserveKbytes: Int

  /// Creates the settings; the defaults are the kernel's, except the reserves, which depend on
  /// the free memory at boot (``OvercommitFormulas/initialAdminReserveKbytes(freeKbytes:)``).
  public init(
    mode: OvercommitMode = .guess, ratio: Int = 50, kbytes: Int = 0, adminReserveKbytes: Int,
    userReserveKbytes: Int
  ) {
    self.mode = mode
    self.ratio = ratio
    self.kbytes = kbytes
    self.adminReserveKbytes = adminReserveKbytes
    self.userReserveKbytes = userReserveKbytes
  }

  /// The settings a machine's `/proc/sys/vm` shows, the kernel's defaults for files it lacks.
  ///
  /// - Parameter freeKbytes: the free memory the boot-time reserves were computed from, used
  ///   only when `admin_reserve_kbytes` or `user_reserve_kbytes` is missing.
  /// - Throws: ``OvercommitError/sysctlOutOfRange(name:value:range:)`` for a value the kernel's
  ///   handler would not accept (`overcommit_memory` outside 0...2, a negative size).
  public init(sysVM: SysVM, freeKbytes: Int) throws(OvercommitError) {
    let modeValue = sysVM.overcommitMemory ?? 0
    guard let mode = OvercommitMode(rawValue: modeValue) else {
      throw .sysctlOutOfRange(name: "overcommit_memory", value: modeValue, range: 0...2)
    }
    let values: [(String, Int?, Int)] = [
      ("overcommit_ratio", sysVM.overcommitRatio, 50),
      ("overcommit_kbytes", sysVM.overcommitKbytes, 0),
      (
        "admin_reserve_kbytes", sysVM.adminReserveKbytes,
        OvercommitFormulas.initialAdminReserveKbytes(freeKbytes: freeKbytes)
      ),
      (
        "user_reserve_kbytes", sysVM.userReserveKbytes,
        OvercommitFormulas.initialUserReserveKbytes(freeKbytes: freeKbytes)
      ),
    ]
    var checked: [Int] = []
    for (name, value, fallback) in values {
      let value = value ?? fallback
      guard value >= 0 else {
        throw .sysctlOutOfRange(name: name, value: value, range: 0...Int.max)
      }
      checked.append(value)
    }
    self.init(
      mode: mode, ratio: checked[0], kbytes: checked[1], adminReserveKbytes: checked[2],
      userReserveKbytes: checked[3])
  }
}

extension OvercommitFormulas {
  /// `admin_reserve_kbytes` as set at boot and on memory hotplug: min(free / 32, 8 MiB).
  ///
  /// Kernel: `init_admin_reserve()` in `mm/mmap.c` (3.10+), from `NR_FREE_PAGES` in kB.
  public static func initialAdminReserveKbytes(freeKbytes: Int) -> Int {
    min(freeKbytes / 32, 1 << 13)
  }

  /// `user_reserve_kbytes` as set at boot and on memory hotplug: min(free / 32, 128 MiB).
  ///
  /// Kernel: `init_user_reserve()` in `mm/mmap.c` (3.10+), from `NR_FREE_PAGES` in kB.
  public static func initialUserReserveKbytes(freeKbytes: Int) -> Int {
    min(freeKbytes / 32, 1 << 17)
  }
}
