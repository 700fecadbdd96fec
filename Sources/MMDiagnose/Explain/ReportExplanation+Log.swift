public import MMCore
public import MMText

extension ReportExplanation {
  /// Finds every allocation-failure and OOM report in a log and explains each, in log order.
  ///
  /// - Parameters:
  ///   - text: the log (any prefixes, wraps and interleaving `MMText` copes with).
  ///   - file: the name parse problems report.
  ///   - kernel: the release to read reports as when neither they nor the log name one.
  /// - Complexity: O(*n*) in the log's size, plus the reports' own lines.
  public static func explainAll(
    in text: String, file: String = "log", kernel: KernelVersion? = nil
  ) -> [ReportExplanation] {
    let allocs = AllocFailureReport.findAll(in: text, file: file, kernel: kernel).map {
      explain($0, kernel: kernel)
    }
    let ooms = OOMReport.findAll(in: text, file: file).map { explain($0, kernel: kernel) }
    return inLogOrder(allocs + ooms, file: file)
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
    let findings =
      decoding.map {
        AllocFailureDiagnosis(
          mask: $0.mask, order: order ?? 0, showMem: report.showMem,
          sourceLines: found.showMemLines, headerLines: report.headerLines
        ).findings
      } ?? []
    return ReportExplanation(
      kind: kind, file: nil, line: found.lines.lowerBound, lastLine: found.lines.upperBound,
      kernel: version?.description,
      task: Task(pid: report.task?.pid, comm: header?.comm ?? report.task?.comm),
      order: order, gfp: decoding.map { gfp($0, printedNames: header?.gfpNames) },
      victim: nil, findings: findings, problems: found.problems.map(\.description))
  }

  /// Explains one OOM report.
  ///
  /// - Parameters:
  ///   - found: the report and where it was.
  ///   - kernel: the release to use when the report was read as none.
  public static func explain(
    _ found: OOMReport.Found, kernel: KernelVersion? = nil
  ) -> ReportExplanation {
    let report = found.report
    let header = report.header
    let version = found.kernel ?? kernel
    let order = header?.order
    let decoding = header?.gfpMask.flatMap {
      decode(mask: $0, printedNames: header?.gfpNames, kernel: version, order: max(order ?? 0, 0))
    }
    let rulesVersion = version ?? decoding?.mask.kernel ?? .newestKnown
    let findings = OOMDiagnosis(report: report, kernel: rulesVersion).findings
    let victim = report.killed.map {
      Victim(
        pid: $0.pid, comm: $0.comm, anonRssKB: $0.anonRSSKilobytes,
        fileRssKB: $0.fileRSSKilobytes, shmemRssKB: $0.shmemRSSKilobytes)
    }
    return ReportExplanation(
      kind: report.isMemcg ? .memcg : .oom, file: nil, line: found.lines.lowerBound,
      lastLine: found.lines.upperBound, kernel: version?.description,
      task: Task(pid: report.task?.pid, comm: header?.comm ?? report.task?.comm),
      order: order, gfp: decoding.map { gfp($0, printedNames: header?.gfpNames) },
      victim: victim, findings: findings, problems: found.problems.map(\.description))
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
