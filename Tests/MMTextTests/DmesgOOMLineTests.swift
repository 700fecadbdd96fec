import Foundation
import MMCore
import MMText
import Testing

/// Each historical shape of the OOM report's lines parses into its values and renders back
/// byte for byte.
struct DmesgOOMLineTests {
  static let v2_6_16 = """
    oom-killer: gfp_mask=0x201d2, order=0
    Out of memory: kill process 19735 (VBoxSVC) score 2136105 or a child
    Killed process 19776 (VirtualBox)

    """

  static let rhel6 = """
    dsm invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0
    dsm cpuset=/ mems_allowed=0-1
    [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name
    [  624]     0   624     2763        0   1     -17         -1000 udevd
    [20557]   188 20557  2140125     3183  12       0             0 haproxy
    Out of memory: Kill process 20557 (haproxy) score 133 or sacrifice child
    Killed process 20557, UID 188, (haproxy) total-vm:8560500kB, anon-rss:12468kB, file-rss:264kB

    """

  static let v4_14 = """
    a b invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null),  order=0, oom_score_adj=0
    a b cpuset=/ mems_allowed=0
    [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name
    [  153]     0   153     4087      406       9       3      104         -1000 udevd
    [  181]     0   181     5718     1169      15       3      143             0 Web Content
    Out of memory: Kill process 181 (Web Content) score 6 or sacrifice child
    Killed process 181 (Web Content) total-vm:22872kB, anon-rss:4000kB, file-rss:676kB, shmem-rss:0kB
    oom_reaper: reaped process 181 (Web Content), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB

    """

  static let memcgV1 = """
    leaker invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=0-1, order=0, oom_score_adj=0
    leaker cpuset=/ mems_allowed=0-1
    Task in /leaker killed as a result of limit of /leaker
    memory: usage 524288kB, limit 524288kB, failcnt 158965
    memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0
    kmem: usage 2016kB, limit 9007199254740988kB, failcnt 0
    Memory cgroup stats for /leaker: cache:844KB rss:521136KB swap:0KB
    [ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
    [ 2746]     0  2746   134176   130294  1060864        0             0 leaker
    Memory cgroup out of memory: Kill process 2746 (leaker) score 998 or sacrifice child
    Killed process 2746 (leaker) total-vm:536704kB, anon-rss:521176kB, file-rss:1208kB, shmem-rss:0kB
    oom_reaper: unable to reap pid:2746 (leaker)

    """

  static let memcgV2 = """
    hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
    memory: usage 65536kB, limit 65536kB, failcnt 21
    swap: usage 0kB, limit 9007199254740988kB, failcnt 0
    Memory cgroup stats for /t3:
    anon 66916352
    file 4096
    Tasks state (memory values in pages):
    [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
    [    339]     0   339     5388     5243    86016        0             0 t3a
    [    363]     0   363    11532    11315   126976        0             0 hog
    oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/t3,task_memcg=/t3,task=hog,pid=363,uid=0
    Memory cgroup out of memory: Killed process 363 (hog) total-vm:46128kB, anon-rss:44556kB, file-rss:4kB, shmem-rss:700kB, UID:0 pgtables:124kB oom_score_adj:0
    Tasks in /t3 are going to be killed due to memory.oom.group set
    Memory cgroup out of memory: Killed process 339 (t3a) total-vm:21552kB, anon-rss:20268kB, file-rss:4kB, shmem-rss:700kB, UID:0 pgtables:84kB oom_score_adj:0

    """

  static let v6_8 = """
    colmap invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=200
    Tasks state (memory values in pages):
    [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name
    [  43056]  1000 43056  7511161  3403343  3388364    14371       608 32583680   518157           200 colmap
    oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=colmap,pid=43056,uid=1000
    Out of memory: Killed process 43056 (colmap) total-vm:30044644kB, anon-rss:13553456kB, file-rss:57484kB, shmem-rss:2432kB, UID:1000 pgtables:31820kB oom_score_adj:200

    """

