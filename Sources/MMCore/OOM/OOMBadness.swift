/// The OOM killer's score of a process, per kernel version (`oom_badness()`), and what
/// `/proc/PID/oom_score` prints from it.
///
/// Badness is in pages: rss + swap entries + page-table pages, plus `oom_score_adj` ×
/// (totalpages / 1000), the division first, so below 1000 totalpages the adj does nothing.
/// `nil` stands for an unkillable task: LONG_MIN in 5.9+, 0 before.
///
/// | version | root (`CAP_SYS_ADMIN`) | killable result |
/// |---|---|---|
/// | 2.6.36 – 3.13 | adj − 30 before the adj term | ≤ 0 becomes 1 |
/// | 3.14 – 4.16 | points − points × 3 / 100 | ≤ 0 becomes 1 |
/// | 4.17 – 5.8 | none | ≤ 0 becomes 1 |
/// | 5.9+ | none | may be negative |
///
/// Kernel: `oom_badness()` and `proc_oom_score()` (`mm/oom_kill.c`, `fs/proc/base.c`).
/// Facts: ../shared/kernel/oom.md §1, §5. The sheet places the change of the root discount's
/// form at ~4.0; the patch that made it ("mm, oom: base root bonus on current usage") was posted
/// on 25 Jan 2014, in the 3.14 merge window, so 3.14 is used (INFERRED). Earlier than 2.6.36
/// (the old heuristic) is read with 2.6.36's rule.
public enum OOMBadness {
  /// The release that dropped the 3 % root discount.
  public static let rootDiscountRemoved = KernelVersion(4, 17)
  /// The release whose root discount became `points × 3 / 100` (was `adj − 30`).
  public static let rootDiscountOnPoints = KernelVersion(3, 14)
  /// The release whose badness may be negative, LONG_MIN marks unkillable tasks, and
  /// `oom_score` became `(1000 + badness × 1000 / totalpages) × 2 / 3`.
  public static let signedBadness = KernelVersion(5, 9)
  /// `OOM_SCORE_ADJ_MIN`: a task with this adj is never chosen.
  public static let scoreAdjMin = -1000
  /// `OOM_SCORE_ADJ_MAX`.
  public static let scoreAdjMax = 1000

  /// Whether the task can never be chosen, whatever its memory: global init, a kernel thread,
  /// no mm left, `MMF_OOM_SKIP`, or adj −1000.
  public static func isUnkillable(_ task: OOMTask) -> Bool {
    task.isGlobalInit || task.isKernelThread || task.hasExitedMM || task.isOOMSkipped
      || task.oomScoreAdj == scoreAdjMin
  }

  /// The task's badness in pages, or `nil` when it is unkillable.
  ///
  /// - Parameters:
  ///   - task: the process.
  ///   - totalPages: the constraint's pages (RAM + swap for a global OOM, §3).
  ///   - version: the kernel whose rule applies.
  ///   - pageSize: bytes per page, for the page-table term.
  /// - Returns: the points, at least 1 before 5.9; `nil` for LONG_MIN (5.9+) or 0 (before).
  public static func points(
    of task: OOMTask, totalPages: Int, version: KernelVersion, pageSize: Int = 4096
  ) -> Int? {
    if isUnkillable(task) { return nil }
    var points = task.rssPages &+ task.swapEntries &+ task.pageTableBytes / pageSize
    var adj = task.oomScoreAdj
    let root = task.hasSysAdminCapability == true
    if root && version < rootDiscountOnPoints {
      adj -= 30
    } else if root && version < rootDiscountRemoved {
      points -= points &* 3 / 100
    }
    // The kernel's long arithmetic: absurd captured values wrap rather than trap.
    points = points &+ adj &* (totalPages / 1000)
    if version >= signedBadness { return points }
    return max(points, 1)
  }

  /// What `/proc/PID/oom_score` prints for a badness (`nil`: unkillable).
  ///
  /// ≤ 5.8: badness × 1000 / totalpages (0 when unkillable), usually 0…1000 and up to 2000
  /// with a positive adj. 5.9+: (1000 + badness × 1000 / totalpages) × 2 / 3, truncating,
  /// 0…2000, and 0 when unkillable.
  public static func oomScore(badness: Int?, totalPages: Int, version: KernelVersion) -> Int {
    guard let badness else { return 0 }
    let perMille = badness &* 1000 / max(totalPages, 1)
    if version >= signedBadness { return (1000 &+ perMille) &* 2 / 3 }
    return perMille
  }

  /// What `/proc/PID/oom_score` prints for the task.
  public static func oomScore(
    of task: OOMTask, totalPages: Int, version: KernelVersion, pageSize: Int = 4096
  ) -> Int {
    oomScore(
      badness: points(of: task, totalPages: totalPages, version: version, pageSize: pageSize),
      totalPages: totalPages, version: version)
  }
}
