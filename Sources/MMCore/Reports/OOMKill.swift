/// The one-line summary of an OOM kill (4.19+).
///
///     oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,pid=475,uid=0
///
/// Kernel: `dump_oom_summary()` / `dump_oom_victim()` in `mm/oom_kill.c` (oom.md §7.4); 5.0
/// printed no cpuset fields.
public struct OOMKillSummary: Hashable, Sendable {
  /// `CONSTRAINT_NONE`, `CONSTRAINT_CPUSET`, `CONSTRAINT_MEMORY_POLICY` or `CONSTRAINT_MEMCG`.
  public var constraint: String
  /// The nodemask text (`(null)`, `0-1`).
  public var nodemask: String
  /// The allocating task's cpuset name, when printed.
  public var cpuset: String?
  /// The allocating task's `mems_allowed`, when printed.
  public var memsAllowed: String?
  /// The OOM memcg's path for a memcg OOM, `nil` for `global_oom`.
  public var oomMemcg: String?
  /// The victim's memcg path.
  public var taskMemcg: String
  /// The victim's name.
  public var task: String
  /// The victim's pid.
  public var pid: Int
  /// The victim's uid.
  public var uid: Int

  /// Creates the line.
  public init(
    constraint: String, nodemask: String, cpuset: String?, memsAllowed: String?,
    oomMemcg: String?, taskMemcg: String, task: String, pid: Int, uid: Int
  ) {
    self.constraint = constraint
    self.nodemask = nodemask
    self.cpuset = cpuset
    self.memsAllowed = memsAllowed
    self.oomMemcg = oomMemcg
    self.taskMemcg = taskMemcg
    self.task = task
    self.pid = pid
    self.uid = uid
  }
}

/// The ≤ 5.0 line naming the chosen process before it (or a child) is killed.
///
///     Out of memory: Kill process 1260 (app) score 563 or sacrifice child
///     Memory cgroup out of memory: Kill process 2746 (leaker) score 992 or sacrifice child
///     Out of memory: kill process 3475 (run-mozilla.sh) score 178478 or a child     (≤ 2.6.35)
///
/// Kernel: `oom_kill_process()` in `mm/oom_kill.c` (oom.md §7.5).
public struct OOMKillProcessLine: Hashable, Sendable {
  /// The message before `: ` (`Out of memory`, `Memory cgroup out of memory`), or `nil` when
  /// the line starts with `Kill process`.
  public var message: String?
  /// Whether the ≤ 2.6.35 wording was printed (`kill process … or a child`).
  public var orAChild: Bool
  /// The chosen process's pid.
  public var pid: Int
  /// The chosen process's name.
  public var comm: String
  /// The badness score printed (0–1000 from 2.6.36).
  public var score: Int

  /// Creates the line.
  public init(message: String?, orAChild: Bool = false, pid: Int, comm: String, score: Int) {
    self.message = message
    self.orAChild = orAChild
    self.pid = pid
    self.comm = comm
    self.score = score
  }
}

/// The line that reports the kill, in every historical shape.
///
///     Killed process 3480 (thunderbird-bin)                                         (≤ 2.6.35)
///     Killed process 20557, UID 188, (haproxy) total-vm:8560500kB, anon-rss:12468kB, file-rss:264kB
///     Killed process 1693 (id.printspooler) total-vm:1247000kB, anon-rss:48032kB, file-rss:22960kB
///     Killed process 222 (squid) total-vm:108772kB, anon-rss:76336kB, file-rss:7632kB, shmem-rss:12kB
///     Out of memory: Killed process 253 (holder1) total-vm:93232kB, anon-rss:92076kB, file-rss:4kB, shmem-rss:700kB, UID:0 pgtables:216kB oom_score_adj:500
///
/// Each field is `nil` when the shape does not print it; they print in this order.
///
/// Kernel: `__oom_kill_process()` in `mm/oom_kill.c` (oom.md §7.5).
public struct OOMKilledProcess: Hashable, Sendable {
  /// The message before `: ` (`Out of memory`, `Memory cgroup out of memory`, `Out of memory
  /// (oom_kill_allocating_task)`; 5.1+), or `nil` for a line that starts with `Killed process`.
  public var message: String?
  /// The victim's pid.
  public var pid: Int
  /// RHEL 6's `, UID %d, ` between the pid and the name.
  public var uidBeforeComm: Int?
  /// The victim's name.
  public var comm: String
  /// `total-vm` in kB.
  public var totalVMKilobytes: Int?
  /// `anon-rss` in kB.
  public var anonRSSKilobytes: Int?
  /// `file-rss` in kB.
  public var fileRSSKilobytes: Int?
  /// `shmem-rss` in kB (4.5+).
  public var shmemRSSKilobytes: Int?
  /// `, UID:%u` (≈ 5.3+).
  public var uid: Int?
  /// ` pgtables:%lukB` (≈ 5.9+).
  public var pgtablesKilobytes: Int?
  /// ` oom_score_adj:%hd` (≈ 5.9+).
  public var oomScoreAdj: Int?

