public import MMCore
public import MMText

extension ReportExplanation {
  /// Finds every allocation-failure, OOM and standalone `Mem-Info:` report in a log and
  /// explains each, in log order.
  ///
  /// A `Mem-Info:` block that lies inside an allocation-failure or OOM report is part of that
  /// report, and one that follows a stack dump belongs to a report the log lost the rest of;
  /// any other (SysRq-m, a bare `show_mem()`) is a report of kind `showmem`.
  ///
  /// - Parameters:
  ///   - text: the log (any prefixes, wraps and interleaving `MMText` copes with).
  ///   - file: the name parse problems report.
  ///   - kernel: the release to read reports as when neither they nor the log name one.
  /// - Complexity: O(*n*) in the log's size (a few passes), plus the reports' own lines and
  ///   O(*b* × *r*) to match the *b* `Mem-Info:` blocks with the *r* reports.
  public static func explainAll(
    in text: String, file: String = "log", kernel: KernelVersion? = nil
  ) -> [ReportExplanation] {
    explainAll(in: text, file: file, kernel: kernel, logKernel: nil, firstLine: 1)
  }

  /// The reports of `text`, whose first line is line `firstLine` of the log: what
  /// ``explainAll(in:file:kernel:)`` gives for a whole log and for each window of a streamed
  /// one.
  ///
  /// - Parameters:
  ///   - kernel: the release the caller gave (`--kernel`).
  ///   - logKernel: the first release the log printed before `text` ends, when the caller
  ///     knows it (`nil`: the first one `text` prints).
  static func explainAll(
    in text: String, file: String, kernel: KernelVersion?, logKernel: KernelVersion?,
    firstLine: Int
  ) -> [ReportExplanation] {
    let log = LogScanner(text: text, file: file, stripsPrefixes: true, firstLine: firstLine)
    let blocks = ShowMem.findAll(in: log)
    let allocs = AllocFailureReport.findAll(in: log, kernel: kernel ?? logKernel)
      .map { explain($0, kernel: kernel) }
    let ooms = OOMReport.findAll(in: log, kernel: logKernel)
      .map { found in
        let memInfoLine = found.report.entries.first {
          if case .showMem = $0.line { true } else { false }
        }?.sourceLine
        let block = blocks.first {
          $0.lines.lowerBound == memInfoLine && $0.showMem == found.report.showMem
        }
        return explain(found, kernel: kernel, showMemLines: block?.sourceLines ?? [])
      }
    let reports = allocs + ooms
    let standalone = blocks.filter { block in
      !block.followsStackDump
        && !reports.contains { ($0.line...$0.lastLine).contains(block.lines.lowerBound) }
    }.map { explain($0, kernel: kernel ?? logKernel) }
    let all = (reports + standalone).sorted { ($0.line, $0.lastLine) < ($1.line, $1.lastLine) }
    return all.map {
      var explanation = $0
      explanation.file = file
      explanation.time = log.stamp(ofLine: $0.line).flatMap { stamp in
        stamp.uptimeText == nil && stamp.date == nil
          ? nil : Time(uptime: stamp.uptimeText, date: stamp.date)
      }
      return explanation
    }
  }

  /// Explains one allocation-failure report.
  ///
  /// - Parameters:
  ///   - found: the report and where it was.
  ///   - kernel: the release to use when the report was read as none.
  public static func explain(
    _ found: AllocFailureReport.Found, kernel: KernelVersion? = nil
  ) -> ReportExplanation {
    let report = found.report
    let header = report.header
    let version = found.kernel ?? kernel
    var kind = Kind.allocfail
    var order = header?.order
    if case .vmalloc(let failure) = header?.message {
      kind = .vmalloc
      if case .pagesAllocationFailed(_, let pageOrder) = failure { order = pageOrder }
    }
    let decoding = header?.gfpMask.flatMap {
      decode(mask: $0, printedNames: header?.gfpNames, kernel: version, order: order ?? 0)
    }
    let request = decoding.map {
      AllocFailureDiagnosis(
        mask: $0.mask, order: order ?? 0, showMem: report.showMem,
        sourceLines: found.showMemLines, headerLines: report.headerLines)
    }
    var findings = request?.findings ?? []
    if let showMem = report.showMem {
      var state = MemoryStateDiagnosis(
        request: request,
        zones: ReportedZone.zones(of: showMem, sourceLines: found.showMemLines),
        showMem: showMem, sourceLines: found.showMemLines)
      state.constraint = MemoryStateDiagnosis.NodeConstraint(
        nodemask: header?.nodemask, memsAllowed: header?.memsAllowed,
        lines: report.headerLines)
      findings = Finding.byWeight(findings + state.findings)
    }
    return ReportExplanation(
      kind: kind, file: nil, line: found.lines.lowerBound, lastLine: found.lines.upperBound,
      time: nil,
      kernel: version?.description,
      task: Task(pid: report.task?.pid, comm: header?.comm ?? report.task?.comm),
      order: order, gfp: decoding.map { gfp($0, printedNames: header?.gfpNames) },
      victim: nil, zones: zones(of: report.showMem), findings: findings,
      problems: found.problems.map(\.description))
  }

