internal import MMCore

/// The findings for one OOM report: whether a memcg limit was the cause, whether one task held
/// most of the memory, and why the killer chose its victim.
///
/// Kernel: `oom_badness()`, `select_bad_process()`, `constrained_alloc()` in `mm/oom_kill.c`
/// (oom.md §1–3, §8).
struct OOMDiagnosis {
  /// One task-table row as the OOM killer sees it, with its log line.
  struct Row {
    var task: OOMTask
    var line: Int?
  }

  /// The report.
  var report: OOMReport
  /// The release whose rules apply.
  var kernel: KernelVersion

  /// The task table, in print order (task-list order), as ``OOMTask``s.
  ///
  /// A row with no resident pages and no swap entries is taken as an mm already reaped
  /// (`MMF_OOM_SKIP`: an earlier victim), which the selection passes over; pid 1 is init.
  var rows: [Row] {
    report.entries.compactMap { entry in
      guard case .taskRow(let row) = entry.line else { return nil }
      let pageBytes = 4096
      let rss = row.rss ?? 0
      let anon = row.rssAnon ?? rss
      let file = row.rssAnon == nil ? 0 : row.rssFile ?? 0
      let shmem = row.rssAnon == nil ? 0 : row.rssShmem ?? 0
      let pageTables =
        row.pgtablesBytes ?? ((row.nrPtes ?? 0) &+ (row["nr_pmds"] ?? 0)) &* pageBytes
      let swap = row.swapents ?? 0
      let task = OOMTask(
        pid: row.pid, comm: row.name, uid: row.uid, rssAnonPages: anon, rssFilePages: file,
        rssShmemPages: shmem, swapEntries: swap, pageTableBytes: pageTables,
        oomScoreAdj: row.oomScoreAdj ?? 0, isGlobalInit: row.pid == 1,
        isOOMSkipped: rss == 0 && swap == 0,
        hasSysAdminCapability: row.uid.map { $0 == 0 })
      return Row(task: task, line: entry.sourceLine)
    }
  }

  /// The constraint's total pages and how they were found: the memcg limit (plus its swap
  /// limit, bounded by total swap) for a memcg OOM, else RAM less reserved pages plus swap.
  var totalPages: (pages: Int, source: String)? {
    let swapPages = report.showMem.flatMap { block -> Int? in
      for case .totalSwap(let kilobytes) in block.lines { return kilobytes / 4 }
      return nil
    }
    if report.isMemcg, let memory = report.memcgCounter("memory") {
      var pages = memory.limitKilobytes / 4
      var source = "memcg limit \(memory.limitKilobytes) kB"
      let swapLimit = (report.memcgCounter("swap") ?? report.memcgCounter("memory+swap")).map {
        $0.name == "swap" ? $0.limitKilobytes / 4 : max(0, $0.limitKilobytes / 4 - pages)
      }
      if let swapLimit, let swapPages, swapPages > 0 {
        pages &+= min(swapLimit, swapPages)
        source += " + min(swap limit, total swap)"
      }
      return (max(pages, 1), source)
    }
    guard let block = report.showMem, let ram = block.pages("RAM") else { return nil }
    let reserved = block.pages("reserved") ?? 0
    return (
      ram &- reserved &+ (swapPages ?? 0),
      "\(ram) pages RAM − \(reserved) reserved + \(swapPages ?? 0) swap pages"
    )
  }

  /// Every finding that holds, heaviest first.
  var findings: [Finding] {
    Finding.byWeight([memcgLimit, leakSuspect, oomPanic, victimChoice].compactMap { $0 })
  }

  /// `line N: ` for a known line.
  private func at(_ line: Int?) -> String { ReportedZone.at(line) }

  /// A row as evidence: its numbers and badness.
  private func rowText(_ row: Row, points: Int?, total: Int) -> String {
    let task = row.task
    let adjTerm = task.oomScoreAdj &* (total / 1000)
    return "\(at(row.line))[\(task.pid)] \(task.comm): rss \(task.rssPages) + swapents "
      + "\(task.swapEntries) + page tables \(task.pageTableBytes / 4096) pages, oom_score_adj "
      + "\(task.oomScoreAdj) (× \(total / 1000) = \(adjTerm)) → badness "
      + (points.map(String.init) ?? "unkillable")
  }
}

// MARK: - memcg-limit

