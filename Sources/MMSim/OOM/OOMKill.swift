public import MMCore

/// The OOM killer's sysctls.
public struct OOMPolicy: Hashable, Sendable {
  /// `vm.panic_on_oom`: 0 kill, 1 panic on a system-wide OOM, 2 panic on every OOM.
  public var panicOnOOM = 0
  /// `vm.oom_kill_allocating_task`: kill the task whose allocation failed, without a scan.
  public var killAllocatingTask = false
  /// `vm.oom_dump_tasks`: print the task table in the report.
  public var dumpTasks = true

  /// The defaults (0, 0, 1).
  public init() {}
}

/// Why the OOM killer chose its victim.
public enum OOMKillReason: Hashable, Sendable {
  /// `select_bad_process()` over every process: the highest badness (`Out of memory`).
  case selected
  /// `vm.oom_kill_allocating_task` (`Out of memory (oom_kill_allocating_task)`).
  case allocatingTask
  /// A memory cgroup's OOM: the highest badness among the group's processes (`Memory cgroup out
  /// of memory`); the group that hit its limit and the victim's own.
  case memcg(oomMemcg: String, taskMemcg: String)

  /// The message the kill line starts with.
  public var message: String {
    switch self {
    case .selected: "Out of memory"
    case .allocatingTask: "Out of memory (oom_kill_allocating_task)"
    case .memcg: "Memory cgroup out of memory"
    }
  }

  /// The `oom-kill:constraint=` value.
  public var constraint: String {
    if case .memcg = self { return "CONSTRAINT_MEMCG" }
    return "CONSTRAINT_NONE"
  }
}

/// One kill of the simulated OOM killer, with what its report prints.
public struct OOMKill: Hashable, Sendable {
  /// The task whose allocation invoked the OOM killer (`nil`: one the simulator does not track).
  public var invokedBy: Int?
  /// The request's GFP mask and order.
  public var mask: GFPMask
  public var order: Int
  /// The constraint's pages: RAM + swap, or a memory cgroup's limit (+ its swap).
  public var totalPages: Int
  /// The processes as the task table lists them, in pid order.
  public var tasks: [OOMTask]
  /// The victim with its badness, and the task that came second.
  public var victim: OOMSelection.Choice
  public var runnerUp: OOMSelection.Choice?
  /// How the victim was chosen.
  public var reason: OOMKillReason
  /// The victim's memory when it was killed.
  public var victimMemory: TaskMemoryUsage
  /// The victim's mapped address space (`total_vm`), in pages.
  public var victimTotalVMPages: Int
  /// Pages freed by the victim's exit.
  public var freedPages: Int
  /// The memory cgroup killed whole because of its `memory.oom.group`, if any.
  public var groupPath: String?
  /// The processes killed with the victim because of `memory.oom.group`.
  public var groupKilled: [Int] = []
}

/// What one `out_of_memory()` call did.
public enum OOMOutcome: Hashable, Sendable, CustomStringConvertible {
  /// A process was killed and its memory released.
  case killed(OOMKill)
  /// An earlier victim still holds its memory: nothing is killed, progress is reported.
  case waitingForVictim(pid: Int)
  /// The kernel panicked with this message (`Kernel panic - not syncing: <message>`); the
  /// machine stops.
  case panicked(String)
  /// A memory cgroup's OOM found nothing to kill (it never panics for that): the charge fails.
  case nothingToKill

  /// The outcome in words.
  public var description: String {
    switch self {
    case .killed(let kill):
      "\(kill.reason.message): killed \(kill.victim.task.pid) (\(kill.victim.task.comm)),"
        + " badness \(kill.victim.points) pages, freed \(kill.freedPages) pages"
    case .waitingForVictim(let pid): "waiting for victim \(pid) to release its memory"
    case .panicked(let message): "Kernel panic - not syncing: \(message)"
    case .nothingToKill: "Out of memory and no killable processes..."
    }
  }
}