  static let deadlocked = """
    init invoked oom-killer: gfp_mask=0x0(), order=-1, oom_score_adj=0
    Out of memory and no killable processes...
    Kernel panic - not syncing: System is deadlocked on memory

    """

  static let exiting = """
    hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
    Memory cgroup out of memory: OOM victim 339 (t3a) is already exiting. Skip killing the task

    """

  @Test(
    arguments: [v2_6_16, rhel6, v4_14, memcgV1, memcgV2, v6_8, deadlocked, exiting])
  func rendersAsParsed(text: String) throws {
    let report = try OOMReport(parsing: text)
    #expect(report.render() == text)
    #expect(report.isComplete)
    #expect(report.lines.allSatisfy { if case .text = $0 { false } else { true } })
    #expect(report.entries.map(\.sourceLine) == Array(1...report.entries.count))
  }

  @Test func readsTheOldestShapes() throws {
    let old = try OOMReport(parsing: Self.v2_6_16)
    #expect(old.header == OOMHeader(comm: nil, fields: [.gfpMask(0x201d2, names: nil), .order(0)]))
    #expect(
      old.selection
        == OOMKillProcessLine(
          message: "Out of memory", orAChild: true, pid: 19735, comm: "VBoxSVC", score: 2_136_105))
    #expect(old.killed == OOMKilledProcess(message: nil, pid: 19776, comm: "VirtualBox"))
    #expect(old.victim?.pid == 19776 && old.victimRow == nil)