extension OOMDiagnosis {
  /// A memcg OOM: the cgroup's usage reached its limit, whatever the machine had free.
  var memcgLimit: Finding? {
    guard report.isMemcg else { return nil }
    var evidence: [String] = []
    var atLimit: [MemcgCounter] = []
    var path = report.summary?.oomMemcg
    for entry in report.entries {
      let at = self.at(entry.sourceLine)
      switch entry.line {
      case .memcg(.counter(let counter)):
        let share = percent(counter.usageKilobytes, of: counter.limitKilobytes)
        if share >= 99 { atLimit.append(counter) }
        evidence.append(
          "\(at)\(counter.name): usage \(counter.usageKilobytes)kB, limit "
            + "\(counter.limitKilobytes)kB (\(share)%), failcnt \(counter.failcnt)")
      case .memcg(.taskIn(_, let limit)):
        path = path ?? limit
        evidence.append("\(at)the limit of \(limit) was hit")
      case .summary(let summary) where summary.oomMemcg != nil:
        evidence.append(
          "\(at)constraint \(summary.constraint), oom_memcg=\(summary.oomMemcg ?? "")")
      case .killed(let killed) where killed.message == "Memory cgroup out of memory":
        evidence.append("\(at)Memory cgroup out of memory: killed \(killed.comm)")
      case .selection(let selection) where selection.message == "Memory cgroup out of memory":
        evidence.append("\(at)Memory cgroup out of memory: chose \(selection.comm)")
      default:
        continue
      }
    }
    if evidence.isEmpty,
      let first = report.entries.first(where: { entry in
        if case .memcg = entry.line { true } else { false }
      })
    {
      // A damaged report may keep only memcg stat lines.
      evidence.append(
        "\(self.at(first.sourceLine))memory cgroup state (\(report.memcg.count) memcg lines) "
          + "where a global OOM prints Mem-Info")
    }
    let limitText =
      atLimit.first.map {
        " (\($0.name) at its limit of \(kilobytesText($0.limitKilobytes)))"
      } ?? ""
    return Finding(
      id: "memcg-limit",
      title: "a memory cgroup\(path.map { " \($0)" } ?? "") ran out\(limitText), not the "
        + "machine: the kill was limited to its tasks",
      evidence: evidence,
      remedy: "Raise the cgroup's limit (memory.max, v1 memory.limit_in_bytes) to what the "
        + "workload needs, or reduce the workload's memory (and fix a leak if usage keeps "
        + "growing); set memory.high below memory.max to throttle before OOM.",
      weight: 95)
  }
}

// MARK: - leak-suspect

extension OOMDiagnosis {
  /// One task holds most of the resident memory in the task table.
  var leakSuspect: Finding? {
    let rows = self.rows
    guard rows.count >= 2 else { return nil }
    let total = rows.reduce(0) { $0 &+ $1.task.rssPages }
    guard total > 0, let top = rows.max(by: { $0.task.rssPages < $1.task.rssPages }),
      top.task.rssPages > total &- top.task.rssPages
    else { return nil }
    var evidence = [
      "\(at(top.line))[\(top.task.pid)] \(top.task.comm): rss \(top.task.rssPages) pages = "
        + "\(kilobytesText(top.task.rssPages &* 4)), \(percent(top.task.rssPages, of: total))% "
        + "of the \(total) pages resident in the \(rows.count) listed tasks"
    ]
    if let totalPages {
      evidence.append(
        "\(percent(top.task.rssPages, of: totalPages.pages))% of the \(totalPages.pages) "
          + "pages the OOM weighs (\(totalPages.source))")
    }
    return Finding(
      id: "leak-suspect",
      title:
        "\(top.task.comm) (pid \(top.task.pid)) holds \(percent(top.task.rssPages, of: total))% "
        + "of the resident memory in the task table: a leak or an oversized workload",
      evidence: evidence,
      remedy: "Find and fix the leak in \(top.task.comm) (watch its RSS over time, "
        + "/proc/\(top.task.pid)/smaps); until then cap it with a memory cgroup limit, or make "
        + "it the preferred victim with a positive oom_score_adj.",
      weight: 70)
  }
}

// MARK: - victim-choice

