internal import MMCore

/// A task of the simulated machine: who it is and what the OOM killer and overcommit look at.
///
/// Its resident memory is not stored here: it is the machine's allocated pages recorded with the
/// task's mm as owner (``SimulatedMachine/memoryUsage(ofTask:)``), so reclaim, migration and
/// kills change it the way they change the pages.
public struct SimulatedTask: Hashable, Sendable {
  /// Process id.
  public var pid: Int
  /// `task->comm`: at most 15 bytes (`TASK_COMM_LEN` 16 with its NUL).
  public private(set) var comm: String
  /// Real user id.
  public var uid: Int
  /// The thread group leader whose mm this task uses (its own pid for a process).
  public var mm: Int
  /// The parent's pid (0 for none).
  public var parent: Int
  /// A kernel thread: no mm of its own, never an OOM victim.
  public var isKernelThread: Bool
  /// `oom_score_adj`, −1000…1000.
  public var oomScoreAdj: Int
  /// Whether the task holds `CAP_SYS_ADMIN` (the root discount before 4.17, the admin reserve).
  public var hasSysAdmin: Bool
  /// Pages of address space mapped (`total_vm`; a thread's mm is its leader's).
  public var totalVMPages: Int
  /// Pages of address space it has touched, which decides its page-table pages (a thread's are
  /// counted on its leader).
  public internal(set) var touchedPages: Int
  /// The memory cgroup its new pages are charged to (`/` for the root).
  ///
  /// Set it before the task has pages: the simulator uncharges a page from its owner's group at
  /// the time (the kernel from the group it was charged to).
  public var memcg = "/"

  /// A task's life as the OOM killer sees it.
  public enum State: Hashable, Sendable {
    /// Running.
    case running
    /// Exiting on its own (`PF_EXITING`).
    case exiting
    /// Killed by the OOM killer (`tsk_is_oom_victim()`), its memory not yet released.
    case oomVictim
  }

  /// The longest `comm` the kernel keeps.
  public static let commLength = 15

  /// Creates a running process (its own mm) with no memory yet; `comm` is cut to 15 bytes.
  public init(
    pid: Int, comm: String, uid: Int = 0, parent: Int = 1, oomScoreAdj: Int = 0,
    hasSysAdmin: Bool = false, isKernelThread: Bool = false
  ) {
    self.pid = pid
    self.comm = Self.truncatedComm(comm)
    self.uid = uid
    self.mm = pid
    self.parent = parent
    self.isKernelThread = isKernelThread
    self.oomScoreAdj = min(max(oomScoreAdj, -1000), 1000)
    self.hasSysAdmin = hasSysAdmin
    totalVMPages = 0
    touchedPages = 0
  }

  /// Writes the legacy `/proc/PID/oom_adj` (−17…15), which sets `oom_score_adj`; `false` (the
  /// kernel's `-EINVAL`) for a value outside the range.
  public mutating func writeLegacyOOMAdj(_ value: Int) -> Bool {
    guard let adj = OOMScoreAdj.scoreAdj(forLegacyValue: value) else { return false }
    oomScoreAdj = adj
    return true
  }

  /// `comm` as `strscpy()` into 16 bytes leaves it: the first 15 bytes, never a partial
  /// UTF-8 sequence.
  static func truncatedComm(_ name: String) -> String {
    var bytes = Array(name.utf8.prefix(commLength))
    while !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// A task's resident memory and swap, in pages, as `get_mm_rss()`, `MM_SWAPENTS` and
/// `mm_pgtables_bytes()` count them.
public struct TaskMemoryUsage: Hashable, Sendable {
  /// `MM_ANONPAGES`.
  public var anonPages: Int
  /// `MM_FILEPAGES`: page cache mapped by the task.
  public var filePages: Int
  /// `MM_SHMEMPAGES`.
  public var shmemPages: Int
  /// Swap entries of its anonymous memory (`MM_SWAPENTS`).
  public var swapEntries: Int
  /// Page-table pages.
  public var pageTablePages: Int

  /// Creates a usage, in pages.
  public init(
    anonPages: Int = 0, filePages: Int = 0, shmemPages: Int = 0, swapEntries: Int = 0,
    pageTablePages: Int = 0
  ) {
    self.anonPages = anonPages
    self.filePages = filePages
    self.shmemPages = shmemPages
    self.swapEntries = swapEntries
    self.pageTablePages = pageTablePages
  }

  /// `get_mm_rss()`: anon + file + shmem.
  public var residentPages: Int { anonPages + filePages + shmemPages }
}
