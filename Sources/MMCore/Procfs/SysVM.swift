/// The `/proc/sys/vm` sysctls oomlab reads, one file each.
///
/// Each typed property is `nil` when its file was not given. Every other sysctl keeps its file
/// text in ``otherValues``.
///
/// Kernel: `vm_table[]` in `kernel/sysctl.c` and the tables in `mm/page_alloc.c`,
/// `mm/util.c`, `mm/oom_kill.c` (6.1).
public struct SysVM: Hashable, Sendable {
  /// `min_free_kbytes`.
  public var minFreeKbytes: Int?
  /// `watermark_scale_factor` (4.6+).
  public var watermarkScaleFactor: Int?
  /// `watermark_boost_factor` (5.0+).
  public var watermarkBoostFactor: Int?
  /// `lowmem_reserve_ratio`: one ratio per zone type.
  public var lowmemReserveRatio: [Int]?
  /// `extfrag_threshold`.
  public var extfragThreshold: Int?
  /// `overcommit_memory`: 0 guess, 1 always, 2 never.
  public var overcommitMemory: Int?
  /// `overcommit_ratio`.
  public var overcommitRatio: Int?
  /// `overcommit_kbytes`.
  public var overcommitKbytes: Int?
  /// `admin_reserve_kbytes`.
  public var adminReserveKbytes: Int?
  /// `user_reserve_kbytes`.
  public var userReserveKbytes: Int?
  /// `panic_on_oom`.
  public var panicOnOOM: Int?
  /// `oom_kill_allocating_task`.
  public var oomKillAllocatingTask: Int?
  /// `swappiness`.
  public var swappiness: Int?
  /// Every other sysctl: file name → file text, unchanged.
  public var otherValues: [String: String]

  /// Creates the sysctls; omitted values are unknown.
  public init(
    minFreeKbytes: Int? = nil, watermarkScaleFactor: Int? = nil,
    watermarkBoostFactor: Int? = nil, lowmemReserveRatio: [Int]? = nil,
    extfragThreshold: Int? = nil, overcommitMemory: Int? = nil, overcommitRatio: Int? = nil,
    overcommitKbytes: Int? = nil, adminReserveKbytes: Int? = nil,
    userReserveKbytes: Int? = nil, panicOnOOM: Int? = nil, oomKillAllocatingTask: Int? = nil,
    swappiness: Int? = nil, otherValues: [String: String] = [:]
  ) {
    self.minFreeKbytes = minFreeKbytes
    self.watermarkScaleFactor = watermarkScaleFactor
    self.watermarkBoostFactor = watermarkBoostFactor
    self.lowmemReserveRatio = lowmemReserveRatio
    self.extfragThreshold = extfragThreshold
    self.overcommitMemory = overcommitMemory
    self.overcommitRatio = overcommitRatio
    self.overcommitKbytes = overcommitKbytes
    self.adminReserveKbytes = adminReserveKbytes
    self.userReserveKbytes = userReserveKbytes
    self.panicOnOOM = panicOnOOM
    self.oomKillAllocatingTask = oomKillAllocatingTask
    self.swappiness = swappiness
    self.otherValues = otherValues
  }
}

extension SysVM {
  /// The file name of `lowmem_reserve_ratio`, the one vector sysctl with a typed property.
  package static let lowmemReserveRatioName = "lowmem_reserve_ratio"

  /// The single-integer sysctls with a typed property, by file name.
  package static var integerFields: [(name: String, field: WritableKeyPath<SysVM, Int?>)] {
    [
      ("min_free_kbytes", \.minFreeKbytes),
      ("watermark_scale_factor", \.watermarkScaleFactor),
      ("watermark_boost_factor", \.watermarkBoostFactor),
      ("extfrag_threshold", \.extfragThreshold),
      ("overcommit_memory", \.overcommitMemory),
      ("overcommit_ratio", \.overcommitRatio),
      ("overcommit_kbytes", \.overcommitKbytes),
      ("admin_reserve_kbytes", \.adminReserveKbytes),
      ("user_reserve_kbytes", \.userReserveKbytes),
      ("panic_on_oom", \.panicOnOOM),
      ("oom_kill_allocating_task", \.oomKillAllocatingTask),
      ("swappiness", \.swappiness),
    ]
  }
}
