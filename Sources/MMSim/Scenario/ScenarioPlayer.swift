internal import MMCore

extension Scenario {
  /// Plays the scenario on a virtual clock and returns what happened.
  ///
  /// A deterministic discrete-event loop: occurrences run in time order (file order at the same
  /// time); before each, the background threads woken so far get the CPU (kswapd, kcompactd:
  /// an **approximation** of the scheduler). Same scenario, same record.
  ///
  /// - Parameters:
  ///   - file: the scenario's file name, for errors.
  ///   - limit: stop at this virtual time at the latest (`--until`).
  ///   - progress: called with the virtual time each time it passes a whole second (for a
  ///     progress display; it cannot change the run).
  /// - Throws: ``ScenarioError`` for a machine that cannot be built or a timeline entry that
  ///   cannot be carried out (an unknown pid, a GFP name the kernel does not have).
  public func play(
    file: String = "scenario", until limit: VirtualDuration? = nil,
    progress: ((_ nanoseconds: UInt64) -> Void)? = nil
  ) throws(ScenarioError) -> ScenarioRecord {
    var machine = try SimulatedMachine.booting(self, file: file)
    var player = ScenarioPlayer(
      scenario: self, file: file, limit: limit, kernel: machine.memory.rules.kernel)
    player.progress = progress
    try player.run(&machine)
    return player.record
  }
}

/// The loop behind ``Scenario/play(file:until:progress:)``.
struct ScenarioPlayer {
  let scenario: Scenario
  let file: String
  var record: ScenarioRecord
  /// Per timeline entry: the time of its next occurrence (µs) and the occurrences left.
  private var next: [(time: Int, left: Int)?]
  /// Blocks to free at a time (µs), from allocations with `hold`.
  private var held: [(time: Int, blocks: [Allocation], use: PageUse)] = []
  private var ratelimit: WarnAllocRatelimit
  private let stopAt: Int?
  private let stopOn: Set<String>
  private var seenReports = 0
  private var seenOOMEvents = 0
  private var seenRefusals = 0
  private var stopped: String?
  /// Every pid the scenario starts: touching or ending one that has died is a no-op.
  private let declaredPIDs: Set<Int>

  /// The longest a run plays, in µs: one virtual week.
  ///
  /// Later occurrences are not played.
  static let horizon = 7 * 24 * 3_600_000_000

  /// Told the virtual time at each whole second passed.
  var progress: ((UInt64) -> Void)?

  init(scenario: Scenario, file: String, limit: VirtualDuration?, kernel: KernelVersion) {
    self.scenario = scenario
    self.file = file
    record = ScenarioRecord(kernel: kernel)
    var pids: [Int] = []
    for pid in (scenario.tasks ?? []).map(\.pid) + scenario.timeline.compactMap(\.start?.pid)
    where !pids.contains(pid) {
      pids.append(pid)
    }
    record.declaredPIDs = pids
    ratelimit = WarnAllocRatelimit(kernel: kernel)
    let times = [scenario.stop?.at, limit].compactMap { $0?.microseconds }
    stopAt = times.min()
    stopOn = Set(scenario.stop?.on ?? [])
    declaredPIDs = Set(pids)
    next = scenario.timeline.map { event in
      let first = event.at?.microseconds ?? 0
      guard let every = event.every else { return (first, 1) }
      var left = event.count ?? Int.max
      if let until = event.until {
        let span = until.microseconds - first
        left = min(left, span < 0 ? 0 : span / max(every.microseconds, 1) + 1)
      }
      return left > 0 ? (first, left) : nil
    }
  }

