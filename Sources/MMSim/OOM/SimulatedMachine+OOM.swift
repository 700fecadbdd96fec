public import MMCore

/// The OOM killer (mm/oom_kill.c `out_of_memory()`, `oom_kill_process()`, the OOM reaper) for a
/// global OOM on the simulated machine (oom.md §2–§6, §9).
///
/// The order is the kernel's: the constraint (`CONSTRAINT_NONE` here: cpusets and mempolicies
/// are not modelled; memory cgroups have their own OOM, ``chargeMemcg(owner:pages:mask:order:current:)``), `panic_on_oom`, `oom_kill_allocating_task`,
/// then `select_bad_process()` (``OOMSelection``). The victim is killed with its threads (other
/// processes sharing an mm are not modelled); exit and the reaper are **approximated** as
/// immediate: the victim's anonymous
/// memory and page tables are freed at the kill (to the per-cpu lists, as the kernel's exit
/// frees them), its page cache and shmem stay. The pre-5.1 "sacrifice child" choice is not
/// modelled.
extension SimulatedMachine {
  /// `out_of_memory()` for a request of `order` with `mask`, invoked by task `current` (`nil`:
  /// a context the simulator does not track); records and returns what it did.
  public mutating func outOfMemory(current: Int?, mask: GFPMask, order: Int) -> OOMOutcome {
    let kernel = memory.rules.kernel
    let totalPages = memory.layout.zones.reduce(0) { $0 + $1.managed } + swap.totalPages
    if oomPolicy.panicOnOOM != 0 {
      let scope = oomPolicy.panicOnOOM == 2 ? "compulsory" : "system-wide"
      return record(.panicked("Out of memory: \(scope) panic_on_oom is enabled"))
    }
    let candidates = oomCandidates()
    if oomPolicy.killAllocatingTask, let current, let task = tasks[current],
      let candidate = candidates.first(where: { $0.pid == task.mm }),
      let points = OOMBadness.points(of: candidate, totalPages: totalPages, version: kernel)
    {
      return record(
        .killed(
          killVictim(
            OOMSelection.Choice(task: candidate, points: points), runnerUp: nil,
            reason: .allocatingTask, candidates: candidates, current: current, mask: mask,
            order: order, totalPages: totalPages)))
    }
    switch OOMSelection(selectingFrom: candidates, totalPages: totalPages, version: kernel) {
    case .victim(let victim, let runnerUp):
      return record(
        .killed(
          killVictim(
            victim, runnerUp: runnerUp, reason: .selected, candidates: candidates,
            current: current, mask: mask, order: order, totalPages: totalPages)))
    case .waitingForVictim(let task):
      return record(.waitingForVictim(pid: task.pid))
    case .nothingKillable:
      let message =
        kernel.isAtLeast(5, 0)
        ? "System is deadlocked on memory" : "Out of memory and no killable processes..."
      return record(.panicked(message))
    }
  }

  /// The processes (thread-group leaders with an mm) as the OOM killer sees them, in pid order.
  public func oomCandidates() -> [OOMTask] {
    let usage = memoryUsageByTask()
    let pageSize = memory.layout.pageSize
    return tasksByPID.filter { $0.mm == $0.pid }.map { task in
      let memory = usage[task.mm] ?? TaskMemoryUsage()
      return OOMTask(
        pid: task.pid, comm: task.comm, uid: task.uid, rssAnonPages: memory.anonPages,
        rssFilePages: memory.filePages, rssShmemPages: memory.shmemPages,
        swapEntries: memory.swapEntries, pageTableBytes: memory.pageTablePages * pageSize,
        oomScoreAdj: task.oomScoreAdj, isKernelThread: task.isKernelThread,
        isGlobalInit: task.pid == 1, isOOMVictim: task.state == .oomVictim,
        hasSysAdminCapability: task.hasSysAdmin)
    }
  }

  /// `oom_kill_process()` and the reaper: kills the victim with its threads and releases their
  /// memory.
  mutating func killVictim(
    _ victim: OOMSelection.Choice, runnerUp: OOMSelection.Choice?, reason: OOMKillReason,
    candidates: [OOMTask], current: Int?, mask: GFPMask, order: Int, totalPages: Int
  ) -> OOMKill {
    let pid = victim.task.pid
    let mm = tasks[pid]?.mm ?? pid
    let before = memoryUsage(ofTask: pid)
    let totalVM = tasks[mm]?.totalVMPages ?? 0
    let freed = releaseMemory(ofTask: pid)
    return OOMKill(
      invokedBy: current, mask: mask, order: order, totalPages: totalPages, tasks: candidates,
      victim: victim, runnerUp: runnerUp, reason: reason, victimTotalVMPages: totalVM,
      afterReaping: TaskMemoryUsage(filePages: before.filePages, shmemPages: before.shmemPages),
      freedPages: freed)
  }

  private mutating func record(_ outcome: OOMOutcome) -> OOMOutcome {
    oomEvents.append(outcome)
    return outcome
  }
}
