import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// Every allocation-failure report in the real logs (Tests/Fixtures: the corpus and the
/// ground-truth recordings) is found, read field by field, and rendered back.
struct DmesgCorpusTests {
  static let logs: [URL] =
    Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }
    + Fixtures.files(under: "ground-truth").filter {
      $0.lastPathComponent == "dmesg.txt" || $0.path.contains("/reports/")
    }

  static let groundTruth: [URL] = logs.filter {
    Fixtures.relativePath($0).hasPrefix("ground-truth/alloc-failure")
  }

  /// Reports per file, and how many of them have no header (the log holds their `warn_alloc`
  /// stack dump but not the header line); every other file holds none.
  static let expectedCounts: [String: (reports: Int, headerless: Int)] = [
    "corpus/exact/seed-csky-4.9.56-order10-atomic.log": (1, 0),
    "corpus/exact/syzkaller-199.log": (2, 1),
    "corpus/exact/syzkaller-492.log": (2, 1),
    "corpus/exact/syzkaller-493.log": (2, 0),
    "corpus/posted/002-allocfail-5.10.2-arm64.log": (1, 0),
    "corpus/posted/010-allocfail-3.7.10-x86_64.log": (1, 0),
    "corpus/posted/013-vmalloc-6.0.0-rc4-arm64.log": (1, 0),
    "corpus/posted/014-vmalloc-6.2-generic-64k-arm64.log": (1, 0),
    "corpus/posted/016-vmalloc-4.19.69-x86_64.log": (1, 0),
    "corpus/posted/017-vmalloc-4.6-master-ppc64.log": (1, 0),
    "corpus/posted/023-vmalloc-4.10.0-x86_64-numa.log": (1, 0),
    "corpus/posted/025-allocfail-5.14.21-150400.22-default-x86_64.log": (1, 0),
    "corpus/posted/026-allocfail-6.12.39-mips.log": (1, 0),
    "corpus/posted/031-allocfail-6.8.0-xtensa.log": (1, 0),
    "corpus/posted/032-allocfail-3.18.18-x86_64.log": (1, 0),
    "corpus/posted/034-allocfail-4.9.0-5-amd64-x86_64.log": (3, 0),
    "corpus/posted/035-allocfail-4.14.158-mips.log": (2, 1),
    "corpus/posted/037-allocfail-4.9-grsec-x86_64.log": (1, 1),
    "corpus/posted/038-allocfail-5.9.0-0.rc4.5.fc34-x86_64.log": (1, 0),
    "corpus/posted/049-allocfail-6.9.0-ppc32.log": (1, 0),
    "corpus/posted/050-allocfail-6.9.0-ppc32.log": (1, 0),
    "corpus/posted/055-allocfail-unknown-arm64.log": (1, 0),
    "corpus/posted/056-allocfail-5.10.10-x86_64.log": (1, 0),
    "ground-truth/alloc-failure/m512M/dmesg.txt": (5, 0),
    "ground-truth/alloc-failure/m512M/reports/01-alloc-failure.txt": (1, 0),
    "ground-truth/alloc-failure/m512M/reports/02-alloc-failure.txt": (1, 0),
    "ground-truth/alloc-failure/m512M/reports/03-alloc-failure.txt": (1, 0),
    "ground-truth/alloc-failure/m512M/reports/04-alloc-failure.txt": (1, 0),
    "ground-truth/alloc-failure/m512M/reports/05-alloc-failure.txt": (1, 0),
  ]

  static func find(_ path: String) throws -> [AllocFailureReport.Found] {
    let file = Fixtures.root.appendingPathComponent(path)
    return AllocFailureReport.findAll(in: try Fixtures.text(of: file), file: path)
  }

  @Test func fixturesArePresent() {
    #expect(Self.logs.count == 84)
    #expect(Self.expectedCounts.keys.filter { $0.hasPrefix("corpus") }.count == 23)
  }

  @Test(arguments: logs)
  func findsEveryReport(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let found = AllocFailureReport.findAll(in: try Fixtures.text(of: file), file: name)
    let expected = Self.expectedCounts[name] ?? (0, 0)
    #expect(found.count == expected.reports, "\(name)")
    #expect(found.count { $0.report.header == nil } == expected.headerless, "\(name)")
  }

  // MARK: - Field by field

  @Test func readsTheSeedReport() throws {
    let found = try #require(
      try Self.find("corpus/exact/seed-csky-4.9.56-order10-atomic.log").first)
    let report = found.report
    let header = try #require(report.header)
    #expect(header.comm == "xxxx")
    #expect(header.message == .pageAllocationFailure && header.order == 10)
    #expect(header.gfpMask == 0x208_4020 && header.gfpNames == "GFP_ATOMIC|__GFP_COMP")
    #expect(header.nodemask == nil && header.cpuset == nil && header.layout == .v4_9)
    #expect(report.headerLines == [7] && found.lines == 7...40)
    let task = try #require(report.task)
    #expect(task.comm == "AiApp" && task.pid == 179 && task.release == "4.9.56")
    #expect(found.kernel == (try KernelVersion(parsing: "4.9.56")))
    #expect(
      report.trace.first == "" && report.trace[1] == "Call Trace:" && report.trace.count == 16)
    let showMem = try #require(report.showMem)
    let zone = try #require(showMem.zones.first)
    #expect(zone.zone == "Normal" && zone.node == nil)
    #expect(zone["free"] == 248_344 && zone["min"] == 2444 && zone["low"] == 3052)
    #expect(zone["high"] == 3660 && zone["free_cma"] == 240_936)
    #expect(zone.fields.count == 21)
    #expect(showMem.lowmemReserves == [[0, 0, 0]])
    let area = try #require(showMem.freeAreas.first)
    #expect(area.zone == "Normal" && area.totalKilobytes == 248_344)
    #expect(area.orders.last == .init(count: 58, blockKilobytes: 4096, migrateTypes: [.cma]))
    #expect(area.orders.map(\.count) == [4, 3, 3, 2, 2, 2, 2, 1, 3, 3, 58])
    #expect(showMem.pages("cma reserved") == 90_112 && showMem.pages("reserved") == 78_501)
  }

  @Test func readsTheOneLineNodemaskAndCpusetOf510() throws {
    let found = try #require(try Self.find("corpus/posted/002-allocfail-5.10.2-arm64.log").first)
    let header = try #require(found.report.header)
    #expect(header.comm == "cat" && header.order == 5 && header.gfpMask == 0x40dc0)
    #expect(header.gfpNames == "GFP_KERNEL|__GFP_COMP|__GFP_ZERO")
    #expect(header.nodemask == "(null)" && header.cpuset == "lxc.payload.openwrt")
    #expect(header.memsAllowed == "0" && header.layout == .v5_0)
    #expect(found.report.headerLines == [8] && found.problems.isEmpty)
    let task = try #require(found.report.task)
    #expect(task.cpu == 0 && task.pid == 2_034_240 && task.taint == "G         C       ")
    let showMem = try #require(found.report.showMem)
    #expect(showMem.zones.map(\.zone) == ["DMA", "DMA32"])
    #expect(showMem.zones.map(\.node) == [0, 0])
    #expect(showMem.zones[1].fields.first { $0.name == "reserved_highatomic" }?.unit == "KB")
    #expect(showMem.lowmemReserves == [[0, 2807, 2807, 2807, 2807], [0, 0, 0, 0, 0]])
    #expect(
      showMem.freeAreas[1].orders[0].migrateTypes == [
        .unmovable, .movable, .reclaimable, .highAtomic, .cma,
      ])
    #expect(showMem.hugepages.map(\.sizeKilobytes) == [1_048_576, 32768, 2048, 64])
    #expect(
      showMem.lines.contains(
        .swapCacheStats(add: 5_089_297, delete: 4_986_508, find: 5_716_104, findTotal: 7_056_293)))
    #expect(showMem.pages("hwpoisoned") == 0 && showMem.pages("cma reserved") == 8192)
    let clinfo = try #require(try Self.find("corpus/posted/056-allocfail-5.10.10-x86_64.log").first)
    #expect(clinfo.report.header?.cpuset == "user.slice" && clinfo.report.header?.order == 9)
  }

  @Test func readsTheSeparateCpusetLineOf419() throws {
    let found = try #require(try Self.find("corpus/posted/016-vmalloc-4.19.69-x86_64.log").first)
    let header = try #require(found.report.header)
    #expect(header.message == .vmalloc(.partialAllocation(allocated: 8192, requested: 20480)))
    #expect(header.order == nil && header.gfpMask == 0x70_80c0)
    #expect(header.gfpNames == "GFP_KERNEL_ACCOUNT|__GFP_ZERO" && header.nodemask == "(null)")
    #expect(header.cpuset == "/" && header.memsAllowed == "0" && header.layout == .v4_11)
    // netconsole printed `emerge cpuset=`, `/` and ` mems_allowed=0` on lines of their own.
    #expect(found.report.headerLines == [7, 8, 9, 10])
    #expect(
      header.render()
        == "emerge: vmalloc: allocation failure, allocated 8192 of 20480 bytes, "
        + "mode:0x7080c0(GFP_KERNEL_ACCOUNT|__GFP_ZERO), nodemask=(null)\nemerge cpuset=/ mems_allowed=0\n"
    )
    let showMem = try #require(found.report.showMem)
    #expect(
      showMem.lowmemReserves == [[0, 3030, 15777, 15777], [0, 0, 12746, 12746], [0, 0, 0, 0]])
    #expect(showMem.freeAreas.map(\.totalKilobytes) == [15900, 1_115_072, 111_980])
    #expect(
      showMem.freeAreas[1].orders.map(\.count) == [
        6524, 2692, 1125, 775, 368, 193, 64, 37, 21, 195, 127,
      ])
    #expect(showMem.unrecognizedLines.isEmpty)

    let syzkaller = try Self.find("corpus/exact/syzkaller-493.log")
    #expect(syzkaller.map { $0.report.header?.comm } == ["rsyslogd", "syz-executor.1"])
    #expect(syzkaller.map { $0.report.header?.cpuset } == ["/", "syz1"])
    #expect(syzkaller.map { $0.report.header?.memsAllowed } == ["0-1", "0-1"])
    #expect(
      syzkaller.map { $0.report.headerLines } == [[231, 233, 235, 237], [276, 278, 280, 282]])
    #expect(syzkaller[0].report.task?.comm == "rsyslogd" && syzkaller[0].report.taskLineIndex == 4)

    let numa = try #require(try Self.find("corpus/posted/023-vmalloc-4.10.0-x86_64-numa.log").first)
    #expect(numa.report.header?.layout == .v4_11 && numa.report.header?.memsAllowed == "0-1")
    #expect(numa.report.showMem?.nodes.count == 2 && numa.report.showMem?.zones.count == 4)
  }

  @Test func readsTheInterleaved414Header() throws {
    let found = try Self.find("corpus/posted/035-allocfail-4.14.158-mips.log")
    #expect(found[0].report.header == nil && found[0].report.task?.comm == "swapper/0")
    let header = try #require(found[1].report.header)
    #expect(header.comm == "swapper/3" && header.order == 0 && header.gfpMask == 0x108_0020)
    #expect(header.gfpNames == "GFP_ATOMIC" && header.nodemask == "(null)")
    #expect(header.cpuset == "/" && header.memsAllowed == "0" && header.layout == .v4_11)
    #expect(found[1].report.headerLines == [12, 14, 16, 18, 20, 21, 23])
    #expect(found[1].report.trace.first == "Stack : 00000000 00000000")
  }

  @Test func readsHexOnlyMasksOf2639To43() throws {
    let gentoo = try #require(try Self.find("corpus/posted/010-allocfail-3.7.10-x86_64.log").first)
    let header = try #require(gentoo.report.header)
    #expect(header.comm == "DVBRead" && header.order == 4 && header.gfpMask == 0xc0d0)
    #expect(header.gfpNames == nil && header.layout == .v2_6_39)
    #expect(header.render() == "DVBRead: page allocation failure: order:4, mode:0xc0d0\n")
    let task = try #require(gentoo.report.task)
    #expect(task.style == .pid && task.pid == 25561 && task.release == "3.7.10-gentoo")
    let showMem = try #require(gentoo.report.showMem)
    #expect(showMem.zones.map(\.zone) == ["DMA", "DMA32"])
    #expect(showMem.freeAreas.map(\.zone) == ["DMA", "DMA32", "Normal"])
    #expect(showMem.freeAreas.allSatisfy { $0.orders.allSatisfy { $0.migrateTypes == nil } })
    #expect(showMem.unrecognizedLines.count == 15)
    #expect(showMem.pages("shared") == 1_675_869 && showMem.pages("non-shared") == 348_212)
    #expect(gentoo.problems.isEmpty)

    let writeboost = try #require(
      try Self.find("corpus/posted/032-allocfail-3.18.18-x86_64.log").first)
    #expect(writeboost.report.header?.order == 8 && writeboost.report.header?.gfpMask == 0x20_4010)
    #expect(writeboost.report.showMem == nil && writeboost.report.task?.release == "3.18.18+40-ph")

    let syzkaller = try Self.find("corpus/exact/syzkaller-199.log")
    #expect(syzkaller[0].report.header == nil && syzkaller[0].report.task?.comm == "syz-executor5")
    #expect(syzkaller[0].report.showMem?.freeAreas.count == 3)
    let vmalloc = try #require(syzkaller[1].report.header)
    #expect(vmalloc.message == .vmalloc(.allocationFailure(bytes: 17_178_820_608)))
    #expect(vmalloc.order == 0 && vmalloc.gfpMask == 0x240_00c2 && vmalloc.layout == .v4_4)
    #expect(syzkaller[1].report.headerLines == [72, 73])
    #expect(
      syzkaller[1].report.task?.comm == "syz-executor7" && syzkaller[1].report.taskLineIndex == 26)
  }

  @Test func readsThe46VMallocLineBeforeTheHeader() throws {
    let found = try #require(try Self.find("corpus/posted/017-vmalloc-4.6-master-ppc64.log").first)
    let header = try #require(found.report.header)
    #expect(
      header.message
        == .vmalloc(.partialAllocation(allocated: 4_097_114_112, requested: 17_179_934_720)))
    #expect(header.order == 0 && header.gfpNames == "GFP_ATOMIC" && header.layout == .v4_6)
    #expect(found.report.headerLines == [8, 9])
  }

  @Test func readsHardWrappedAndQuotedPrintableReports() throws {
    let mips = try #require(try Self.find("corpus/posted/026-allocfail-6.12.39-mips.log").first)
    let header = try #require(mips.report.header)
    #expect(header.order == 10 && header.gfpMask == 0x40dc0 && header.nodemask == "(null)")
    #expect(header.cpuset == nil && header.layout == .v5_0 && mips.report.headerLines == [7, 8])
    #expect(mips.report.task?.release == "6.12.39" && mips.report.task?.uid == 101)
    let showMem = try #require(mips.report.showMem)
    #expect(showMem.nodes.first?["sec_pagetables"] == 0)
    #expect(showMem.zones.first?["free"] == 45132 && showMem.zones.first?["free_cma"] == 0)
    #expect(showMem.freeAreas.first?.totalKilobytes == 45020)
    #expect(showMem.lines.contains(.freeSwap(kilobytes: 0)))
    let problems = mips.problems.map { "\($0.line):\($0.column): \($0.reason)" }
    #expect(problems.contains("8:1: hard-wrapped: continues line 7"))
    #expect(problems.contains("8:57: quoted-printable '=3D' read as '='"))
    #expect(problems.contains("10:1: hard-wrapped: continues line 9"))
    #expect(problems.filter { $0.contains("quoted-printable") }.count == 4)

    let arm = try #require(try Self.find("corpus/posted/013-vmalloc-6.0.0-rc4-arm64.log").first)
    #expect(arm.report.header?.message == .vmalloc(.vmStructAllocationFailed(size: 16384)))
    #expect(arm.report.headerLines == [10, 11])
    #expect(arm.report.showMem?.freeAreas.first?.orders.last?.count == 343)
    #expect(arm.report.showMem?.hugepages.count == 4)
    #expect(arm.problems.count == 15)
  }

  @Test func separatesInterleavedHeaders() throws {
    let found = try Self.find("corpus/posted/034-allocfail-4.9.0-5-amd64-x86_64.log")
    #expect(found.map { $0.report.header?.comm } == [nil, nil, "swapper/12"])
    #expect(found.map { $0.report.headerLines } == [[7], [8], [11, 13, 14]])
    #expect(found.allSatisfy { $0.report.header?.gfpMask == 0x208_0020 })
    #expect(found[1].report.task?.comm == "swapper/20")
    let problems = found[2].problems.map { "\($0.line):\($0.column): \($0.reason)" }
    #expect(
      problems == [
        "11:18: task name printed apart from its message (interleaved)",
        "13:50: expected ', mode:'",
        "14:18: KERN_CONT fragment of line 13, printed on a line of its own",
        "28:64: no Mem-Info block follows (the log ends, is cut, or show_mem was rate-limited)",
      ])
    let trimmed = try #require(try Self.find("corpus/posted/055-allocfail-unknown-arm64.log").first)
    #expect(trimmed.report.header?.comm == nil && trimmed.kernel == nil)
    #expect(
      trimmed.problems.map(\.reason) == [
        "no task name before the message",
        "no Mem-Info block follows (the log ends, is cut, or show_mem was rate-limited)",
      ])
  }

  @Test func readsTheGroundTruthFieldByField() throws {
    let found = try Self.find("ground-truth/alloc-failure/m512M/dmesg.txt")
    #expect(found.map { $0.report.header?.order } == [10, 10, 3, 0, 10])
    #expect(found.map { $0.report.header?.gfpMask } == [0xa20, 0xa20, 0xa20, 0xa20, 0xcc0])
    #expect(
      found.map { $0.report.header?.gfpNames } == [
        "GFP_ATOMIC", "GFP_ATOMIC", "GFP_ATOMIC", "GFP_ATOMIC", "GFP_KERNEL",
      ])
    #expect(found.map { $0.report.headerLines } == [[367], [436], [499], [560], [620]])
    #expect(found.map(\.lines) == [367...426, 436...491, 499...552, 560...611, 620...677])
    for report in found.map(\.report) {
      #expect(report.header?.cpuset == "/" && report.header?.memsAllowed == "0")
      #expect(report.task?.build == "#1  Debian 6.1.192-2")
      #expect(report.showMem?.zones.map(\.zone) == ["DMA", "DMA32"])
      #expect(report.showMem?.pages("RAM") == 130_942)
    }
  }

  // MARK: - Render and parse

  /// Re-reading a report's rendering gives the same report, damaged sources included.
  @Test(arguments: logs)
  func everyReportRoundTrips(file: URL) throws {
    let name = Fixtures.relativePath(file)
    for found in AllocFailureReport.findAll(in: try Fixtures.text(of: file), file: name) {
      let again = AllocFailureReport.findAll(
        in: found.report.render(), kernel: found.kernel, stripsPrefixes: false)
      #expect(again.count == 1, "\(name):\(found.lines)")
      guard let reread = again.first?.report else { continue }
      #expect(Self.unsourced(reread) == Self.unsourced(found.report), "\(name):\(found.lines)")
      #expect(reread.headerLines.count == (found.report.header?.render().count { $0 == "\n" } ?? 0))
    }
  }

  /// The machine-generated reports are undamaged: no problems, and the rendering is the source
  /// lines byte for byte.
  @Test(arguments: groundTruth)
  func groundTruthRendersByteForByte(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let lines = try Fixtures.lines(of: file)
    for found in AllocFailureReport.findAll(in: try Fixtures.text(of: file), file: name) {
      #expect(found.problems.isEmpty, "\(name): \(found.problems)")
      let source = DmesgLine.messages(of: found.lines.map { lines[$0 - 1] }.joined(separator: "\n"))
      let rendered = found.report.render()
      #expect(rendered == source.joined(separator: "\n") + "\n", "\(name):\(found.lines)")
      let strict = try AllocFailureReport(parsing: rendered, file: name)
      #expect(Self.unsourced(strict) == Self.unsourced(found.report))
    }
  }

  @Test func strictParsingRejectsWhatIsNotOneReport() throws {
    #expect(
      throws: TextParseError(
        file: "report", line: 1, column: 1, reason: "expected a warn_alloc header")
    ) {
      try AllocFailureReport(parsing: "Call Trace:\n dump_stack+0x1/0x2\n")
    }
    let one = "a: page allocation failure: order:1, mode:0x820(GFP_ATOMIC), nodemask=(null)\n"
    #expect(
      throws: TextParseError(
        file: "report", line: 2, column: 1, reason: "unexpected text after the report")
    ) {
      try AllocFailureReport(parsing: one + one)
    }
    #expect(
      throws: TextParseError(
        file: "report", line: 1, column: 1, reason: "no task name before the message")
    ) {
      try AllocFailureReport(parsing: "page allocation failure: order:1, mode:0x820(GFP_ATOMIC)\n")
    }
    let report = try AllocFailureReport(parsing: one + "Call Trace:\n")
    #expect(report.trace == ["Call Trace:"] && report.showMem == nil && report.headerLines == [1])
  }

  // MARK: - Consistency

  /// Free-block lines whose terms do not add up to their total, as posted (none so far: every
  /// one in the corpus adds up, wrapped and fragmented ones included).
  static let knownBadSums: [String: String] = [:]

  @Test(arguments: logs)
  func everyFreeBlockLineAddsUp(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let text = try Fixtures.text(of: file)
    let areas =
      AllocFailureReport.findAll(in: text, file: name).compactMap(\.report.showMem)
      .flatMap(\.freeAreas) + ShowMem.findAll(in: text, file: name).flatMap(\.showMem.freeAreas)
    for area in areas {
      let key = "\(name) \(area.node.map { "Node \($0) " } ?? "")\(area.zone)"
      if let issue = Self.knownBadSums[key] {
        withKnownIssue(Comment(rawValue: issue)) {
          #expect(area.termsKilobytes == area.totalKilobytes, "\(key)")
        }
      } else {
        #expect(area.termsKilobytes == area.totalKilobytes, "\(key)")
      }
    }
  }

  /// Self-contradictions found in the posted logs, by file.
  static let knownContradictions: [String: String] = [
    "corpus/exact/seed-csky-4.9.56-order10-atomic.log":
      "lines 7/8: the header names task 'xxxx' and the CPU line 'AiApp' (the seed's author redacted the header)",
    "corpus/posted/010-allocfail-3.7.10-x86_64.log":
      "line 58: a third lowmem_reserve[] line with no zone line before it (the Normal zone line is missing from the paste)",
  ]

  /// Each report agrees with itself: the header and the CPU line name one task, and every
  /// `lowmem_reserve[]` line follows a zone line.
  @Test(arguments: logs)
  func reportsAgreeWithThemselves(file: URL) throws {
    let name = Fixtures.relativePath(file)
    for found in AllocFailureReport.findAll(in: try Fixtures.text(of: file), file: name) {
      let report = found.report
      var consistent = true
      if let comm = report.header?.comm, let task = report.task, task.comm != comm {
        consistent = false
      }
      if let lines = report.showMem?.lines {
        for (index, line) in lines.enumerated() {
          guard case .lowmemReserve = line else { continue }
          if index == 0 {
            consistent = false
          } else if case .zone = lines[index - 1] {
          } else {
            consistent = false
          }
        }
      }
      if let issue = Self.knownContradictions[name] {
        withKnownIssue(Comment(rawValue: issue)) { #expect(consistent, "\(name):\(found.lines)") }
      } else {
        #expect(consistent, "\(name):\(found.lines)")
      }
    }
  }

  /// The report without where it was read from.
  static func unsourced(_ report: AllocFailureReport) -> AllocFailureReport {
    var report = report
    report.headerLines = []
    return report
  }
}
