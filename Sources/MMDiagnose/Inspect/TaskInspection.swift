public import MMCore

/// What `oomlab inspect` found about a machine's processes as the OOM killer sees them: each
/// task's badness and `oom_score` beside the kernel's, and whom a global OOM would kill now.
///
/// The model recomputes `oom_badness()` and `/proc/PID/oom_score` for the machine's version
/// from each task's `status` (rss, swap, page tables) and `oom_score_adj`, with totalpages =
/// MemTotal + SwapTotal (a global OOM's RAM + swap), then runs `select_bad_process()` over the
/// tasks in pid order (standing for task-list order) and applies the OOM sysctls.
/// Facts: ../shared/kernel/oom.md §1–§5.
public struct TaskInspection: Codable, Hashable, Sendable {
  /// The pages the scores are relative to: MemTotal + SwapTotal.
  public var oomTotalPages: Int
  /// Every captured process, in pid order.
  public var tasks: [Task]
  /// The task `select_bad_process()` picks now, if any.
  public var oomVictim: Choice?
  /// The task it would pick without the victim.
  public var oomRunnerUp: Choice?
  /// What a global OOM would do now.
  public var oomDecision: Decision
  /// The panic a global OOM with nothing killable ends in, in the kernel's words: `System is
  /// deadlocked on memory` (5.0+), `Out of memory and no killable processes...` (before).
  public var nothingKillablePanic: String

  /// A kernel value beside the model's.
  public struct Score: Codable, Hashable, Sendable {
    /// What the kernel's file shows; `nil` when the capture lacks it.
    public var kernel: Int?
    /// What the model computes.
    public var model: Int
  }

  /// One process.
  public struct Task: Codable, Hashable, Sendable {
    /// The process id.
    public var pid: Int
    /// The command name.
    public var comm: String
    /// `oom_score_adj` in force.
    public var oomScoreAdj: Int
    /// `/proc/PID/oom_score`.
    public var oomScore: Score
    /// `/proc/PID/oom_adj` (legacy −17…15).
    public var oomAdj: Score
    /// Badness in pages; `nil` when the task can never be chosen.
    public var badnessPages: Int?
    /// Resident pages (anon + file + shmem).
    public var rssPages: Int
    /// Swap entries.
    public var swapEntries: Int
    /// Page-table pages.
    public var pageTablePages: Int
    /// Why the task can never be chosen, when it cannot.
    public var unkillableBecause: String?
  }

  /// A task the selection picks, and why.
  public struct Choice: Codable, Hashable, Sendable {
    /// The process id.
    public var pid: Int
    /// The command name.
    public var comm: String
    /// Its badness in pages.
    public var badnessPages: Int
    /// Its `oom_score_adj`.
    public var oomScoreAdj: Int
    /// How the badness adds up.
    public var why: String
  }

  /// What a global OOM would do.
  public enum Decision: String, Codable, Hashable, Sendable {
    /// Kill ``oomVictim``.
    case killVictim
    /// `vm.oom_kill_allocating_task`: kill whichever task allocates, when it is killable;
    /// ``oomVictim`` otherwise.
    case killAllocatingTask
    /// `vm.panic_on_oom` is set: panic instead of killing.
    case panic
    /// No task can be chosen: the kernel panics (``TaskInspection/nothingKillablePanic``).
    case nothingKillable
  }

  /// The tasks whose kernel `oom_score` or `oom_adj` differs from the model's.
  public var differences: [Task] {
    tasks.filter { task in
      [task.oomScore, task.oomAdj].contains { $0.kernel != nil && $0.kernel != $0.model }
    }
  }
}

