/// A process as the OOM killer sees it: its memory, its `oom_score_adj`, and the facts that
/// make it unkillable or stop the selection.
///
/// Memory is counted the way `oom_badness()` counts it: resident pages of the process's mm
/// (anon + file + shmem, `get_mm_rss()`), swap entries, and page-table bytes.
///
/// Kernel: `struct task_struct`, `struct mm_struct` counters (`MM_ANONPAGES`, `MM_FILEPAGES`,
/// `MM_SHMEMPAGES`, `MM_SWAPENTS`, `pgtables_bytes`), `signal->oom_score_adj`.
public struct OOMTask: Hashable, Sendable {
  /// The thread-group id (`/proc/PID`).
  public var pid: Int
  /// The command name as `/proc/PID/comm` shows it: at most 15 bytes (`TASK_COMM_LEN` − 1) for
  /// user processes.
  public var comm: String
  /// The real uid in the initial namespace, when known.
  public var uid: Int?
  /// Resident anonymous pages (`MM_ANONPAGES`).
  public var rssAnonPages: Int
  /// Resident file-backed pages (`MM_FILEPAGES`).
  public var rssFilePages: Int
  /// Resident shared-memory pages (`MM_SHMEMPAGES`).
  public var rssShmemPages: Int
  /// Swap entries (`MM_SWAPENTS`).
  public var swapEntries: Int
  /// Bytes of page tables the OOM killer counts: `pgtables_bytes` (4.15+); the PTE pages
  /// (≤ 3.19) or PTE + PMD pages (4.0–4.14) times the page size before that.
  public var pageTableBytes: Int
  /// `oom_score_adj`, −1000…1000.
  public var oomScoreAdj: Int
  /// Whether this is a kernel thread (`PF_KTHREAD`): never a candidate.
  public var isKernelThread: Bool
  /// Whether this is the global init (pid 1 of the initial namespace): never a candidate.
  public var isGlobalInit: Bool
  /// Whether every thread has released its mm (an exiting or zombie process): nothing to free,
  /// so never a candidate.
  public var hasExitedMM: Bool
  /// Whether an earlier OOM kill chose this process (`tsk_is_oom_victim()`).
  public var isOOMVictim: Bool
  /// Whether its mm was reaped or given up on (`MMF_OOM_SKIP`): selection passes over it.
  public var isOOMSkipped: Bool
  /// Whether it holds `CAP_SYS_ADMIN` (the root discount before 4.17); `nil` when unknown,
  /// which counts as not holding it.
  public var hasSysAdminCapability: Bool?

  /// Creates a task; flags default to an ordinary user process.
  public init(
    pid: Int, comm: String, uid: Int? = nil, rssAnonPages: Int = 0, rssFilePages: Int = 0,
    rssShmemPages: Int = 0, swapEntries: Int = 0, pageTableBytes: Int = 0, oomScoreAdj: Int = 0,
    isKernelThread: Bool = false, isGlobalInit: Bool = false, hasExitedMM: Bool = false,
    isOOMVictim: Bool = false, isOOMSkipped: Bool = false, hasSysAdminCapability: Bool? = nil
  ) {
    self.pid = pid
    self.comm = comm
    self.uid = uid
    self.rssAnonPages = rssAnonPages
    self.rssFilePages = rssFilePages
    self.rssShmemPages = rssShmemPages
    self.swapEntries = swapEntries
    self.pageTableBytes = pageTableBytes
    self.oomScoreAdj = oomScoreAdj
    self.isKernelThread = isKernelThread
    self.isGlobalInit = isGlobalInit
    self.hasExitedMM = hasExitedMM
    self.isOOMVictim = isOOMVictim
    self.isOOMSkipped = isOOMSkipped
    self.hasSysAdminCapability = hasSysAdminCapability
  }

  /// The legacy `/proc/PID/oom_adj` value (−17…15) that reads back for ``oomScoreAdj``.
  public var oomAdj: Int { OOMScoreAdj.legacyValue(forScoreAdj: oomScoreAdj) }

  /// Resident pages: anon + file + shmem (`get_mm_rss()`).
  public var rssPages: Int { rssAnonPages &+ rssFilePages &+ rssShmemPages }
}