    let rhel = try OOMReport(parsing: Self.rhel6)
    #expect(
      rhel.header?.fields == [
        .gfpMask(0x201da, names: nil), .order(0), .oomAdj(0), .oomScoreAdj(0),
      ])
    #expect(rhel.cpuset == OOMCpusetLine(comm: "dsm", cpuset: "/", memsAllowed: "0-1"))
    #expect(rhel.taskTableLayout == .cpuOOMAdj)
    #expect(rhel.tasks[0]["oom_adj"] == -17 && rhel.tasks[0].oomScoreAdj == -1000)
    #expect(rhel.killed?.uidBeforeComm == 188 && rhel.killed?.fileRSSKilobytes == 264)
    #expect(rhel.killed?.shmemRSSKilobytes == nil && rhel.victimRow?.rss == 3183)
  }

  @Test func readsThe414NodemaskAndPmdColumns() throws {
    let report = try OOMReport(parsing: Self.v4_14)
    #expect(report.header?.comm == "a b" && report.header?.nodemask == "(null)")
    #expect(report.header?.fields[1] == .nodemask("(null)", wide: true))
    #expect(report.header?.gfpNames == "GFP_HIGHUSER_MOVABLE" && report.header?.order == 0)
    #expect(report.taskTableLayout == .nrPtesPmds)
    let row = try #require(report.victimRow)
    #expect(row.name == "Web Content" && row.nrPtes == 15 && row["nr_pmds"] == 3)
    #expect(row.swapents == 143 && row.totalVM == 5718)
    #expect(
      report.reaper == [
        .reaped(
          pid: 181, comm: "Web Content", anonRSSKilobytes: 0, fileRSSKilobytes: 0,
          shmemRSSKilobytes: 0)
      ])
  }

  @Test func readsTheMemcgForms() throws {
    let v1 = try OOMReport(parsing: Self.memcgV1)
    #expect(v1.isMemcg && v1.header?.nodemask == "0-1")
    #expect(v1.memcg.first == .taskIn(task: "/leaker", limit: "/leaker"))
    #expect(
      v1.memcgCounter("memory+swap")
        == MemcgCounter(
          name: "memory+swap", usageKilobytes: 0, limitKilobytes: 9_007_199_254_740_988,
          failcnt: 0))
    #expect(v1.memcgCounter("kmem")?.usageKilobytes == 2016)
    #expect(
      v1.memcg.contains(
        .stats(
          path: "/leaker",
          items: [
            MemcgStatItem(name: "cache", value: 844), MemcgStatItem(name: "rss", value: 521_136),
            MemcgStatItem(name: "swap", value: 0),
          ])))
    #expect(v1.taskTableLayout == .pgtablesBytes && v1.tasks.first?.pgtablesBytes == 1_060_864)
    #expect(v1.selection?.message == "Memory cgroup out of memory" && v1.selection?.score == 998)
    #expect(v1.reaper == [.unableToReap(pid: 2746, comm: "leaker")])

    let v2 = try OOMReport(parsing: Self.memcgV2)
    #expect(v2.memcgCounter("swap")?.limitKilobytes == 9_007_199_254_740_988)
    #expect(
      v2.memcg.suffix(3) == [
        .stats(path: "/t3", items: nil), .stat(NamedValue(name: "anon", value: 66_916_352)),
        .stat(NamedValue(name: "file", value: 4096)),
      ])
    #expect(v2.summary?.oomMemcg == "/t3" && v2.summary?.constraint == "CONSTRAINT_MEMCG")
    #expect(v2.lines.contains(.oomGroup(path: "/t3")))
    #expect(v2.killed?.pid == 363 && v2.victimRow?.name == "hog")
    let kills = v2.lines.compactMap { if case .killed(let k) = $0 { k.pid } else { nil } }
    #expect(kills == [363, 339])
  }

  @Test func readsThe68RssColumnsAndSummary() throws {
    let report = try OOMReport(parsing: Self.v6_8)
    #expect(report.taskTableLayout == .rssSplit)
    let row = try #require(report.victimRow)
    #expect(row.rssAnon == 3_388_364 && row.rssFile == 14371 && row.rssShmem == 608)
    #expect(row.pgtablesBytes == 32_583_680 && row.swapents == 518_157 && row.uid == 1000)
    #expect(
      report.summary
        == OOMKillSummary(
          constraint: "CONSTRAINT_NONE", nodemask: "(null)", cpuset: "/", memsAllowed: "0",
          oomMemcg: nil, taskMemcg: "/user.slice", task: "colmap", pid: 43056, uid: 1000))
    let killed = try #require(report.killed)
    #expect(killed.message == "Out of memory" && killed.uid == 1000)
    #expect(killed.pgtablesKilobytes == 31820 && killed.oomScoreAdj == 200)
    #expect(killed.anonRSSKilobytes == 13_553_456 && killed.shmemRSSKilobytes == 2432)
  }

  @Test func readsAVictimAlreadyExiting() throws {
    let report = try OOMReport(parsing: Self.exiting)
    #expect(
      report.lines.last
        == .victimExiting(message: "Memory cgroup out of memory", pid: 339, comm: "t3a"))
    #expect(report.victimWasExiting && report.killed == nil && report.victim == nil)
  }

  @Test func readsTheDeadlockPanic() throws {
    let report = try OOMReport(parsing: Self.deadlocked)
    #expect(
      report.header?.gfpMask == 0 && report.header?.gfpNames == "" && report.header?.order == -1)
    #expect(report.summary == nil)
    #expect(report.foundNoKillableProcess && report.killed == nil && report.victim == nil)
    #expect(report.panic == OOMPanic(reason: "System is deadlocked on memory"))
    #expect(report.panic?.isPanicOnOOM == false)
  }

  // MARK: - Per kernel version

  @Test func headerAndTableFollowTheRelease() throws {
    func header(_ release: String) throws -> String {
      OOMHeader(
        kernel: try KernelVersion(parsing: release), comm: "a", gfpMask: 0xcc0, order: 1,
        oomScoreAdj: -5
      ).render()
    }
    #expect(try header("2.6.31") == "a invoked oom-killer: gfp_mask=0xcc0, order=1, oomkilladj=-5")
    #expect(
      try header("3.2.21")
        == "a invoked oom-killer: gfp_mask=0xcc0, order=1, oom_adj=0, oom_score_adj=-5")
    #expect(
      try header("4.4.0") == "a invoked oom-killer: gfp_mask=0xcc0, order=1, oom_score_adj=-5")
    #expect(try header("4.14.0").hasSuffix("), nodemask=(null),  order=1, oom_score_adj=-5"))
    #expect(try header("4.20.0").hasSuffix("), nodemask=(null), order=1, oom_score_adj=-5"))
    #expect(
      try header("6.1.0")
        == "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=1, oom_score_adj=-5")
    let layouts = try ["3.2.21", "3.10.0", "4.7.0", "4.18.0", "6.1.0", "6.8.0"].map {
      OOMTaskTableLayout(kernel: try KernelVersion(parsing: $0))
    }
    #expect(layouts == [.cpuOOMAdj, .nrPtes, .nrPtesPmds, .pgtablesBytes, .widePid, .rssSplit])
  }

  // MARK: - Damage

  @Test func strictParsingRejectsWhatIsNotOneReport() {
    #expect(
      throws: TextParseError(file: "report", line: 1, column: 1, reason: "expected an OOM report")
    ) {
      try OOMReport(parsing: "Call Trace:\n dump_stack+0x1/0x2\n")
    }
    #expect(
      throws: TextParseError(
        file: "report", line: 4, column: 1, reason: "unexpected text after the report")
    ) {
      try OOMReport(parsing: Self.v2_6_16 + Self.v2_6_16)
    }
  }

  /// A report cut after any of its lines still yields what it has, marked incomplete until the
  /// kill line is in.
  @Test(arguments: [rhel6, v4_14, memcgV1, memcgV2, v6_8])
  func cutReportsKeepWhatTheyHave(text: String) {
    let lines = text.split(separator: "\n")
    let kill = lines.firstIndex { $0.contains("Killed process") } ?? lines.count
    for count in 1..<lines.count {
      let cut = lines.prefix(count).joined(separator: "\n") + "\n"
      let found = OOMReport.findAll(in: cut)
      #expect(found.count == 1, "\(count) lines")
      guard let report = found.first?.report else { continue }
      #expect(report.entries.count == count)
      #expect(report.isComplete == (count > kill), "\(count) lines")
      #expect(found.first?.problems.isEmpty == (count > kill), "\(count) lines")
    }
  }

  /// Lines that end right after a field's key (a hard wrap, trailing blanks) are damage, not a
  /// crash: a task row without a name, a memcg line without its limit's path.
  @Test(arguments: [
    "[    339]     0   339     5388     5243    86016        0             0   ",
    "Task in /x killed as a result of limit of ",
  ])
  func linesCutAfterAKeyAreDamage(line: String) {
    let log = Self.memcgV2.replacingOccurrences(
      of: "[    339]     0   339     5388     5243    86016        0             0 t3a", with: line)
    let found = OOMReport.findAll(in: log)
    #expect(found.count == 1)
    #expect(found.first?.problems.isEmpty == false)
  }

  /// Damaged lines are kept as text with a problem, and garbage never crashes the reader.
  @Test func damagedLinesStayAsText() throws {
    let damaged = Self.v6_8.replacingOccurrences(of: "anon-rss:13553456kB", with: "anon-rss:xkB")
    let found = try #require(OOMReport.findAll(in: damaged).first)
    #expect(found.report.killed == nil && !found.report.isComplete)
    #expect(found.problems.map(\.reason).contains("expected a number"))
    #expect(found.report.render() == damaged)

    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let alphabet = Array("[]():=,- 0123456789abkBinvoked oom-killer:Killed process\n".utf8)
    for _ in 0..<200 {
      var bytes: [UInt8] = []
      for _ in 0..<200 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes.append(alphabet[Int(state >> 33) % alphabet.count])
      }
      for found in OOMReport.findAll(in: String(decoding: bytes, as: UTF8.self)) {
        let again = OOMReport.findAll(in: found.report.render(), stripsPrefixes: false)
        #expect(again.map(\.report.withoutSourceLines) == [found.report.withoutSourceLines])
      }
    }
  }
}