extension TaskInspection {
  /// Inspects the captured processes of a machine.
  ///
  /// - Parameters:
  ///   - processes: the `/proc/PID` directories; those without `status` are left out.
  ///   - memInfo: `/proc/meminfo`, for MemTotal and SwapTotal.
  ///   - sysVM: the sysctls (`panic_on_oom`, `oom_kill_allocating_task`).
  ///   - kernel: the kernel whose rules apply.
  ///   - pageShift: log2 of the page size.
  /// - Returns: `nil` when no process has a `status` or meminfo lacks `MemTotal`.
  public init?(
    processes: [ProcessEntry], memInfo: MemInfo, sysVM: SysVM, kernel: KernelVersion,
    pageShift: Int = 12
  ) {
    guard let memTotal = memInfo.memTotal else { return nil }
    let entries = processes.filter { $0.status != nil }.sorted { $0.pid < $1.pid }
    let tasks = entries.compactMap { OOMTask($0, version: kernel, pageShift: pageShift) }
    guard !tasks.isEmpty else { return nil }
    let totalPages = (memTotal + (memInfo.swapTotal ?? 0)) >> (pageShift - 10)
    let pageSize = 1 << pageShift
    oomTotalPages = totalPages
    nothingKillablePanic =
      kernel >= KernelVersion(5, 0)
      ? "System is deadlocked on memory" : "Out of memory and no killable processes..."
    self.tasks = zip(entries, tasks).map { entry, task in
      let points = OOMBadness.points(
        of: task, totalPages: totalPages, version: kernel, pageSize: pageSize)
      return Task(
        pid: task.pid, comm: task.comm, oomScoreAdj: task.oomScoreAdj,
        oomScore: Score(
          kernel: entry.oomScore,
          model: OOMBadness.oomScore(badness: points, totalPages: totalPages, version: kernel)),
        oomAdj: Score(
          kernel: entry.oomAdj, model: task.oomAdj),
        badnessPages: points, rssPages: task.rssPages, swapEntries: task.swapEntries,
        pageTablePages: task.pageTableBytes / pageSize,
        unkillableBecause: Self.unkillableReason(task))
    }
    let selection = OOMSelection(
      selectingFrom: tasks, totalPages: totalPages, version: kernel, pageSize: pageSize)
    let choose = { (choice: OOMSelection.Choice) in
      Self.choice(choice, totalPages: totalPages, pageSize: pageSize, kernel: kernel)
    }
    if case .victim(let victim, let runnerUp) = selection {
      oomVictim = choose(victim)
      oomRunnerUp = runnerUp.map(choose)
    }
    oomDecision =
      if (sysVM.panicOnOOM ?? 0) != 0 {
        .panic
      } else if (sysVM.oomKillAllocatingTask ?? 0) != 0 {
        .killAllocatingTask
      } else if oomVictim == nil {
        .nothingKillable
      } else {
        .killVictim
      }
  }

  /// ``Task/unkillableBecause`` for a kernel thread.
  static let kernelThreadReason = "kernel thread"

  private static func unkillableReason(_ task: OOMTask) -> String? {
    if task.isGlobalInit { return "init" }
    if task.isKernelThread { return kernelThreadReason }
    if task.hasExitedMM { return "no mm (exiting)" }
    if task.isOOMSkipped { return "already reaped" }
    if task.oomScoreAdj == OOMBadness.scoreAdjMin { return "oom_score_adj -1000" }
    return nil
  }

  private static func choice(
    _ choice: OOMSelection.Choice, totalPages: Int, pageSize: Int, kernel: KernelVersion
  ) -> Choice {
    let task = choice.task
    var why =
      "rss \(task.rssPages) + swap \(task.swapEntries) + page tables "
      + "\(task.pageTableBytes / pageSize) + adj \(task.oomScoreAdj) × \(totalPages / 1000) "
      + "(totalpages / 1000)"
    if task.hasSysAdminCapability == true && kernel < OOMBadness.rootDiscountRemoved {
      why += ", with the CAP_SYS_ADMIN discount"
    }
    why += " = \(choice.points) pages"
    return Choice(
      pid: task.pid, comm: task.comm, badnessPages: choice.points,
      oomScoreAdj: task.oomScoreAdj, why: why)
  }
}
