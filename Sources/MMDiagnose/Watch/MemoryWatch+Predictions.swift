internal import MMCore

extension MemoryWatch {
  /// `oom_badness()` and the watermarks count 4 KiB pages here, as the rest of inspect does.
  private static let pageKB = 4

  /// When the window's trends reach kswapd's wake-up, direct reclaim and the OOM killer, and
  /// whom the killer would pick then.
  ///
  /// - kswapd wakes when a zone's free pages fall below its low watermark, so the MemFree line
  ///   is extrapolated to the zones' summed low watermarks; direct reclaim (and allocation
  ///   failures for requests that cannot reclaim) starts below min, so likewise to the summed
  ///   min watermarks.
  /// - The OOM killer runs when reclaim can free nothing more: the file cache and reclaimable
  ///   slab are gone (MemAvailable, which already keeps back the reserves, is 0) and anon pages
  ///   cannot go to swap (SwapFree is 0). So the MemAvailable + SwapFree line is extrapolated
  ///   to 0 (docs/watch.md says how this approximates `should_reclaim_retry()` giving up).
  /// - Free memory below min means reclaim is failing, so both watermark events come no later
  ///   than the OOM.
  ///
  /// The victim is chosen by ``TaskInspection`` (`oom_badness()` with `oom_score_adj` for the
  /// sample's kernel) over the tasks with RSS and swap extrapolated to the OOM's time along
  /// each task's own fit, all growth together no more than the memory left.
  func predictions(_ sample: WatchSample, fits: Fits) -> WatchReport.Predictions {
    let memInfo = sample.memInfo
    let entries = sample.zoneInfo?.entries.filter { $0.isPopulated || $0.managed > 0 }
    let sum = { (mark: KeyPath<ZoneInfo.Entry, Int>) in
      entries.flatMap { $0.isEmpty ? nil : $0.reduce(0) { $0 &+ $1[keyPath: mark] } &* Self.pageKB }
    }
    let lowKB = sum(\.low)
    let minKB = sum(\.min)
    let headroom = memInfo?.memAvailable.map { $0 &+ (memInfo?.swapFree ?? 0) }
    let oom = Self.seconds(fits.headroom, now: headroom, until: 0)
    let kswapd = Self.earliest(Self.seconds(fits.memFree, now: memInfo?.memFree, until: lowKB), oom)
    let reclaim = Self.earliest(
      Self.seconds(fits.memFree, now: memInfo?.memFree, until: minKB), oom)
    let event = { (measure: String, threshold: Int?, seconds: Double?) in
      WatchReport.Event(
        measure: measure, thresholdKB: threshold, inSeconds: seconds.map(rounded),
        atTime: seconds.map { rounded(sample.time + $0) })
    }
    var predictions = WatchReport.Predictions(
      kswapdWakes: event("MemFree", lowKB, kswapd),
      directReclaim: event("MemFree", minKB, reclaim),
      oomKill: event("MemAvailable+SwapFree", 0, oom))
    guard let memInfo, let kernel = sample.kernel else { return predictions }
    let inspect = { (processes: [ProcessEntry]) in
      TaskInspection(processes: processes, memInfo: memInfo, sysVM: sample.sysVM, kernel: kernel)
    }
    predictions.oomVictimNow = Self.victim(inspect(sample.processes), sample.processes)
    if let oom, let headroom {
      let projected = project(sample.processes, seconds: oom, headroomKB: headroom)
      let then = inspect(projected)
      predictions.oomVictim = Self.victim(then, projected)
      predictions.oomDecision = then?.oomDecision.rawValue
    }
    return predictions
  }

  /// Seconds until a figure falls to a threshold: 0 when it is there now, else along its fit.
  private static func seconds(_ fit: LinearFit?, now: Int?, until threshold: Int?) -> Double? {
    guard let threshold else { return nil }
    if let now, now <= threshold { return 0 }
    return fit?.secondsUntilFalling(to: Double(threshold))
  }

  private static func earliest(_ a: Double?, _ b: Double?) -> Double? {
    switch (a, b) {
    case (let a?, let b?): min(a, b)
    case (let a?, nil): a
    case (nil, let b): b
    }
  }

  /// The processes with `VmRSS` and `VmSwap` (and `RssAnon` by the same amount) moved along
  /// each task's fits by `seconds`, never below 0.
  ///
  /// The tasks cannot take more than the memory left: when their summed growth would exceed
  /// `headroomKB` (MemAvailable + SwapFree now), every growth is scaled down by the same factor.
  private func project(_ processes: [ProcessEntry], seconds: Double, headroomKB: Int)
    -> [ProcessEntry]
  {
    let growth = processes.map { entry -> (rss: Double, swap: Double) in
      guard let status = entry.status, status.vmRSS != nil else { return (0, 0) }
      let comm = entry.comm ?? status.name ?? ""
      let slope = { (figure: KeyPath<TaskPoint, Int>) in
        taskFit(pid: entry.pid, comm: comm, figure)?.slope ?? 0
      }
      return (slope(\.rss) * seconds, slope(\.swap) * seconds)
    }
    let total = growth.reduce(0) { $0 + max($1.rss + $1.swap, 0) }
    let scale = total > Double(headroomKB) ? Double(max(headroomKB, 0)) / total : 1
    // kB from 0 to 1 EiB: a far-off OOM must not overflow a shrinking task's count, and a
    // growth so large it is infinite (scaled by 0, NaN) counts as none.
    let kB = { (value: Double) in value.isNaN ? 0 : Int(min(max(value, 0), 0x1p60).rounded()) }
    return zip(processes, growth).map { entry, growth in
      guard var status = entry.status, let rss = status.vmRSS else { return entry }
      let newRSS = kB(Double(rss) + growth.rss * scale)
      status.vmRSS = newRSS
      status.rssAnon = status.rssAnon.map { kB(Double($0) + Double(newRSS) - Double(rss)) }
      status.vmSwap = status.vmSwap.map { kB(Double($0) + growth.swap * scale) }
      var projected = entry
      projected.status = status
      return projected
    }
  }

  private static func victim(_ inspection: TaskInspection?, _ processes: [ProcessEntry])
    -> WatchReport.Victim?
  {
    guard let choice = inspection?.oomVictim else { return nil }
    let status = processes.first { $0.pid == choice.pid }?.status
    return WatchReport.Victim(
      pid: choice.pid, comm: choice.comm, badnessPages: choice.badnessPages,
      rssKB: status?.vmRSS ?? 0, swapKB: status?.vmSwap ?? 0)
  }
}
