import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// Every OOM and memcg OOM report in the real logs (the corpus and the ground-truth
/// recordings) is found, read field by field, checked against values taken from the text
/// independently, and rendered back.
struct DmesgOOMCorpusTests {
  /// The corpus logs whose `# kind:` line says `oom` or `memcg`.
  static let corpus: [URL] = Fixtures.files(under: "corpus").filter { file in
    guard file.pathExtension == "log", let text = try? Fixtures.text(of: file) else {
      return false
    }
    return text.split(separator: "\n").contains {
      $0.hasPrefix("# kind: oom") || $0.hasPrefix("# kind: memcg")
    }
  }

  /// The recorded Debian 6.1 OOM reports.
  static let groundTruth: [URL] = Fixtures.files(under: "ground-truth").filter { file in
    let path = Fixtures.relativePath(file)
    return path.contains("/reports/")
      && ["oom-victim/", "oom-kill-allocating-task/", "memcg-oom/", "cma-arm64/"].contains {
        path.hasPrefix("ground-truth/" + $0)
      } && path.hasSuffix("-oom.txt")
  }

  static func find(_ file: URL) throws -> [OOMReport.Found] {
    OOMReport.findAll(in: try Fixtures.text(of: file), file: Fixtures.relativePath(file))
  }

  @Test func fixturesArePresent() {
    #expect(Self.corpus.count == 25)
    #expect(Self.groundTruth.count == 13)
  }

  // MARK: - Independent checks

  /// The log's messages (prefixes off, comments out) joined with spaces, so that a hard-wrapped
  /// line reads as one.
  static func flatText(_ file: URL) throws -> String {
    DmesgLine.messages(of: try Fixtures.text(of: file)).joined(separator: " ")
  }

  /// The number after `key` in `text`, read with string operations only.
  static func number(after key: String, in text: Substring) -> Int? {
    guard let range = text.range(of: key) else { return nil }
    return Int(text[range.upperBound...].prefix { $0.isNumber || $0 == "-" })
  }

  /// Each `Killed process` in the log, its pid, name and rss fields, read with string
  /// operations (not the parser).
  static func killLines(_ file: URL) throws -> [(pid: Int, comm: String, rss: [Int?])] {
    let flat = try flatText(file)
    var kills: [(Int, String, [Int?])] = []
    var rest = flat[...]
    while let range = rest.range(of: "Killed process ") {
      let after = rest[range.upperBound...]
      let end = after.range(of: "Killed process ")?.lowerBound ?? after.endIndex
      var window = after[..<end]
      if let reaper = window.range(of: "oom_reaper") { window = window[..<reaper.lowerBound] }
      let pid = Int(window.prefix { $0.isNumber }) ?? -1
      let open = window.firstIndex(of: "(") ?? window.startIndex
      let comm = window[window.index(after: open)...].prefix { $0 != ")" }
      window = window.prefix(400)
      kills.append(
        (
          pid, String(comm),
          ["anon-rss:", "file-rss:", "shmem-rss:"].map { number(after: $0, in: window) }
        ))
      rest = after
    }
    return kills
  }

  /// The task rows of the log: messages shaped `[ <digits>]` then numbers.
  static func rowPIDs(_ file: URL) throws -> [Int] {
    DmesgLine.messages(of: try Fixtures.text(of: file)).compactMap { message in
      let trimmed = message.drop { $0 == " " }
      guard trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") else { return nil }
      let inside = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
      let after = trimmed[trimmed.index(after: close)...].drop { $0 == " " }
      guard let pid = Int(inside.drop { $0 == " " }), after.first?.isNumber == true else {
        return nil
      }
      return pid
    }
  }