  mutating func run(_ machine: inout SimulatedMachine) throws(ScenarioError) {
    while stopped == nil {
      let entry = next.indices.compactMap { index in next[index].map { ($0.time, index) } }
        .min { $0 < $1 }
      let release = held.indices.min { held[$0].time < held[$1].time }
      let time = min(entry?.0 ?? Int.max, release.map { held[$0].time } ?? Int.max)
      guard time != Int.max else {
        stopped = "the timeline finished"
        break
      }
      if time > Self.horizon {
        record.endNanoseconds = UInt64(Self.horizon) * 1000
        stopped = "the one-week horizon"
        break
      }
      if let stopAt, time > stopAt {
        record.endNanoseconds = UInt64(stopAt) * 1000
        stopped = "stop at \(VirtualDuration(microseconds: stopAt))"
        break
      }
      sample(&machine, upTo: time)
      if let progress, time / 1_000_000 > Int(record.endNanoseconds / 1_000_000_000) {
        progress(UInt64(time) * 1000)
      }
      record.endNanoseconds = UInt64(time) * 1000
      backgroundWork(&machine)
      if let release, held[release].time == time {
        let due = held.remove(at: release)
        // Page cache may have been reclaimed (and its frame reused) meanwhile: free only a block
        // that is still an unowned allocated block of that order and use.
        for block in due.blocks
        where machine.memory.isAllocatedBlock(block.pfn)
          && machine.memory.use(of: block.pfn) == due.use
          && machine.memory.frames[machine.memory.frameIndex(block.pfn)].order == block.order
          && machine.memory.frames[machine.memory.frameIndex(block.pfn)].ownerID == 0
        {
          machine.memory.free(block.pfn, order: block.order)
        }
      } else if let (_, index) = entry {
        advance(index)
        try perform(scenario.timeline[index], index: index, on: &machine)
      }
      collect(&machine)
    }
    record.endedBecause = stopped ?? ""
    sample(&machine, upTo: Int(record.endNanoseconds / 1000))
    record.snapshots.append(snapshot(of: machine, label: "end"))
  }

  /// Samples the machine at every interval boundary up to `time` (µs) not sampled yet: the
  /// state before what happens at `time`.
  private mutating func sample(_ machine: inout SimulatedMachine, upTo time: Int) {
    let interval = record.sampleInterval.microseconds
    var next = record.samples.count * interval
    guard next <= time else { return }
    let memInfo = machine.memInfo()
    let usage = machine.memoryUsageByTask()
    var rss: [Int: Int] = [:]
    for pid in record.declaredPIDs {
      rss[pid] = machine.tasks[pid].map { usage[$0.mm]?.residentPages ?? 0 } ?? 0
    }
    let zones = machine.memory.layout.zones.indices.compactMap { zone -> TimelineSample.Zone? in
      let span = machine.memory.layout.zones[zone]
      guard span.managed > 0 else { return nil }
      let marks = machine.memory.zoneSettings(zone).watermarks
      return TimelineSample.Zone(
        name: span.kind.kernelName, free: machine.memory.freePages(zone: zone),
        min: marks.min + marks.boost, low: marks.low + marks.boost,
        high: marks.high + marks.boost)
    }
    while next <= time {
      record.samples.append(
        TimelineSample(
          nanoseconds: UInt64(next) * 1000, zones: zones,
          memFree: memInfo.value(named: "MemFree") ?? 0,
          memAvailable: memInfo.value(named: "MemAvailable") ?? 0,
          committedAS: memInfo.value(named: "Committed_AS") ?? 0, rss: rss))
      next += interval
    }
  }

  /// Moves a timeline entry to its next occurrence.
  private mutating func advance(_ index: Int) {
    guard let (time, left) = next[index] else { return }
    let every = scenario.timeline[index].every?.microseconds ?? 0
    next[index] =
      left > 1 && every > 0 && time + every <= Self.horizon ? (time + every, left - 1) : nil
  }

  private var nanoseconds: UInt64 { record.endNanoseconds }

  private func error(_ index: Int, _ key: String, _ reason: String) -> ScenarioError {
    ScenarioError(file: file, keyPath: "timeline[\(index)].\(key)", reason: reason)
  }

