/// What `select_bad_process()` decides over a list of processes: a victim, a wait for an
/// earlier victim, or nobody to kill.
///
/// Walks the processes in task-list order. Unkillable tasks are skipped; an earlier victim
/// whose mm is not yet reaped aborts the walk (the kernel waits for it); otherwise the highest
/// badness wins. Ties go to the later task in 5.9+, to the earlier one before (the thread-group
/// leader is kept). Before 5.9 a badness of 0 is never chosen; in 5.9+ a negative one can be.
///
/// Kernel: `select_bad_process()`, `oom_evaluate_task()` (`mm/oom_kill.c`).
/// Facts: ../shared/kernel/oom.md §2. The cpuset/mempolicy eligibility test (a global OOM on
/// a NUMA machine) and "oom origin" tasks are not modelled: every task given is eligible.
public enum OOMSelection: Hashable, Sendable {
  /// The task the killer chooses, and the one it would choose without it.
  case victim(Choice, runnerUp: Choice?)
  /// An earlier OOM victim still holds its memory: nothing is killed until it is reaped.
  case waitingForVictim(OOMTask)
  /// No task can be chosen (4.x panics; 5.x warns, then panics unless memcg or sysrq).
  case nothingKillable

  /// A chosen task with its badness.
  public struct Choice: Hashable, Sendable {
    /// The task.
    public var task: OOMTask
    /// Its badness in pages.
    public var points: Int

    /// Creates a choice.
    public init(task: OOMTask, points: Int) {
      self.task = task
      self.points = points
    }
  }

  /// Selects among `tasks`, given in task-list order.
  ///
  /// - Parameters:
  ///   - tasks: the processes (thread-group leaders) the OOM walks.
  ///   - totalPages: the constraint's pages (§3).
  ///   - version: the kernel whose rules apply.
  ///   - pageSize: bytes per page.
  /// - Complexity: O(*n*).
  public init(
    selectingFrom tasks: [OOMTask], totalPages: Int, version: KernelVersion,
    pageSize: Int = 4096
  ) {
    let waiting = tasks.first {
      $0.isOOMVictim && !$0.isOOMSkipped && !$0.isGlobalInit && !$0.isKernelThread
    }
    if let waiting {
      self = .waitingForVictim(waiting)
      return
    }
    let scored = tasks.compactMap { task in
      OOMBadness.points(of: task, totalPages: totalPages, version: version, pageSize: pageSize)
        .map { Choice(task: task, points: $0) }
    }
    guard let best = Self.best(of: scored, version: version) else {
      self = .nothingKillable
      return
    }
    let others = scored.indices.filter { $0 != best }.map { scored[$0] }
    self = .victim(
      scored[best], runnerUp: Self.best(of: others, version: version).map { others[$0] })
  }

  /// The chosen victim, if any.
  public var victim: Choice? {
    if case .victim(let choice, _) = self { return choice }
    return nil
  }

  /// The index of the choice the walk keeps.
  private static func best(of scored: [Choice], version: KernelVersion) -> Int? {
    let laterWinsTies = version >= OOMBadness.signedBadness
    var chosen: Int?
    for index in scored.indices {
      let points = scored[index].points
      if !laterWinsTies && points == 0 { continue }
      guard let current = chosen else {
        chosen = index
        continue
      }
      let currentPoints = scored[current].points
      if points > currentPoints || (points == currentPoints && laterWinsTies) { chosen = index }
    }
    return chosen
  }
}