  /// Creates the line; fields left `nil` are not printed.
  public init(
    message: String?, pid: Int, uidBeforeComm: Int? = nil, comm: String,
    totalVMKilobytes: Int? = nil, anonRSSKilobytes: Int? = nil, fileRSSKilobytes: Int? = nil,
    shmemRSSKilobytes: Int? = nil, uid: Int? = nil, pgtablesKilobytes: Int? = nil,
    oomScoreAdj: Int? = nil
  ) {
    self.message = message
    self.pid = pid
    self.uidBeforeComm = uidBeforeComm
    self.comm = comm
    self.totalVMKilobytes = totalVMKilobytes
    self.anonRSSKilobytes = anonRSSKilobytes
    self.fileRSSKilobytes = fileRSSKilobytes
    self.shmemRSSKilobytes = shmemRSSKilobytes
    self.uid = uid
    self.pgtablesKilobytes = pgtablesKilobytes
    self.oomScoreAdj = oomScoreAdj
  }
}

/// What the OOM reaper (4.6+) reported about a victim.
///
/// Kernel: `oom_reap_task_mm()` / `oom_reap_task()` in `mm/oom_kill.c` (oom.md §6).
public enum OOMReaperLine: Hashable, Sendable {
  /// `oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB,
  /// shmem-rss:%lukB`.
  case reaped(
    pid: Int, comm: String, anonRSSKilobytes: Int, fileRSSKilobytes: Int, shmemRSSKilobytes: Int)
  /// `oom_reaper: unable to reap pid:%d (%s)`.
  case unableToReap(pid: Int, comm: String)
}

/// A panic the OOM path raised: `Kernel panic - not syncing: ` and one of
/// `Out of memory: system-wide panic_on_oom is enabled`, `Out of memory: compulsory
/// panic_on_oom is enabled`, `System is deadlocked on memory` (after `Out of memory and no
/// killable processes...`; ≤ 4.x kernels panicked with that text itself).
///
/// Kernel: `check_panic_on_oom()` and `out_of_memory()` in `mm/oom_kill.c` (oom.md §4).
public struct OOMPanic: Hashable, Sendable {
  /// The text after `Kernel panic - not syncing: `.
  public var reason: String

  /// Creates the line.
  public init(reason: String) {
    self.reason = reason
  }

  /// Whether the panic is the `panic_on_oom` sysctl's.
  public var isPanicOnOOM: Bool { reason.hasSuffix("panic_on_oom is enabled") }
}

extension OOMKilledProcess {
  /// Creates the kill line `kernel` prints: the fields it does not print are dropped.
  ///
  /// Ranges (oom.md §7.5, checked against the corpus): only the pid and name before 2.6.36;
  /// `total-vm`, `anon-rss`, `file-rss` from 2.6.36; `shmem-rss` from 4.5; the message prefix
  /// (`Out of memory: `) from 5.1 (5.0 prints a separate `Kill process` line before); `UID:`
  /// from 5.3; `pgtables` and `oom_score_adj` from 5.9.
  ///
  /// - Parameters:
  ///   - kernel: the release that prints the line.
  ///   - message: `Out of memory`, `Memory cgroup out of memory`, …
  ///   - victim: the values of the 5.9+ line, all set.
  public init(kernel: KernelVersion, message: String, victim: OOMKilledProcess) {
    let v = (kernel.major, kernel.minor, kernel.patch)
    self = victim
    self.message = v >= (5, 1, 0) ? message : nil
    uidBeforeComm = nil
    if v < (2, 6, 36) {
      totalVMKilobytes = nil
      anonRSSKilobytes = nil
      fileRSSKilobytes = nil
    }
    if v < (4, 5, 0) { shmemRSSKilobytes = nil }
    if v < (5, 3, 0) { uid = nil }
    if v < (5, 9, 0) {
      pgtablesKilobytes = nil
      oomScoreAdj = nil
    }
  }
}
