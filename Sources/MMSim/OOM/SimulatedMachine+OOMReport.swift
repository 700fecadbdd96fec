internal import MMCore

/// The report the simulated kernel prints for an OOM (`dump_header()`, `dump_tasks()`,
/// `dump_oom_summary()`, `__oom_kill_process()` in mm/oom_kill.c; `mem_cgroup_print_oom_*()` in
/// mm/memcontrol.c), in the layout of the machine's kernel version (oom.md §7–§8).
///
/// The call trace is the simulator's (function names, no addresses). A task the simulator does
/// not track prints as `swapper/0` (pid 0). The OOM reaper's line, printed later, is not part of
/// the report.
extension SimulatedMachine {
  /// `memory.stat` items a 6.1 memcg OOM report prints, in its order.
  static let memcgStatNames = [
    "anon", "file", "kernel", "kernel_stack", "pagetables", "sec_pagetables", "percpu", "sock",
    "vmalloc", "shmem", "zswap", "zswapped", "file_mapped", "file_dirty", "file_writeback",
    "swapcached", "anon_thp", "file_thp", "shmem_thp", "inactive_anon", "active_anon",
    "inactive_file", "active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable",
    "slab", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
  ]

  /// `PAGE_COUNTER_MAX` in kB: how an unlimited memcg counter prints (64-bit, 4 KiB pages).
  static let unlimitedKilobytes = 9_007_199_254_740_988

  /// `dump_header()`: the header, the stack dump, the memory state (the memcg's counters and
  /// stats, or `show_mem`) and the task table of `candidates`.
  func oomDump(
    current: Int?, mask: GFPMask, order: Int, memcg: String?, candidates: [OOMTask]
  ) -> [OOMReport.Entry] {
    let kernel = memory.rules.kernel
    let task = current.flatMap { tasks[$0] }
    let comm = task?.comm ?? "swapper/0"
    let adj = task?.oomScoreAdj ?? 0
    var lines: [OOMReport.Line] = [
      .header(
        OOMHeader(
          kernel: kernel, comm: comm, gfpMask: mask.rawValue, order: order, oomScoreAdj: adj,
          oomAdj: OOMScoreAdj.legacyValue(forScoreAdj: adj),
          // 4.8–4.9 print the cpuset's mems for a NULL nodemask (oom.md §7.1).
          nodemask: kernel.isAtLeast(4, 10) ? "(null)" : "0"))
    ]
    // The cpuset line lasts as long as the header's nodemask (4.20 prints both).
    if !kernel.isAtLeast(5, 0) {
      lines.append(.cpuset(OOMCpusetLine(comm: comm, cpuset: "/", memsAllowed: "0")))
    }
    lines.append(
      .task(
        DumpStackInfo(
          cpu: 0, pid: task?.pid ?? 0, comm: comm, taint: nil, release: kernel.description,
          build: "#1")))
    let caller = memcg == nil ? "__alloc_pages_slowpath" : "try_charge_memcg"
    lines += (["Call Trace:"] + ["dump_stack", "dump_header", "oom_kill_process", caller])
      .map { .text($0 == "Call Trace:" ? $0 : " \($0)+0x0/0x0") }
    if let memcg, let group = memcgs[memcg] {
      lines += memcgLines(group)
    } else {
      lines.append(.showMem(showMem(highestZoneIndex: memory.highestZoneIndex(for: mask))))
    }
    if oomPolicy.dumpTasks {
      let layout = OOMTaskTableLayout(kernel: kernel)
      if kernel.isAtLeast(4, 19) { lines.append(.tasksState) }
      lines.append(.taskTableHeader(layout))
      for candidate in candidates where !candidate.isGlobalInit && !candidate.isKernelThread {
        lines.append(.taskRow(taskRow(candidate, layout: layout)))
      }
    }
    return lines.map { OOMReport.Entry($0) }
  }

  /// The summary and kill lines of a kill: `oom-kill:` (4.19+), the ≤ 5.0 `Kill process`
  /// line, `Killed process`, and a `memory.oom.group` kill's members.
  func oomKillLines(_ kill: OOMKill, victimMemory: TaskMemoryUsage, members: [OOMTask])
    -> [OOMReport.Entry]
  {
    let kernel = memory.rules.kernel
    let victim = kill.victim.task
    var lines: [OOMReport.Line] = []
    var oomMemcg: String?
    var taskMemcg = "/"
    if case .memcg(let path, let own) = kill.reason {
      oomMemcg = path
      taskMemcg = own
    }
    if kernel.isAtLeast(4, 19) {
      let cpusetFields = kernel.isAtLeast(5, 1)
      lines.append(
        .summary(
          OOMKillSummary(
            constraint: kill.reason.constraint, nodemask: "(null)",
            cpuset: cpusetFields ? "/" : nil, memsAllowed: cpusetFields ? "0" : nil,
            oomMemcg: oomMemcg, taskMemcg: taskMemcg, task: victim.comm, pid: victim.pid,
            uid: victim.uid ?? 0)))
    }
    if !kernel.isAtLeast(5, 1) {
      lines.append(
        .selection(
          OOMKillProcessLine(
            message: kill.reason.message, pid: victim.pid, comm: victim.comm,
            // oom_kill_allocating_task never sets chosen_points: it prints 0.
            score: kill.reason == .allocatingTask
              ? 0 : kill.victim.points * 1000 / max(kill.totalPages, 1))))
    }
    lines.append(
      .killed(killedLine(victim, memory: victimMemory, totalVM: kill.victimTotalVMPages, kill)))
    if let group = kill.groupPath {
      lines.append(.oomGroup(path: group))
      for member in members {
        let memory = TaskMemoryUsage(
          anonPages: member.rssAnonPages, filePages: member.rssFilePages,
          shmemPages: member.rssShmemPages, swapEntries: member.swapEntries,
          pageTablePages: member.pageTableBytes / self.memory.layout.pageSize)
        let totalVM = tasks[member.pid]?.totalVMPages ?? member.rssPages
        lines.append(.killed(killedLine(member, memory: memory, totalVM: totalVM, kill)))
      }
    }
    return lines.map { OOMReport.Entry($0) }
  }