  /// Explains one OOM report.
  ///
  /// - Parameters:
  ///   - found: the report and where it was.
  ///   - kernel: the release to use when the report was read as none.
  ///   - showMemLines: the log line of each line of the report's `Mem-Info:` block (from
  ///     `ShowMem.findAll`), for evidence; empty when unknown.
  public static func explain(
    _ found: OOMReport.Found, kernel: KernelVersion? = nil, showMemLines: [Int] = []
  ) -> ReportExplanation {
    let report = found.report
    let header = report.header
    let version = found.kernel ?? kernel
    let order = header?.order
    let decoding = header?.gfpMask.flatMap {
      decode(mask: $0, printedNames: header?.gfpNames, kernel: version, order: max(order ?? 0, 0))
    }
    let rulesVersion = version ?? decoding?.mask.kernel ?? .newestKnown
    var findings = OOMDiagnosis(report: report, kernel: rulesVersion).findings
    if let showMem = report.showMem {
      let zones = ReportedZone.zones(of: showMem, sourceLines: showMemLines)
      let request = decoding.flatMap { decoding -> AllocFailureDiagnosis? in
        guard decoding.mask.rawValue != 0 else { return nil }
        return AllocFailureDiagnosis(
          mask: decoding.mask, order: max(order ?? 0, 0), showMem: showMem,
          sourceLines: showMemLines, headerLines: headerLines(of: found))
      }
      var state = MemoryStateDiagnosis(
        request: request, zones: zones, showMem: showMem, sourceLines: showMemLines)
      state.isOOM = true
      state.slabCaches = MemoryStateDiagnosis.slabCaches(in: report.entries)
      state.constraint = nodeConstraint(of: found)
      findings = Finding.byWeight(findings + state.findings)
    }
    let victim = report.killed.map {
      Victim(
        pid: $0.pid, comm: $0.comm, anonRssKB: $0.anonRSSKilobytes,
        fileRssKB: $0.fileRSSKilobytes, shmemRssKB: $0.shmemRSSKilobytes)
    }
    return ReportExplanation(
      kind: report.isMemcg ? .memcg : .oom, file: nil, line: found.lines.lowerBound,
      lastLine: found.lines.upperBound, time: nil, kernel: version?.description,
      task: Task(pid: report.task?.pid, comm: header?.comm ?? report.task?.comm),
      order: order, gfp: decoding.map { gfp($0, printedNames: header?.gfpNames) },
      victim: victim, zones: zones(of: report.showMem), findings: findings,
      problems: found.problems.map(\.description))
  }

  /// Explains a `Mem-Info:` block that belongs to no other report (kind `showmem`): its zones
  /// and the findings about the machine's state; no task, order or GFP mask.
  ///
  /// - Parameters:
  ///   - found: the block and where it was.
  ///   - kernel: the release the log was read as, when known.
  public static func explain(
    _ found: ShowMem.Found, kernel: KernelVersion? = nil
  ) -> ReportExplanation {
    let state = MemoryStateDiagnosis(
      request: nil, zones: ReportedZone.zones(of: found.showMem, sourceLines: found.sourceLines),
      showMem: found.showMem, sourceLines: found.sourceLines)
    return ReportExplanation(
      kind: .showmem, file: nil, line: found.lines.lowerBound, lastLine: found.lines.upperBound,
      kernel: kernel?.description, task: nil, order: nil, gfp: nil, victim: nil,
      zones: zones(of: found.showMem), findings: ShowMemDiagnosis(state: state).findings,
      problems: found.problems.map(\.description))
  }

  /// The log lines of an OOM report's header (and its ≤ 4.18 cpuset line).
  private static func headerLines(of found: OOMReport.Found) -> [Int] {
    found.report.entries.compactMap { entry in
      switch entry.line {
      case .header, .cpuset: entry.sourceLine
      default: nil
      }
    }
  }

  /// The node restrictions an OOM report printed: the 4.19+ summary's constraint, nodemask
  /// and mems_allowed, else the 4.8–4.18 header's nodemask and the cpuset line's mems_allowed.
  private static func nodeConstraint(of found: OOMReport.Found)
    -> MemoryStateDiagnosis.NodeConstraint
  {
    var constraint = MemoryStateDiagnosis.NodeConstraint()
    for entry in found.report.entries {
      switch entry.line {
      case .summary(let summary):
        constraint.constraint = summary.constraint
        constraint.nodemask = summary.nodemask
        constraint.memsAllowed = summary.memsAllowed
      case .header(let header) where constraint.nodemask == nil:
        constraint.nodemask = header.nodemask
      case .cpuset(let line) where constraint.memsAllowed == nil:
        constraint.memsAllowed = line.memsAllowed
      default:
        continue
      }
      if let line = entry.sourceLine { constraint.lines.append(line) }
    }
    return constraint
  }

  /// Decodes a printed mask for `kernel`, or for the kernels its printed names fit.
  private static func decode(
    mask: UInt64, printedNames: String?, kernel: KernelVersion?, order: Int
  ) -> GFPDecoding? {
    let hex = "0x" + String(mask, radix: 16)
    let names = printedNames.flatMap { $0.isEmpty ? nil : "(\($0))" } ?? ""
    for text in [hex + names, hex] {
      if let decoding = try? GFPQuery(parsing: text).resolve(kernel: kernel, order: order) {
        return decoding
      }
    }
    return nil
  }

  /// The JSON form of a decoding.
  private static func gfp(_ decoding: GFPDecoding, printedNames: String?) -> GFP {
    GFP(
      mask: "0x" + String(decoding.mask.rawValue, radix: 16), names: decoding.mask.names,
      printedNames: printedNames, kernel: decoding.mask.kernel.description,
      kernelSource: decoding.kernelSource.rawValue, meaning: decoding.explanation.lines)
  }
}
