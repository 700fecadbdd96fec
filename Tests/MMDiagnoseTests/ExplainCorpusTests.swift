import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import Testing

/// Every real log explains without a crash, with the reports its `# kind:` header names, the
/// printed GFP names, evidence inside the report, and the kernel's own OOM victim.
struct ExplainCorpusTests {
  static let corpus: [URL] = Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }

  static let groundTruthReports: [URL] = Fixtures.files(under: "ground-truth").filter {
    $0.path.contains("/reports/")
  }

  /// The kinds of the reports each corpus file holds, in log order.
  static let expectedKinds: [String: [ReportExplanation.Kind]] = [
    "corpus/exact/oomanalyser-archlinux_6_1_1.log": [.oom],
    "corpus/exact/oomanalyser-proxmox_cgroup_oom.log": [.memcg],
    "corpus/exact/oomanalyser-rhel7.log": [.oom],
    "corpus/exact/oomanalyser-ubuntu2110.log": [.oom],
    "corpus/exact/seed-csky-4.9.56-order10-atomic.log": [.allocfail],
    "corpus/exact/syzkaller-199.log": [.allocfail, .vmalloc],
    "corpus/exact/syzkaller-334.log": [.oom],
    "corpus/exact/syzkaller-492.log": [.allocfail, .allocfail],
    "corpus/exact/syzkaller-493.log": [.allocfail, .allocfail],
    "corpus/posted/001-oom-5.0.0-rc8-x86_64.log": [.oom],
    "corpus/posted/002-allocfail-5.10.2-arm64.log": [.allocfail],
    "corpus/posted/004-oom-2.6.31-i386.log": [.oom],
    "corpus/posted/005-oom-2.6.31-i386.log": [.oom],
    "corpus/posted/007-oom-4.4.0-rc7-next-x86_64.log": [.oom],
    "corpus/posted/008-oom-4.7.0-x86_64.log": [.oom, .oom],
    "corpus/posted/010-allocfail-3.7.10-x86_64.log": [.allocfail],
    "corpus/posted/011-memcg-unknown-x86_64.log": [.memcg],
    "corpus/posted/013-vmalloc-6.0.0-rc4-arm64.log": [.vmalloc],
    "corpus/posted/014-vmalloc-6.2-generic-64k-arm64.log": [.vmalloc],
    "corpus/posted/016-vmalloc-4.19.69-x86_64.log": [.vmalloc],
    "corpus/posted/017-vmalloc-4.6-master-ppc64.log": [.vmalloc],
    "corpus/posted/019-oom-3.10.0-arm.log": [.oom],
    "corpus/posted/020-oom-3.10.90-arm64-android.log": [.oom],
    "corpus/posted/022-showmem-6.x-riscv64.log": [.showmem],
    "corpus/posted/023-vmalloc-4.10.0-x86_64-numa.log": [.vmalloc],
    "corpus/posted/025-allocfail-5.14.21-150400.22-default-x86_64.log": [.allocfail],
    "corpus/posted/026-allocfail-6.12.39-mips.log": [.allocfail],
    "corpus/posted/028-memcg-4.18.0-x86_64.log": [.memcg],
    "corpus/posted/029-memcg-4.18.0-x86_64.log": [.memcg],
    "corpus/posted/031-allocfail-6.8.0-xtensa.log": [.allocfail],
    "corpus/posted/032-allocfail-3.18.18-x86_64.log": [.allocfail],
    "corpus/posted/034-allocfail-4.9.0-5-amd64-x86_64.log": [.allocfail, .allocfail, .allocfail],
    "corpus/posted/035-allocfail-4.14.158-mips.log": [.allocfail, .allocfail],
    "corpus/posted/037-allocfail-4.9-grsec-x86_64.log": [.allocfail],
    "corpus/posted/038-allocfail-5.9.0-0.rc4.5.fc34-x86_64.log": [.allocfail],
    "corpus/posted/040-showmem-6.1.x-arm-rpi4.log": [],
    "corpus/posted/041-oom-3.10-centos7-x86_64.log": [.oom, .oom],
    "corpus/posted/043-oom-3.2.21-arm.log": [.oom],
    "corpus/posted/044-oom-2.6.16.21-0.8-smp-i586.log": [.oom],
    "corpus/posted/046-oom-2.6.32-279.19.1.el6-x86_64-numa.log": [.oom],
    "corpus/posted/047-oom-5.10.179-x86_64.log": [.oom, .oom],
    "corpus/posted/049-allocfail-6.9.0-ppc32.log": [.allocfail],
    "corpus/posted/050-allocfail-6.9.0-ppc32.log": [.allocfail],
    "corpus/posted/052-memcg-unknown-x86_64.log": [.memcg],
    "corpus/posted/053-oom-6.x-x86_64.log": [.oom],
    "corpus/posted/055-allocfail-unknown-arm64.log": [.allocfail],
    "corpus/posted/056-allocfail-5.10.10-x86_64.log": [.allocfail],
    "corpus/posted/058-oom-unknown-x86_64.log": [.oom],
    "corpus/posted/059-oom-6.8.0-1030-aws-x86_64.log": [.oom],
    "corpus/posted/061-oom-unknown-x86_64.log": [.oom],
  ]

  /// Every fixture's explanations, computed once for all tests.
  static let explained: [URL: [ReportExplanation]] = Dictionary(
    uniqueKeysWithValues: (corpus + groundTruthReports).map { file in
      let text = (try? Fixtures.text(of: file)) ?? ""
      return (file, ReportExplanation.explainAll(in: text, file: Fixtures.relativePath(file)))
    })

  static func explain(_ file: URL) throws -> [ReportExplanation] {
    try #require(explained[file], "\(Fixtures.relativePath(file)) was not explained")
  }

  @Test func everyCorpusFileIsListed() {
    #expect(Self.corpus.count == 50)
    #expect(Set(Self.corpus.map(Fixtures.relativePath)) == Set(Self.expectedKinds.keys))
  }

  @Test(arguments: corpus)
  func findsTheReportsOfEachKind(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let reports = try Self.explain(file)
    #expect(reports.map(\.kind) == Self.expectedKinds[name], "\(name)")
    // The header's kind (`allocfail`, `vmalloc`, `oom`, `memcg`, `showmem`) is among the
    // kinds found; 040's dump lost its `Mem-Info:` line (a headless excerpt), so it is none.
    let header = try Fixtures.lines(of: file).first { $0.hasPrefix("# kind: ") }
    let kind = try #require(header?.dropFirst(8).prefix { $0.isLetter })
    if name.hasPrefix("corpus/posted/040-") {
      #expect(reports.isEmpty, "\(name)")
    } else {
      #expect(reports.contains { $0.kind.rawValue == kind }, "\(name): \(kind)")
    }
  }

  /// Every printed `%pGg` text equals the decoding for the kernel the report was read as.
  @Test(arguments: corpus + groundTruthReports)
  func decodedNamesEqualThePrintedOnes(file: URL) throws {
    for report in try Self.explain(file) {
      guard let gfp = report.gfp, let printed = gfp.printedNames else { continue }
      #expect(gfp.names == printed, "\(Fixtures.relativePath(file)) line \(report.line)")
    }
  }

  /// Evidence cites lines inside its report, and reports stay inside the file.
  @Test(arguments: corpus + groundTruthReports)
  func evidenceCitesTheReportsOwnLines(file: URL) throws {
    let lineCount = try Fixtures.lines(of: file).count
    for report in try Self.explain(file) {
      #expect(1 <= report.line && report.line <= report.lastLine && report.lastLine <= lineCount)
      for item in report.findings.flatMap(\.evidence) where item.hasPrefix("line ") {
        let number = try #require(Int(item.dropFirst(5).prefix { $0.isNumber }))
        #expect(
          (report.line...report.lastLine).contains(number),
          "\(Fixtures.relativePath(file)): \(item)")
      }
    }
  }

  /// A `Killed process` line, read with string operations: pid, name and the rss fields it
  /// prints (`anon-rss:1112kB`, …).
  struct PrintedKill: Equatable {
    var pid: Int
    var comm: String
    var anonRssKB: Int?
    var fileRssKB: Int?
    var shmemRssKB: Int?
  }

  /// The `Killed process` lines of a log, a hard-wrapped one joined with its next line.
  static func printedKills(_ file: URL) throws -> [PrintedKill] {
    let lines = try Fixtures.lines(of: file).filter { !$0.hasPrefix("#") }
    return lines.indices.compactMap { index in
      var line = lines[index]
      guard let start = line.range(of: "Killed process ")?.lowerBound else { return nil }
      // A kill line hard-wrapped after `total-vm:…kB,` goes on on the next line.
      if !line.contains("anon-rss"), index + 1 < lines.count { line += " " + lines[index + 1] }
      let rest = line[start...].dropFirst("Killed process ".count)
      guard let pid = Int(rest.prefix { $0.isNumber }), let open = rest.firstIndex(of: "(")
      else { return nil }
      func kilobytes(_ field: String) -> Int? {
        guard let at = rest.range(of: field + ":") else { return nil }
        return Int(rest[at.upperBound...].prefix { $0.isNumber })
      }
      return PrintedKill(
        pid: pid, comm: String(rest[rest.index(after: open)...].prefix { $0 != ")" }),
        anonRssKB: kilobytes("anon-rss"), fileRssKB: kilobytes("file-rss"),
        shmemRssKB: kilobytes("shmem-rss"))
    }
  }

  /// The recorded Debian 6.1 OOM reports: the recomputed victim is the one the kernel killed
  /// (or, with vm.oom_kill_allocating_task, the finding says the policy chose it).
  @Test(arguments: groundTruthReports.filter { $0.lastPathComponent.hasSuffix("-oom.txt") })
  func victimChoiceNamesTheKernelsVictim(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let report = try #require(try Self.explain(file).first, "\(name)")
    let choice = try #require(report.findings.first { $0.id == "victim-choice" }, "\(name)")
    guard let killed = try Self.printedKills(file).first else {
      #expect(choice.title.hasPrefix("no killable task"), "\(name)")
      #expect(choice.title.contains("the kernel found none either"), "\(name)")
      return
    }
    #expect(report.victim?.pid == killed.pid)
    #expect(report.victim?.comm == killed.comm)
    if name.contains("oom-kill-allocating-task") {
      #expect(choice.title.hasPrefix("\(killed.comm) was killed by vm.oom_kill_allocating_task"))
    } else {
      #expect(
        choice.title.hasPrefix("\(killed.comm) (pid \(killed.pid)) was chosen"),
        "\(name): \(choice.title)")
    }
  }

  /// Wherever the corpus's task tables allow a recomputation, it agrees with the kernel.
  @Test func recomputedVictimsAgreeWithTheCorpus() throws {
    var checked = 0
    for file in Self.corpus {
      for report in try Self.explain(file) {
        guard let choice = report.findings.first(where: { $0.id == "victim-choice" }) else {
          continue
        }
        checked += 1
        #expect(!choice.title.contains("differs"), "\(Fixtures.relativePath(file))")
        if let victim = report.victim {
          #expect(choice.title.hasPrefix("\(victim.comm) (pid "), "\(Fixtures.relativePath(file))")
        }
      }
    }
    #expect(checked == 8)
  }

  /// 3.7's DMA zone is below min + lowmem_reserve[Normal] (7 + 4003 > 3961) while DMA32 is
  /// above (1638 + 756 < 37923): lowmem protection, weighed below the costly order.
  @Test func oneProtectedZoneBelowItsReserveIsNotTheCause() throws {
    let file = Fixtures.root.appendingPathComponent(
      "corpus/posted/010-allocfail-3.7.10-x86_64.log")
    let report = try #require(try Self.explain(file).first)
    #expect(report.findings.map(\.id) == ["costly-order", "below-watermark"])
    let below = try #require(report.findings.last)
    #expect(below.title.hasPrefix("Node 0 DMA at or below"))
    #expect(below.evidence.contains { $0.hasSuffix("7 + lowmem_reserve 4003 = 4010: below") })
    #expect(below.evidence.contains { $0.hasSuffix("1638 + lowmem_reserve 756 = 2394: above") })
  }

  @Test func memcgReportsBlameTheLimit() throws {
    for file in Self.corpus where Self.expectedKinds[Fixtures.relativePath(file)] == [.memcg] {
      let report = try #require(try Self.explain(file).first)
      #expect(report.findings.first?.id == "memcg-limit", "\(Fixtures.relativePath(file))")
    }
    let recorded = Fixtures.root.appendingPathComponent(
      "ground-truth/memcg-oom/max64M/reports/01-oom.txt")
    let limit = try #require(
      try Self.explain(recorded).first?.findings.first { $0.id == "memcg-limit" })
    #expect(limit.evidence.first?.contains("limit 65536kB") == true)
  }

  /// Every corpus report's victim equals its printed kill line, pid, name and rss, in log
  /// order, and every kill line belongs to a report.
  @Test func victimsEqualThePrintedKillLines() throws {
    var checked = 0
    for file in Self.corpus {
      let victims = try Self.explain(file).compactMap(\.victim).map {
        PrintedKill(
          pid: $0.pid, comm: $0.comm, anonRssKB: $0.anonRssKB, fileRssKB: $0.fileRssKB,
          shmemRssKB: $0.shmemRssKB)
      }
      #expect(victims == (try Self.printedKills(file)), "\(Fixtures.relativePath(file))")
      checked += victims.count
    }
    #expect(checked == 21)
  }

  /// An OOM panic on its own (the recorded excerpt after a report) is a report of its own
  /// whose cause is the panic; `panic_on_oom`'s panic after a report's task table says so.
  @Test func oomPanicsAreExplained() throws {
    let excerpt = Fixtures.root.appendingPathComponent(
      "ground-truth/cma-arm64/movable-cma256M-holder-unkillable/reports/03-panic.txt")
    let alone = try #require(try Self.explain(excerpt).first)
    #expect(alone.kind == .oom && alone.line == 1)
    let deadlock = try #require(alone.findings.first)
    #expect(deadlock.id == "oom-panic")
    #expect(deadlock.title.hasPrefix("the OOM killer found no task it could kill"))
    #expect(
      deadlock.evidence.first
        == "line 1: Kernel panic - not syncing: System is deadlocked on memory")
    // A victim still exiting aborts the selection (nothing killed, no panic): oom.md §2.
    #expect(
      deadlock.evidence.last?.hasSuffix(
        "already reaped (MMF_OOM_SKIP), or outside the "
          + "request's cpuset or memory policy") == true)

    let recorded = Fixtures.root.appendingPathComponent(
      "ground-truth/oom-victim/default/reports/01-oom.txt")
    var lines = try Fixtures.lines(of: recorded)
    let summary = try #require(lines.firstIndex { $0.contains("oom-kill:") })
    lines = Array(lines[..<summary])
    lines.append(
      "[   99.000000] Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled"
    )
    let report = try #require(
      ReportExplanation.explainAll(in: lines.joined(separator: "\n"), file: "panic").first)
    #expect(report.victim == nil)
    let panic = try #require(report.findings.first { $0.id == "oom-panic" })
    #expect(panic.title == "vm.panic_on_oom made the kernel panic instead of killing a task")
    #expect(
      panic.evidence == [
        "line \(lines.count): Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled"
      ])
  }
}
