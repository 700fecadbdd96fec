/// The fields of `/proc/PID/status` that describe a process's identity and memory.
///
/// Every field is `nil` when the kernel did not print it: kernel threads and zombies have no
/// `Vm*`/`Rss*` lines, `RssAnon`/`RssFile`/`RssShmem` arrived in 4.5, `VmPMD` existed in
/// 4.0–4.14, `Kthread` is recent. Memory values are in kB, as printed.
///
/// Kernel: `proc_pid_status()` in `fs/proc/array.c`, `task_mem()` in `fs/proc/task_mmu.c`.
public struct ProcessStatus: Hashable, Sendable {
  /// `Name`: the command name (escaped as the kernel prints it).
  public var name: String?
  /// `State`'s letter (`R`, `S`, `D`, `Z`, `X`, …).
  public var state: String?
  /// `Tgid`.
  public var tgid: Int?
  /// `Pid`.
  public var pid: Int?
  /// `PPid`.
  public var ppid: Int?
  /// `Uid`: real, effective, saved and filesystem uid.
  public var uids: [Int]?
  /// `Kthread`: whether this is a kernel thread.
  public var isKernelThread: Bool?
  /// `VmRSS`: anon + file + shmem, in kB.
  public var vmRSS: Int?
  /// `RssAnon`, in kB.
  public var rssAnon: Int?
  /// `RssFile`, in kB.
  public var rssFile: Int?
  /// `RssShmem`, in kB.
  public var rssShmem: Int?
  /// `VmPTE`: page tables (`pgtables_bytes` in 4.15+; PTE pages only before), in kB.
  public var vmPTE: Int?
  /// `VmPMD` (4.0–4.14): PMD page tables, in kB.
  public var vmPMD: Int?
  /// `VmSwap`: swap entries, in kB.
  public var vmSwap: Int?
  /// `Threads`.
  public var threads: Int?
  /// `CapEff`: the effective capability set.
  public var effectiveCapabilities: UInt64?

  /// Creates the fields; omitted ones were not printed.
  public init(
    name: String? = nil, state: String? = nil, tgid: Int? = nil, pid: Int? = nil,
    ppid: Int? = nil, uids: [Int]? = nil, isKernelThread: Bool? = nil, vmRSS: Int? = nil,
    rssAnon: Int? = nil, rssFile: Int? = nil, rssShmem: Int? = nil, vmPTE: Int? = nil,
    vmPMD: Int? = nil, vmSwap: Int? = nil, threads: Int? = nil,
    effectiveCapabilities: UInt64? = nil
  ) {
    self.name = name
    self.state = state
    self.tgid = tgid
    self.pid = pid
    self.ppid = ppid
    self.uids = uids
    self.isKernelThread = isKernelThread
    self.vmRSS = vmRSS
    self.rssAnon = rssAnon
    self.rssFile = rssFile
    self.rssShmem = rssShmem
    self.vmPTE = vmPTE
    self.vmPMD = vmPMD
    self.vmSwap = vmSwap
    self.threads = threads
    self.effectiveCapabilities = effectiveCapabilities
  }

  /// `CAP_SYS_ADMIN`'s bit in the capability sets.
  public static let sysAdminCapabilityBit = 21

  /// Whether `CapEff` holds `CAP_SYS_ADMIN`; `nil` without a `CapEff` line.
  public var hasSysAdminCapability: Bool? {
    effectiveCapabilities.map { $0 & (1 << Self.sysAdminCapabilityBit) != 0 }
  }
}
