public import MMCore

/// Where an OOM happened: the whole machine, or a memory cgroup at its limit.
enum OOMScope: Hashable {
  case global
  case memcg(String)
}

/// The OOM killer (mm/oom_kill.c `out_of_memory()`, `oom_kill_process()`, the OOM reaper) on the
/// simulated machine (oom.md §2–§8).
///
/// The order is the kernel's: the constraint (`CONSTRAINT_NONE`, or `CONSTRAINT_MEMCG` for a
/// memory cgroup's OOM; cpusets and mempolicies are not modelled), `panic_on_oom`,
/// `oom_kill_allocating_task` (global OOMs only), then `select_bad_process()`
/// (``OOMSelection``). Each call that prints appends the kernel's report to ``oomReports``. The
/// victim is killed with its threads (other processes sharing an mm are not modelled); exit and
/// the reaper are **approximated** as immediate: the victim's anonymous memory and page tables
/// are freed at the kill (to the per-cpu lists, as the kernel's exit frees them), its page cache
/// and shmem stay. The pre-5.1 "sacrifice child" choice is not modelled.
extension SimulatedMachine {
  /// `out_of_memory()` for a request of `order` with `mask`, invoked by task `current` (`nil`:
  /// a context the simulator does not track); records and returns what it did.
  public mutating func outOfMemory(current: Int?, mask: GFPMask, order: Int) -> OOMOutcome {
    oomKiller(.global, current: current, mask: mask, order: order)
  }

  /// A global OOM's totalpages: RAM (managed pages) + swap.
  var oomTotalPages: Int { memory.layout.zones.reduce(0) { $0 + $1.managed } + swap.totalPages }

  /// The OOM killer for `scope`.
  mutating func oomKiller(_ scope: OOMScope, current: Int?, mask: GFPMask, order: Int)
    -> OOMOutcome
  {
    let kernel = memory.rules.kernel
    var memcg: String?
    var candidates = oomCandidates()
    var totalPages = oomTotalPages
    if case .memcg(let path) = scope, let group = memcgs[path] {
      memcg = path
      memcgEvent(path) { $0.oom += 1 }
      let swapPages = swap.totalPages > 0 ? min(group.swapMax ?? Int.max, swap.totalPages) : 0
      totalPages = max((group.max ?? Int.max / 2) + swapPages, 1)
      let members = Set(tasks.values.filter { group.contains($0.memcg) }.map(\.pid))
      candidates = candidates.filter { members.contains($0.pid) }
    }
    let dump = oomDump(
      current: current, mask: mask, order: order, memcg: memcg, candidates: candidates)
    if oomPolicy.panicOnOOM == 2 || (oomPolicy.panicOnOOM == 1 && memcg == nil) {
      let scope = oomPolicy.panicOnOOM == 2 ? "compulsory" : "system-wide"
      let message = "Out of memory: \(scope) panic_on_oom is enabled"
      oomReports.append(OOMReport(entries: dump + oomPanicLines(message, nothingKillable: false)))
      return record(.panicked(message))
    }
    if memcg == nil, oomPolicy.killAllocatingTask, let current, let task = tasks[current],
      let candidate = candidates.first(where: { $0.pid == task.mm }),
      let points = OOMBadness.points(of: candidate, totalPages: totalPages, version: kernel)
    {
      let kill = killVictim(
        OOMSelection.Choice(task: candidate, points: points), runnerUp: nil,
        reason: .allocatingTask, candidates: candidates, current: current, mask: mask,
        order: order, totalPages: totalPages, dump: dump)
      return record(.killed(kill))
    }
    switch OOMSelection(selectingFrom: candidates, totalPages: totalPages, version: kernel) {
    case .victim(let victim, let runnerUp):
      var reason = OOMKillReason.selected
      if let memcg {
        reason = .memcg(oomMemcg: memcg, taskMemcg: tasks[victim.task.pid]?.memcg ?? memcg)
      }
      let kill = killVictim(
        victim, runnerUp: runnerUp, reason: reason, candidates: candidates, current: current,
        mask: mask, order: order, totalPages: totalPages, dump: dump)
      return record(.killed(kill))
    case .waitingForVictim(let task):
      return record(.waitingForVictim(pid: task.pid))
    case .nothingKillable:
      guard memcg == nil else {
        // 5.0+ prints the dump and the warning; 4.x printed nothing for a memcg.
        if kernel.isAtLeast(5, 0) {
          oomReports.append(OOMReport(entries: dump + [OOMReport.Entry(.noKillableProcesses)]))
        }
        return record(.nothingToKill)
      }
      let message =
        kernel.isAtLeast(5, 0)
        ? "System is deadlocked on memory" : "Out of memory and no killable processes..."
      oomReports.append(OOMReport(entries: dump + oomPanicLines(message, nothingKillable: true)))
      return record(.panicked(message))
    }
  }