  @Test(arguments: corpus + groundTruth)
  func findsEveryReportWithItsVictimAndTable(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let found = try Self.find(file)
    #expect(!found.isEmpty, "\(name)")
    let reports = found.map(\.report)
    let kills = reports.flatMap { report in
      report.lines.compactMap { if case .killed(let k) = $0 { k } else { nil } }
    }
    let expected = try Self.killLines(file)
    #expect(kills.map(\.pid) == expected.map(\.pid), "\(name)")
    #expect(kills.map(\.comm) == expected.map(\.comm), "\(name)")
    #expect(
      kills.map { [$0.anonRSSKilobytes, $0.fileRSSKilobytes, $0.shmemRSSKilobytes] }
        == expected.map(\.rss), "\(name)")
    #expect(reports.flatMap(\.tasks).map(\.pid) == (try Self.rowPIDs(file)), "\(name)")
    for report in reports where report.isComplete {
      #expect(report.victim != nil || report.foundNoKillableProcess, "\(name)")
    }
  }

  /// Kill lines that disagree with their task table row, as posted.
  static let knownDisagreements: [String: String] = [
    "corpus/exact/oomanalyser-rhel7.log":
      "the kill line's total-vm is 708 kB (177 pages) above the row's total_vm: the process grew between the two prints"
  ]

  /// The kill line agrees with the victim's task table row and the summary, as the kernel
  /// computes them (`total-vm` = `total_vm` × 4 kB, `pgtables` = `pgtables_bytes` / 1024).
  @Test(arguments: corpus + groundTruth)
  func killLinesAgreeWithTheTable(file: URL) throws {
    let name = Fixtures.relativePath(file)
    for report in try Self.find(file).map(\.report) {
      guard let killed = report.killed else { continue }
      if let summary = report.summary {
        #expect(summary.pid == killed.pid && summary.task == killed.comm, "\(name)")
        if let uid = killed.uid { #expect(summary.uid == uid, "\(name)") }
      }
      if let selection = report.selection, selection.pid == killed.pid {
        #expect(selection.comm == killed.comm, "\(name)")
      }
      guard let row = report.victimRow else { continue }
      #expect(row.name == killed.comm, "\(name)")
      if let totalVM = killed.totalVMKilobytes {
        if let issue = Self.knownDisagreements[name] {
          withKnownIssue(Comment(rawValue: issue)) {
            #expect(row.totalVM.map { $0 * 4 } == totalVM, "\(name)")
          }
        } else {
          #expect(row.totalVM.map { $0 * 4 } == totalVM, "\(name)")
        }
      }
      if let pgtables = killed.pgtablesKilobytes {
        #expect(row.pgtablesBytes.map { $0 / 1024 } == pgtables, "\(name)")
      }
      if let adj = killed.oomScoreAdj { #expect(row.oomScoreAdj == adj, "\(name)") }
      if let uid = killed.uid { #expect(row.uid == uid, "\(name)") }
      if let rss = row.rssAnon, let file = row.rssFile, let shmem = row.rssShmem {
        #expect(
          [rss * 4, file * 4, shmem * 4]
            == [killed.anonRSSKilobytes, killed.fileRSSKilobytes, killed.shmemRSSKilobytes],
          "\(name)")
      }
    }
  }

  /// The recordings' whole boot logs hold the same reports as the files cut from them.
  @Test(
    arguments: Set(groundTruth.map { $0.deletingLastPathComponent().deletingLastPathComponent() })
      .sorted { $0.path < $1.path })
  func wholeLogsHoldTheCutReports(folder: URL) throws {
    let log = folder.appendingPathComponent("dmesg.txt")
    guard FileManager.default.fileExists(atPath: log.path) else { return }
    let cut = Self.groundTruth.filter { $0.path.hasPrefix(folder.path + "/") }
    let whole = try Self.find(log)
    #expect(whole.count == cut.count, "\(Fixtures.relativePath(log))")
    #expect(whole.allSatisfy { $0.problems.isEmpty && $0.report.isComplete })
    #expect(
      whole.map(\.report.withoutSourceLines)
        == (try cut.flatMap { try Self.find($0) }.map(\.report.withoutSourceLines)))
  }

  // MARK: - Shapes per kernel version

  /// The header fields and task table columns the version rules give for a report's own
  /// release (its `CPU:` line) are the ones the report printed.
  @Test(arguments: corpus + groundTruth)
  func versionRulesGiveThePrintedShapes(file: URL) throws {
    let name = Fixtures.relativePath(file)
    for report in try Self.find(file).map(\.report) {
      guard let kernel = report.kernel else { continue }
      if let layout = report.taskTableLayout {
        #expect(OOMTaskTableLayout(kernel: kernel) == layout, "\(name) \(kernel)")
      }
      guard let header = report.header, let comm = header.comm, let mask = header.gfpMask,
        let order = header.order, let adj = header.oomScoreAdj
      else { continue }
      var adjOnly = 0
      for case .oomAdj(let value) in header.fields { adjOnly = value }
      var expected = OOMHeader(
        kernel: kernel, comm: comm, gfpMask: mask, order: order, oomScoreAdj: adj,
        oomAdj: adjOnly, nodemask: header.nodemask ?? "(null)")
      // The names are the printing kernel's own (its config, vendor patches).
      expected.fields = expected.fields.map {
        if case .gfpMask(let mask, let names) = $0, names != nil {
          return .gfpMask(mask, names: header.gfpNames)
        }
        return $0
      }
      if let issue = Self.vendorHeaders[name] {
        withKnownIssue(Comment(rawValue: issue)) { #expect(expected == header, "\(name)") }
      } else {
        #expect(expected == header, "\(name) \(kernel)")
      }
    }
  }

  /// The kill line the version rules give for a report's own release is the one it printed.
  @Test(arguments: corpus + groundTruth)
  func versionRulesGiveThePrintedKillLine(file: URL) throws {
    let name = Fixtures.relativePath(file)
    for report in try Self.find(file).map(\.report) {
      guard let kernel = report.kernel, let killed = report.killed else { continue }
      let full = OOMKilledProcess(
        message: killed.message, pid: killed.pid, comm: killed.comm,
        totalVMKilobytes: killed.totalVMKilobytes ?? 1,
        anonRSSKilobytes: killed.anonRSSKilobytes ?? 2,
        fileRSSKilobytes: killed.fileRSSKilobytes ?? 3,
        shmemRSSKilobytes: killed.shmemRSSKilobytes ?? 4,
        uid: killed.uid ?? 5, pgtablesKilobytes: killed.pgtablesKilobytes ?? 6,
        oomScoreAdj: killed.oomScoreAdj ?? 7)
      let expected = OOMKilledProcess(
        kernel: kernel, message: killed.message ?? "Out of memory", victim: full)
      if let issue = Self.vendorKillLines[name] {
        withKnownIssue(Comment(rawValue: issue)) { #expect(expected == killed, "\(name)") }
      } else {
        #expect(expected == killed, "\(name) \(kernel)")
      }
    }
  }

  /// Kill lines whose kernels are not the upstream release they name.
  static let vendorKillLines: [String: String] = [
    "corpus/posted/046-oom-2.6.32-279.19.1.el6-x86_64-numa.log":
      "RHEL 6 backports 2.6.36's rss fields into its 2.6.32 and prints 'Killed process N, UID N, (comm)'",
    "corpus/exact/oomanalyser-rhel7.log": "RHEL 7 backports 4.5's shmem-rss into its 3.10",
  ]

  /// Headers whose kernels are not the upstream release they name.
  static let vendorHeaders: [String: String] = [
    "corpus/posted/007-oom-4.4.0-rc7-next-x86_64.log":
      "linux-next with a debug patch: order and oom_score_adj print before gfp_mask, which has 4.5's names",
    "corpus/posted/046-oom-2.6.32-279.19.1.el6-x86_64-numa.log":
      "RHEL 6 backports 2.6.36's oom_adj/oom_score_adj header into its 2.6.32",
  ]

  // MARK: - Render and parse

  /// Re-reading a report's rendering gives the same report, damaged sources included.
  @Test(arguments: corpus + groundTruth)
  func everyReportRoundTrips(file: URL) throws {
    let name = Fixtures.relativePath(file)
    for found in try Self.find(file) {
      let again = OOMReport.findAll(in: found.report.render(), stripsPrefixes: false)
      #expect(again.count == 1, "\(name):\(found.lines)")
      #expect(again.first?.problems == [], "\(name):\(found.lines)")
      #expect(
        again.first?.report.withoutSourceLines == found.report.withoutSourceLines,
        "\(name):\(found.lines)")
    }
  }

  /// The rendering gives back every source line of the report; only whitespace may differ,
  /// and only where the paste was damaged (hard wraps, indentation, blank lines, `#012`).
  @Test(arguments: corpus)
  func renderingKeepsEveryLine(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let lines = try Fixtures.lines(of: file)
    func words(_ text: String) -> [Substring] {
      text.replacingOccurrences(of: "#012", with: " ").split { $0 == " " || $0 == "\n" }
    }
    for found in try Self.find(file) {
      let source = DmesgLine.messages(of: found.lines.map { lines[$0 - 1] }.joined(separator: "\n"))
      #expect(
        words(found.report.render()) == words(source.joined(separator: "\n")),
        "\(name):\(found.lines)")
    }
  }

  /// How many corpus reports render byte for byte (the rest differ in whitespace only, per
  /// ``renderingKeepsEveryLine(file:)``).
  @Test func countsTheExactRenderings() throws {
    var exact = 0
    var total = 0
    for file in Self.corpus {
      let lines = try Fixtures.lines(of: file)
      for found in try Self.find(file) {
        total += 1
        let source = DmesgLine.messages(
          of: found.lines.map { lines[$0 - 1] }.joined(separator: "\n"))
        if found.report.render() == source.joined(separator: "\n") + "\n" { exact += 1 }
      }
    }
    #expect(total == 28)
    #expect(exact == 16)
  }

  /// The machine-generated reports are undamaged: no problems, the rendering is the source
  /// byte for byte, and strict parsing reads the same report.
  @Test(arguments: groundTruth)
  func groundTruthRendersByteForByte(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let lines = try Fixtures.lines(of: file)
    let found = try Self.find(file)
    #expect(found.count == 1, "\(name)")
    for found in found {
      #expect(found.problems.isEmpty, "\(name): \(found.problems)")
      #expect(found.report.isComplete)
      let source = DmesgLine.messages(of: found.lines.map { lines[$0 - 1] }.joined(separator: "\n"))
      let rendered = found.report.render()
      #expect(rendered == source.joined(separator: "\n") + "\n", "\(name)")
      let strict = try OOMReport(parsing: rendered, file: name)
      #expect(strict.withoutSourceLines == found.report.withoutSourceLines)
    }
  }
}