  /// One occurrence of a timeline entry.
  private mutating func perform(
    _ event: EventSpec, index: Int, on machine: inout SimulatedMachine
  ) throws(ScenarioError) {
    if let spec = event.allocate {
      try allocate(spec, index: index, on: &machine)
    } else if let touch = event.touch {
      guard machine.tasks[touch.pid] != nil else {
        if declaredPIDs.contains(touch.pid) { return }  // killed or exited earlier
        throw error(index, "touch.pid", "no task \(touch.pid) in the scenario")
      }
      let use = try pageUse(touch.kind ?? "anon", index: index, key: "touch.kind")
      let pages = touch.size.pages(pageSize: SimulatedMachine.scenarioPageSize) ?? 0
      _ = machine.fault(pid: touch.pid, pages: pages, use: use)
    } else if let spec = event.mmap {
      try mmap(spec, index: index, on: &machine)
    } else if let task = event.start {
      if let reason = machine.start(task) { throw error(index, "start", reason) }
    } else if let pid = event.exit {
      guard machine.tasks[pid] != nil else {
        if declaredPIDs.contains(pid) { return }
        throw error(index, "exit", "no task \(pid) in the scenario")
      }
      machine.releaseMemory(ofTask: pid)
    } else if let sysctls = event.sysctl {
      for (key, value) in sysctls.sorted(by: { $0.key < $1.key }) {
        if let reason = machine.writeSysctl(key, value) {
          throw error(index, "sysctl.\(key)", reason)
        }
      }
    } else if let label = event.snapshot {
      record.snapshots.append(snapshot(of: machine, label: label))
      record.events.append(
        RunEvent(nanoseconds: nanoseconds, kind: .snapshot, detail: label))
    }
  }

  /// A task's `mmap()`; a refusal is recorded by the machine (``collect(_:)`` reports it).
  private func mmap(_ spec: MmapSpec, index: Int, on machine: inout SimulatedMachine)
    throws(ScenarioError)
  {
    guard machine.tasks[spec.pid] != nil else {
      if declaredPIDs.contains(spec.pid) { return }  // killed or exited earlier
      throw error(index, "mmap.pid", "no task \(spec.pid) in the scenario")
    }
    let pageSize = SimulatedMachine.scenarioPageSize
    let pages = ((spec.size.bytes(pageSize: pageSize) ?? 0) + pageSize - 1) / pageSize
    do {
      try machine.mmap(pid: spec.pid, pages: pages)
    } catch {
      switch error {
      case .outOfMemory: return
      case .invalidLength:
        throw self.error(index, "mmap.size", "\(spec.size) is not a length mmap() accepts")
      }
    }
  }

  private mutating func allocate(
    _ spec: AllocateSpec, index: Int, on machine: inout SimulatedMachine
  ) throws(ScenarioError) {
    let kernel = record.kernel
    let raw: UInt64
    if let hex = parseHexMask(spec.gfp) {
      raw = hex
    } else {
      do {
        raw = try GFPDialect(kernel: kernel).parseNames(spec.gfp)
      } catch {
        throw self.error(index, "allocate.gfp", error.description)
      }
    }
    let mask = GFPMask(rawValue: raw, kernel: kernel)
    let order = spec.order ?? 0
    let use = try pageUse(spec.use ?? "kernel", index: index, key: "allocate.use")
    let comm = spec.comm ?? "kworker/0:1"
    let pid = machine.tasksByPID.first { $0.comm == comm }?.pid
    var blocks: [Allocation] = []
    for _ in 0..<(spec.count ?? 1) {
      let attempt = machine.allocate(order: order, mask: mask, use: use, current: pid)
      if let block = attempt.allocation {
        blocks.append(block)
        continue
      }
      if case .failed(let reason) = attempt.outcome {
        failure(order: order, mask: mask, reason: reason, comm: comm, pid: pid ?? 0, machine)
      }
      break
    }
    if let hold = spec.hold, !blocks.isEmpty {
      held.append((Int(nanoseconds / 1000) + hold.microseconds, blocks, use))
    }
  }

  /// A failed allocation: the event, and `warn_alloc`'s report unless its rate limit or
  /// `__GFP_NOWARN` silences it.
  private mutating func failure(
    order: Int, mask: GFPMask, reason: String, comm: String, pid: Int,
    _ machine: borrowing SimulatedMachine
  ) {
    record.events.append(
      RunEvent(
        nanoseconds: nanoseconds, kind: .allocationFailure, order: order,
        gfp: "0x" + String(mask.rawValue, radix: 16), detail: reason, pid: pid))
    if case .report(let suppressed) = ratelimit.decide(mask: mask, at: nanoseconds) {
      record.log.append(
        KernelLogEntry(
          nanoseconds: nanoseconds,
          report: .allocationFailure(
            machine.allocationFailureReport(order: order, mask: mask, comm: comm, pid: pid),
            suppressedBefore: suppressed)))
    }
    if stopOn.contains("allocation_failure") { stopped = "stop on allocation_failure" }
  }