  /// The end of a report that panics: `Out of memory and no killable processes...` first
  /// when nothing could be chosen (5.0+), then the panic.
  func oomPanicLines(_ message: String, nothingKillable: Bool) -> [OOMReport.Entry] {
    var lines: [OOMReport.Line] = []
    if nothingKillable && memory.rules.kernel.isAtLeast(5, 0) {
      lines.append(.noKillableProcesses)
    }
    lines.append(.panic(OOMPanic(reason: message)))
    return lines.map { OOMReport.Entry($0) }
  }

  private func killedLine(
    _ task: OOMTask, memory usage: TaskMemoryUsage, totalVM: Int, _ kill: OOMKill
  ) -> OOMKilledProcess {
    let kb = memory.layout.pageSize / 1024
    return OOMKilledProcess(
      kernel: memory.rules.kernel, message: kill.reason.message,
      victim: OOMKilledProcess(
        message: kill.reason.message, pid: task.pid, comm: task.comm,
        totalVMKilobytes: totalVM * kb, anonRSSKilobytes: usage.anonPages * kb,
        fileRSSKilobytes: usage.filePages * kb, shmemRSSKilobytes: usage.shmemPages * kb,
        uid: task.uid ?? 0, pgtablesKilobytes: usage.pageTablePages * kb,
        oomScoreAdj: task.oomScoreAdj))
  }

  /// A task table row in `layout`'s columns.
  private func taskRow(_ task: OOMTask, layout: OOMTaskTableLayout) -> OOMTaskRow {
    let pageSize = memory.layout.pageSize
    let values = layout.columns.map { column -> Int in
      switch column.title {
      case "uid": task.uid ?? 0
      case "tgid": task.pid
      case "total_vm": tasks[task.pid]?.totalVMPages ?? task.rssPages
      case "rss": task.rssPages
      case "rss_anon": task.rssAnonPages
      case "rss_file": task.rssFilePages
      case "rss_shmem": task.rssShmemPages
      case "pgtables_bytes": task.pageTableBytes
      case "nr_ptes": task.pageTableBytes / pageSize
      case "swapents": task.swapEntries
      case "oom_score_adj": task.oomScoreAdj
      case "oom_adj": OOMScoreAdj.legacyValue(forScoreAdj: task.oomScoreAdj)
      default: 0  // cpu, nr_pmds
      }
    }
    return OOMTaskRow(layout: layout, pid: task.pid, values: values, name: task.comm)
  }

  /// The memcg lines of a v2 memcg OOM: the memory and swap counters, then its stats.
  private func memcgLines(_ group: MemoryCgroup) -> [OOMReport.Line] {
    let kb = memory.layout.pageSize / 1024
    let usage = memoryUsageByTask().filter { owner, _ in
      tasks[owner].map { group.contains($0.memcg) } ?? false
    }.values
    let anon = usage.reduce(0) { $0 + $1.anonPages }
    let file = usage.reduce(0) { $0 + $1.filePages }
    let shmem = usage.reduce(0) { $0 + $1.shmemPages }
    let tables = usage.reduce(0) { $0 + $1.pageTablePages }
    let bytes = memory.layout.pageSize
    let values: [String: Int] = [
      "anon": anon * bytes, "file": (file + shmem) * bytes, "kernel": tables * bytes,
      "pagetables": tables * bytes, "shmem": shmem * bytes, "inactive_anon": (anon + shmem) * bytes,
      "inactive_file": file * bytes,
    ]
    return [
      .memcg(
        .counter(
          MemcgCounter(
            name: "memory", usageKilobytes: group.usage * kb,
            limitKilobytes: group.max.map { $0 * kb } ?? Self.unlimitedKilobytes,
            failcnt: group.failcnt))),
      .memcg(
        .counter(
          MemcgCounter(
            name: "swap", usageKilobytes: 0,
            limitKilobytes: group.swapMax.map { $0 * kb } ?? Self.unlimitedKilobytes,
            failcnt: 0))),
      .memcg(.stats(path: group.path, items: nil)),
    ] + Self.memcgStatNames.map { .memcg(.stat(NamedValue(name: $0, value: values[$0] ?? 0))) }
  }
}