extension OOMDiagnosis {
  /// The victim's badness recomputed from the task table, the runner-up, and what
  /// `oom_score_adj` changed.
  var victimChoice: Finding? {
    let rows = self.rows
    guard !rows.isEmpty, let total = totalPages else { return nil }
    let tasks = rows.map(\.task)
    let selection = OOMSelection(selectingFrom: tasks, totalPages: total.pages, version: kernel)
    let kernelChoice = report.selection.map { (pid: $0.pid, comm: $0.comm) } ?? report.victim
    func points(_ task: OOMTask) -> Int? {
      OOMBadness.points(of: task, totalPages: total.pages, version: kernel)
    }
    func row(_ pid: Int) -> Row? { rows.first { $0.task.pid == pid } }
    var evidence = [
      "totalpages \(total.pages) (\(total.source)); oom_badness() of \(kernel): rss + swapents "
        + "+ page-table pages + oom_score_adj × totalpages/1000"
    ]
    guard case .victim(let chosen, let runnerUp) = selection else {
      evidence.append("no task in the table is killable by the recomputed rules")
      let kernelText =
        report.foundNoKillableProcess
        ? "; the kernel found none either (Out of memory and no killable processes...)"
        : kernelChoice.map { "; the kernel chose \($0.comm) (pid \($0.pid))" } ?? ""
      return Finding(
        id: "victim-choice",
        title: "no killable task in the task table" + kernelText,
        evidence: evidence,
        remedy: "Make sure some task may be killed: oom_score_adj −1000 on every large task "
          + "leaves the OOM killer nothing to free (and a global OOM then panics).",
        weight: 30)
    }
    if let chosenRow = row(chosen.task.pid) {
      evidence.append(rowText(chosenRow, points: chosen.points, total: total.pages))
    }
    if let runnerUp, let runnerRow = row(runnerUp.task.pid) {
      evidence.append(rowText(runnerRow, points: runnerUp.points, total: total.pages))
    }
    var unadjusted = tasks
    for index in unadjusted.indices where unadjusted[index].oomScoreAdj != OOMBadness.scoreAdjMin {
      unadjusted[index].oomScoreAdj = 0
    }
    let withoutAdj = OOMSelection(
      selectingFrom: unadjusted, totalPages: total.pages, version: kernel
    ).victim
    let protected = tasks.filter { $0.oomScoreAdj == OOMBadness.scoreAdjMin }.map(\.comm)
    var adjRole: String
    if let withoutAdj, withoutAdj.task.pid != chosen.task.pid {
      adjRole =
        "oom_score_adj decided it: with every adj at 0 the victim would be "
        + "\(withoutAdj.task.comm) (pid \(withoutAdj.task.pid), badness \(withoutAdj.points))"
    } else {
      adjRole = "oom_score_adj did not change the choice: the victim has the most memory"
    }
    if !protected.isEmpty {
      adjRole += "; never chosen (oom_score_adj −1000): \(protected.joined(separator: ", "))"
    }
    evidence.append(adjRole)
    let allocatingTask = report.killed?.message?.contains("oom_kill_allocating_task") ?? false
    let agrees = kernelChoice.map { $0.pid == chosen.task.pid } ?? true
    if allocatingTask, let kernelChoice {
      evidence.append(
        "vm.oom_kill_allocating_task is set: the kernel killed the allocating task "
          + "\(kernelChoice.comm) (pid \(kernelChoice.pid)) without scanning the table")
    } else if let kernelChoice, !agrees {
      evidence.append(
        "the kernel chose \(kernelChoice.comm) (pid \(kernelChoice.pid)), badness "
          + (row(kernelChoice.pid).flatMap { points($0.task) }.map(String.init)
            ?? "not in the table")
          + ": rules the table cannot show decide (cpuset/mempolicy eligibility, memcg "
          + "membership, an earlier victim, a child sacrificed, a root discount guessed from uid)")
    }
    let runnerText =
      runnerUp.map {
        "; runner-up \($0.task.comm) (pid \($0.task.pid)) with \($0.points)"
      } ?? "; no runner-up"
    let title =
      allocatingTask
      ? "\(kernelChoice?.comm ?? "the allocating task") was killed by "
        + "vm.oom_kill_allocating_task; by badness the killer would have chosen "
        + "\(chosen.task.comm) (pid \(chosen.task.pid), \(chosen.points) pages)"
      : agrees
        ? "\(chosen.task.comm) (pid \(chosen.task.pid)) was chosen with the highest badness, "
          + "\(chosen.points) pages\(runnerText)"
        : "the recomputed choice \(chosen.task.comm) (pid \(chosen.task.pid), \(chosen.points) "
          + "pages) differs from the kernel's \(kernelChoice?.comm ?? "?") (pid \(kernelChoice?.pid ?? 0))"
    return Finding(
      id: "victim-choice", title: title, evidence: evidence,
      remedy: "To protect a task, lower its oom_score_adj (−1000 exempts it); to sacrifice one "
        + "first, raise it. Put workloads in memory cgroups with limits so one cannot push the "
        + "whole machine into OOM.",
      weight: 60)
  }
}