  /// What `/proc/PID/oom_score` shows for a task now (its process's badness against RAM + swap,
  /// in the kernel version's scale); `nil` for an unknown pid.
  public func oomScore(ofTask pid: Int) -> Int? {
    guard let mm = tasks[pid]?.mm, let process = oomCandidates().first(where: { $0.pid == mm })
    else { return nil }
    return OOMBadness.oomScore(
      of: process, totalPages: oomTotalPages, version: memory.rules.kernel,
      pageSize: memory.layout.pageSize)
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
        isGlobalInit: task.pid == 1, hasSysAdminCapability: task.hasSysAdmin)
    }
  }

  /// `oom_kill_process()` and the reaper: kills the victim with its threads (and, for a memory
  /// cgroup with `memory.oom.group`, the rest of the group), releases their memory and prints
  /// the report.
  private mutating func killVictim(
    _ victim: OOMSelection.Choice, runnerUp: OOMSelection.Choice?, reason: OOMKillReason,
    candidates: [OOMTask], current: Int?, mask: GFPMask, order: Int, totalPages: Int,
    dump: [OOMReport.Entry]
  ) -> OOMKill {
    let pid = victim.task.pid
    let mm = tasks[pid]?.mm ?? pid
    let before = memoryUsage(ofTask: pid)
    var kill = OOMKill(
      invokedBy: current, mask: mask, order: order, totalPages: totalPages, tasks: candidates,
      victim: victim, runnerUp: runnerUp, reason: reason, victimMemory: before,
      victimTotalVMPages: tasks[mm]?.totalVMPages ?? 0,
      freedPages: 0)
    var members: [OOMTask] = []
    if case .memcg(let oomMemcg, let taskMemcg) = reason, let scope = memcgs[oomMemcg] {
      memcgEvent(taskMemcg) { $0.oomKill += 1 }
      kill.groupPath = memcgChain(taskMemcg).last {
        scope.contains($0) && memcgs[$0]?.oomGroup == true
      }
      if let group = kill.groupPath.flatMap({ memcgs[$0] }) {
        members = candidates.filter {
          tasks[$0.pid].map { group.contains($0.memcg) } ?? false && !$0.isGlobalInit
            && $0.oomScoreAdj != OOMBadness.scoreAdjMin
        }
      }
    }
    kill.freedPages = releaseMemory(ofTask: pid)
    if let group = kill.groupPath {
      memcgEvent(group) { $0.oomGroupKill += 1 }
      for member in members where tasks[member.pid] != nil {
        kill.groupKilled.append(member.pid)
        releaseMemory(ofTask: member.pid)
      }
    }
    oomReports.append(
      OOMReport(entries: dump + oomKillLines(kill, victimMemory: before, members: members)))
    return kill
  }

  private mutating func record(_ outcome: OOMOutcome) -> OOMOutcome {
    oomEvents.append(outcome)
    return outcome
  }
}