  /// What the OOM killer, overcommit and the background threads did since the last look.
  private mutating func collect(_ machine: inout SimulatedMachine) {
    for report in machine.oomReports.dropFirst(seenReports) {
      record.log.append(KernelLogEntry(nanoseconds: nanoseconds, report: .oom(report)))
    }
    seenReports = machine.oomReports.count
    for outcome in machine.oomEvents.dropFirst(seenOOMEvents) {
      switch outcome {
      case .killed(let kill):
        record.events.append(
          RunEvent(
            nanoseconds: nanoseconds, kind: .oomKill, order: kill.order,
            gfp: "0x" + String(kill.mask.rawValue, radix: 16),
            detail: "\(kill.reason.message): killed \(kill.victim.task.pid) "
              + "(\(kill.victim.task.comm)), badness \(kill.victim.points) pages",
            pid: kill.victim.task.pid))
        if stopOn.contains("oom_kill") { stopped = "stop on oom_kill" }
      case .panicked(let message):
        record.events.append(RunEvent(nanoseconds: nanoseconds, kind: .panic, detail: message))
        stopped = "panic: \(message)"
      case .waitingForVictim, .nothingToKill:
        break
      }
    }
    seenOOMEvents = machine.oomEvents.count
    for refusal in machine.commitRefusals.dropFirst(seenRefusals) {
      record.events.append(
        RunEvent(
          nanoseconds: nanoseconds, kind: .commitRefused,
          detail: "__vm_enough_memory refused \(refusal.pages) pages (overcommit_memory "
            + "\(refusal.mode.rawValue), CommitLimit \(refusal.commitLimitPages) pages, "
            + "Committed_AS \(refusal.committedASPages) pages)",
          pid: refusal.pid))
    }
    seenRefusals = machine.commitRefusals.count
  }

  /// Lets kswapd and kcompactd run; records the runs that did something.
  private mutating func backgroundWork(_ machine: inout SimulatedMachine) {
    let work = machine.runBackgroundWork()
    for run in work.kswapd where run.reclaim.reclaimed > 0 {
      record.events.append(
        RunEvent(
          nanoseconds: nanoseconds, kind: .kswapd,
          detail: "reclaimed \(run.reclaim.reclaimed) pages" + (run.boosted ? " (boost)" : "")))
    }
    for run in work.kcompactd where run.migrated > 0 {
      record.events.append(
        RunEvent(
          nanoseconds: nanoseconds, kind: .kcompactd,
          detail: "order \(run.order): migrated \(run.migrated) pages"))
    }
  }

  private func snapshot(of machine: borrowing SimulatedMachine, label: String) -> ProcSnapshot {
    var scores: [Int: Int] = [:]
    for task in machine.tasksByPID { scores[task.pid] = machine.oomScore(ofTask: task.pid) }
    return ProcSnapshot(
      nanoseconds: nanoseconds, label: label, memInfo: machine.memInfo(),
      vmStat: machine.vmStat(), buddyInfo: machine.memory.buddyInfo(),
      pageTypeInfo: machine.memory.pageTypeInfo(), zoneInfo: machine.memory.zoneInfo(),
      oomScores: scores)
  }

  /// A page use named in a scenario.
  private func pageUse(_ name: String, index: Int, key: String) throws(ScenarioError) -> PageUse {
    let uses: [String: PageUse] = [
      "kernel": .kernel, "anon": .anon, "file": .file, "shmem": .shmem,
      "slab": .slabUnreclaimable, "slab_reclaimable": .slabReclaimable,
    ]
    guard let use = uses[name] else {
      throw error(
        index, key, "'\(name)' is not one of \(uses.keys.sorted().joined(separator: ", "))")
    }
    return use
  }
}
