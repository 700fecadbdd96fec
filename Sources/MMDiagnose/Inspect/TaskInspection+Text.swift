extension TaskInspection {
  /// The report as a person reads it: one row per task (memory in pages, badness, the kernel's
  /// and the model's `oom_score`), the verdict, then whom a global OOM would kill and why.
  public var text: String {
    var out = "tasks (pages; totalpages \(oomTotalPages) = MemTotal + SwapTotal)\n"
    var rows = [
      ["pid", "rss", "swap", "pgtables", "adj", "badness", "oom_score", "model", "comm"]
    ]
    // Kernel threads are never candidates; count them instead of listing them.
    let hidden = tasks.filter { $0.isQuietKernelThread }
    for task in tasks where !task.isQuietKernelThread {
      rows.append([
        "\(task.pid)", "\(task.rssPages)", "\(task.swapEntries)", "\(task.pageTablePages)",
        "\(task.oomScoreAdj)", task.badnessPages.map(String.init) ?? "-",
        task.oomScore.kernel.map(String.init) ?? "-", "\(task.oomScore.model)",
        task.comm + (task.unkillableBecause.map { " (never: \($0))" } ?? ""),
      ])
    }
    out += textTable(rows, textColumns: 2)
    if !hidden.isEmpty {
      out += "(and \(hidden.count) kernel threads: oom_score 0 as the kernel shows, never chosen)\n"
    }
    let differences = differences
    if differences.isEmpty {
      out += "model agrees with your kernel: every task's oom_score and oom_adj reproduced\n"
    } else {
      out += "model differs from your kernel:\n"
      for task in differences {
        out += "- \(task.pid) (\(task.comm)): oom_score kernel "
        out += "\(task.oomScore.kernel.map(String.init) ?? "-"), model \(task.oomScore.model); "
        out += "oom_adj kernel \(task.oomAdj.kernel.map(String.init) ?? "-"), "
        out += "model \(task.oomAdj.model)\n"
      }
    }
    out += decisionText
    return out
  }

  private var decisionText: String {
    var out = ""
    switch oomDecision {
    case .panic:
      out += "a global OOM now would panic (vm.panic_on_oom is set); without it:\n"
    case .killAllocatingTask:
      out += "a global OOM now kills the allocating task (vm.oom_kill_allocating_task), unless "
      out += "it has oom_score_adj -1000; then:\n"
    case .nothingKillable:
      out += "a global OOM now finds nothing killable and panics "
      out += "(\(nothingKillablePanic))\n"
    case .killVictim:
      break
    }
    if let victim = oomVictim {
      out += "OOM killer would kill now: \(victim.pid) (\(victim.comm)), \(victim.why)\n"
    }
    if let runnerUp = oomRunnerUp {
      out += "runner-up: \(runnerUp.pid) (\(runnerUp.comm)), \(runnerUp.why)\n"
    }
    return out
  }
}

extension TaskInspection.Task {
  /// A kernel thread whose `oom_score` agrees (0): nothing to show beyond a count.
  fileprivate var isQuietKernelThread: Bool {
    unkillableBecause == TaskInspection.kernelThreadReason
      && (oomScore.kernel == nil || oomScore.kernel == oomScore.model)
  }
}
