/// The contents of `/proc/meminfo`: ordered `Name: value kB` lines.
///
/// The set and order of fields depend on the kernel version and configuration, so the file is
/// kept as an ordered array; the accessors below read the fields the simulator and the
/// diagnostics use. Values are in kB, except the `HugePages_*` counts, which have no unit.
///
/// Kernel: `meminfo_proc_show()` in `fs/proc/meminfo.c`, `arch_report_meminfo()` (x86
/// `DirectMap*`), `hugetlb_report_meminfo()` in `mm/hugetlb.c`.
public struct MemInfo: Hashable, Sendable {
  /// One line of the file.
  public struct Field: Hashable, Sendable {
    /// The name before the colon (`MemTotal`, `Active(anon)`, `HugePages_Total`, …).
    public var name: String
    /// The printed value: kB when ``hasUnit``, a plain count otherwise.
    public var value: Int
    /// Whether the line ends in ` kB`.
    public var hasUnit: Bool

    /// Creates a line.
    public init(name: String, value: Int, hasUnit: Bool = true) {
      self.name = name
      self.value = value
      self.hasUnit = hasUnit
    }
  }

  /// The lines in file order.
  public var fields: [Field]

  /// Creates the file's contents from its lines.
  public init(fields: [Field]) {
    self.fields = fields
  }

  /// The value of the field called `name`, or `nil` when the file does not print it.
  ///
  /// - Complexity: O(*n*).
  public func value(named name: String) -> Int? {
    fields.first { $0.name == name }?.value
  }
}

// MARK: - Typed accessors

extension MemInfo {
  /// `MemTotal`: totalram pages (Σ managed), in kB.
  public var memTotal: Int? { value(named: "MemTotal") }
  /// `MemFree`: `NR_FREE_PAGES`, in kB.
  public var memFree: Int? { value(named: "MemFree") }
  /// `MemAvailable`: `si_mem_available()`, in kB.
  public var memAvailable: Int? { value(named: "MemAvailable") }
  /// `Buffers`, in kB.
  public var buffers: Int? { value(named: "Buffers") }
  /// `Cached`: file pages minus swap cache and buffers, in kB.
  public var cached: Int? { value(named: "Cached") }
  /// `SwapCached`, in kB.
  public var swapCached: Int? { value(named: "SwapCached") }
  /// `Active`: active anon + active file, in kB.
  public var active: Int? { value(named: "Active") }
  /// `Inactive`: inactive anon + inactive file, in kB.
  public var inactive: Int? { value(named: "Inactive") }
  /// `Active(anon)`, in kB.
  public var activeAnon: Int? { value(named: "Active(anon)") }
  /// `Inactive(anon)`, in kB.
  public var inactiveAnon: Int? { value(named: "Inactive(anon)") }
  /// `Active(file)`, in kB.
  public var activeFile: Int? { value(named: "Active(file)") }
  /// `Inactive(file)`, in kB.
  public var inactiveFile: Int? { value(named: "Inactive(file)") }
  /// `Unevictable`, in kB.
  public var unevictable: Int? { value(named: "Unevictable") }
  /// `Mlocked`, in kB.
  public var mlocked: Int? { value(named: "Mlocked") }
  /// `HighTotal` (`CONFIG_HIGHMEM`), in kB.
  public var highTotal: Int? { value(named: "HighTotal") }
  /// `HighFree` (`CONFIG_HIGHMEM`), in kB.
  public var highFree: Int? { value(named: "HighFree") }
  /// `LowTotal` (`CONFIG_HIGHMEM`), in kB.
  public var lowTotal: Int? { value(named: "LowTotal") }
  /// `LowFree` (`CONFIG_HIGHMEM`), in kB.
  public var lowFree: Int? { value(named: "LowFree") }
  /// `SwapTotal`, in kB.
  public var swapTotal: Int? { value(named: "SwapTotal") }
  /// `SwapFree`, in kB.
  public var swapFree: Int? { value(named: "SwapFree") }
  /// `Dirty`, in kB.
  public var dirty: Int? { value(named: "Dirty") }
  /// `Writeback`, in kB.
  public var writeback: Int? { value(named: "Writeback") }
  /// `AnonPages`: `NR_ANON_MAPPED`, in kB.
  public var anonPages: Int? { value(named: "AnonPages") }
  /// `Mapped`: `NR_FILE_MAPPED`, in kB.
  public var mapped: Int? { value(named: "Mapped") }
  /// `Shmem`, in kB.
  public var shmem: Int? { value(named: "Shmem") }
  /// `KReclaimable`: reclaimable slab + misc reclaimable kernel memory (4.20+), in kB.
  public var kReclaimable: Int? { value(named: "KReclaimable") }
  /// `Slab`, in kB.
  public var slab: Int? { value(named: "Slab") }
  /// `SReclaimable`, in kB.
  public var sReclaimable: Int? { value(named: "SReclaimable") }
  /// `SUnreclaim`, in kB.
  public var sUnreclaim: Int? { value(named: "SUnreclaim") }
  /// `KernelStack`, in kB.
  public var kernelStack: Int? { value(named: "KernelStack") }
  /// `PageTables`, in kB.
  public var pageTables: Int? { value(named: "PageTables") }
  /// `CommitLimit`: `vm_commit_limit()`, in kB.
  public var commitLimit: Int? { value(named: "CommitLimit") }
  /// `Committed_AS`: `vm_committed_as`, in kB.
  public var committedAS: Int? { value(named: "Committed_AS") }
  /// `CmaTotal` (`CONFIG_CMA`), in kB.
  public var cmaTotal: Int? { value(named: "CmaTotal") }
  /// `CmaFree` (`CONFIG_CMA`), in kB.
  public var cmaFree: Int? { value(named: "CmaFree") }
  /// `HugePages_Total`: huge pages of the default size (a count).
  public var hugePagesTotal: Int? { value(named: "HugePages_Total") }
  /// `HugePages_Free` (a count).
  public var hugePagesFree: Int? { value(named: "HugePages_Free") }
  /// `HugePages_Rsvd` (a count).
  public var hugePagesReserved: Int? { value(named: "HugePages_Rsvd") }
  /// `HugePages_Surp` (a count).
  public var hugePagesSurplus: Int? { value(named: "HugePages_Surp") }
  /// `Hugepagesize`: the default huge page size, in kB.
  public var hugePageSize: Int? { value(named: "Hugepagesize") }
  /// `Hugetlb`: memory in huge pages of every size, in kB.
  public var hugetlb: Int? { value(named: "Hugetlb") }
}
