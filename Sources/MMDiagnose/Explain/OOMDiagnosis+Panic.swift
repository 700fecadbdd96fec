internal import MMCore

// MARK: - oom-panic

extension OOMDiagnosis {
  /// The OOM path panicked the machine instead of (or before) killing a task: the
  /// `panic_on_oom` sysctl, or nothing left to kill.
  ///
  /// Kernel: `check_panic_on_oom()` (`Out of memory: system-wide panic_on_oom is enabled`,
  /// `compulsory panic_on_oom`) and the end of `out_of_memory()` (`System is deadlocked on
  /// memory`, after `Out of memory and no killable processes...`) in `mm/oom_kill.c`.
  var oomPanic: Finding? {
    guard
      let entry = report.entries.first(where: { if case .panic = $0.line { true } else { false } }),
      case .panic(let panic) = entry.line
    else { return nil }
    let evidence = [
      "\(ReportedZone.at(entry.sourceLine))Kernel panic - not syncing: \(panic.reason)"
    ]
    if panic.isPanicOnOOM {
      return Finding(
        id: "oom-panic",
        title: "vm.panic_on_oom made the kernel panic instead of killing a task",
        evidence: evidence,
        remedy: "Set vm.panic_on_oom=0 to let the OOM killer pick a victim, unless a reboot "
          + "(with kdump or a watchdog) is the wanted way out of an OOM; then fix what "
          + "exhausted memory.",
        weight: 60)
    }
    return Finding(
      id: "oom-panic",
      title: "the OOM killer found no task it could kill, and the kernel panicked",
      evidence: evidence + [
        "a global OOM with no killable task panics: every candidate was unkillable "
          + "(oom_score_adj −1000, a kernel thread, init, no mm left), already reaped "
          + "(MMF_OOM_SKIP), or outside the request's cpuset or memory policy"
      ],
      remedy: "Leave some large task killable (oom_score_adj above −1000, no OOMScoreAdjust="
        + "-1000 on big services), add memory or swap, and find what held the memory.",
      weight: 60)
  }
}
