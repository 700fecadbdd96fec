import MMCore
import Testing

/// `oom_badness()` and `/proc/PID/oom_score` per kernel version (oom.md §1, §5), with the
/// numbers of the 6.1 ground truth's holders where they apply.
struct OOMBadnessTests {
  static let v3_10 = KernelVersion(3, 10)
  static let v4_16 = KernelVersion(4, 16)
  static let v4_17 = KernelVersion(4, 17)
  static let v5_8 = KernelVersion(5, 8)
  static let v6_1 = KernelVersion(6, 1)

  /// holder1 of `oom-victim/default`: 92780 kB resident, 216 kB page tables, adj 500, on a
  /// 431552 kB machine without swap (107888 pages).
  static let holder1 = OOMTask(
    pid: 253, comm: "holder1", rssAnonPages: 23019, rssFilePages: 1, rssShmemPages: 175,
    pageTableBytes: 216 * 1024, oomScoreAdj: 500)
  static let totalPages = 107_888

  @Test func holder1ScoresAsOn61() {
    let points = OOMBadness.points(
      of: Self.holder1, totalPages: Self.totalPages, version: Self.v6_1)
    #expect(points == 23195 + 54 + 500 * 107)
    #expect(
      OOMBadness.oomScore(badness: points, totalPages: Self.totalPages, version: Self.v6_1) == 1140)
  }

  @Test func negativeAdjCanMakeBadnessNegativeFrom59() {
    var holder2 = Self.holder1
    holder2.rssAnonPages = 30675
    holder2.pageTableBytes = 284 * 1024
    holder2.oomScoreAdj = -500
    let points = OOMBadness.points(of: holder2, totalPages: Self.totalPages, version: Self.v6_1)
    #expect(points == 30922 - 53500)
    #expect(
      OOMBadness.oomScore(of: holder2, totalPages: Self.totalPages, version: Self.v6_1) == 527)
    // Before 5.9 a killable task's badness is at least 1.
    #expect(OOMBadness.points(of: holder2, totalPages: Self.totalPages, version: Self.v5_8) == 1)
    #expect(OOMBadness.oomScore(of: holder2, totalPages: Self.totalPages, version: Self.v5_8) == 0)
  }

  @Test(arguments: [
    KernelVersion(3, 10), KernelVersion(4, 9), KernelVersion(5, 8), KernelVersion(6, 1),
  ])
  func adjMinus1000IsUnkillableAndScoresZero(version: KernelVersion) {
    var task = Self.holder1
    task.oomScoreAdj = -1000
    #expect(OOMBadness.points(of: task, totalPages: Self.totalPages, version: version) == nil)
    #expect(OOMBadness.oomScore(of: task, totalPages: Self.totalPages, version: version) == 0)
  }

  @Test(arguments: [
    OOMTask(pid: 2, comm: "kthreadd", isKernelThread: true),
    OOMTask(pid: 1, comm: "init", rssAnonPages: 500, isGlobalInit: true),
    OOMTask(pid: 40, comm: "zombie", hasExitedMM: true),
    OOMTask(pid: 41, comm: "reaped", rssFilePages: 9, isOOMVictim: true, isOOMSkipped: true),
  ])
  func unkillableTasksHaveNoBadness(task: OOMTask) {
    #expect(OOMBadness.isUnkillable(task))
    #expect(OOMBadness.points(of: task, totalPages: 100_000, version: Self.v6_1) == nil)
    #expect(OOMBadness.oomScore(of: task, totalPages: 100_000, version: Self.v6_1) == 0)
  }

  /// 10000 pages of rss, adj 0, root: 3 % off the points in 3.14–4.16, nothing from 4.17;
  /// before 3.14 the discount is 30 adj units (30 × 100 pages here).
  @Test(arguments: [
    (KernelVersion(3, 10), true, 7000), (KernelVersion(3, 10), false, 10000),
    (KernelVersion(3, 13), true, 7000), (KernelVersion(3, 14), true, 9700),
    (KernelVersion(4, 9), true, 9700), (KernelVersion(4, 16), true, 9700),
    (KernelVersion(4, 16), false, 10000), (KernelVersion(4, 17), true, 10000),
    (KernelVersion(6, 1), true, 10000),
  ])
  func rootDiscountBefore417(version: KernelVersion, root: Bool, expected: Int) {
    let task = OOMTask(pid: 9, comm: "root", rssAnonPages: 10000, hasSysAdminCapability: root)
    #expect(OOMBadness.points(of: task, totalPages: 100_000, version: version) == expected)
  }

  @Test func unknownCapabilityCountsAsUnprivileged() {
    let task = OOMTask(pid: 9, comm: "x", rssAnonPages: 10000, hasSysAdminCapability: nil)
    #expect(OOMBadness.points(of: task, totalPages: 100_000, version: Self.v4_16) == 10000)
  }

  /// The adj is worth adj × (totalpages / 1000) pages, divided first: nothing below 1000.
  @Test(arguments: [(999, 100), (1000, 600), (1999, 600), (2000, 1100), (107_888, 53600)])
  func adjScalesWithTotalPagesDividedFirst(totalPages: Int, expected: Int) {
    let task = OOMTask(pid: 9, comm: "x", rssAnonPages: 100, oomScoreAdj: 500)
    #expect(OOMBadness.points(of: task, totalPages: totalPages, version: Self.v6_1) == expected)
  }

  @Test func pageTablesAndSwapCountInWholePages() {
    let task = OOMTask(
      pid: 9, comm: "x", rssFilePages: 10, swapEntries: 7, pageTableBytes: 3 * 4096 + 4095)
    #expect(OOMBadness.points(of: task, totalPages: 100_000, version: Self.v6_1) == 10 + 7 + 3)
    #expect(
      OOMBadness.points(of: task, totalPages: 100_000, version: Self.v6_1, pageSize: 16384) == 17)
  }

  /// ≤ 5.8 prints badness per mille of totalpages; 5.9+ maps −1000…1000 ‰ to 0…1333 and
  /// beyond.
  @Test(arguments: [
    (KernelVersion(5, 8), 500, 1000, 500), (KernelVersion(5, 8), 1, 100_000, 0),
    (KernelVersion(5, 8), 150_000, 100_000, 1500), (KernelVersion(6, 1), 1, 100_000, 666),
    (KernelVersion(6, 1), 100_000, 100_000, 1333), (KernelVersion(6, 1), -100_000, 100_000, 0),
    (KernelVersion(6, 1), -22578, 107_888, 527), (KernelVersion(5, 9), 50_000, 100_000, 1000),
  ])
  func oomScoreFormulaPerVersion(version: KernelVersion, badness: Int, totalPages: Int, score: Int)
  {
    #expect(
      OOMBadness.oomScore(badness: badness, totalPages: totalPages, version: version) == score)
  }

  @Test(arguments: [KernelVersion(4, 9), KernelVersion(6, 1)])
  func unkillableScoresZeroInEveryEra(version: KernelVersion) {
    #expect(OOMBadness.oomScore(badness: nil, totalPages: 100_000, version: version) == 0)
  }

  /// Absurd values from a crafted capture wrap as the kernel's long arithmetic would, and
  /// never trap.
  @Test func absurdCapturedValuesDoNotTrap() {
    let task = OOMTask(
      pid: 9, comm: "x", rssAnonPages: Int.max / 2, rssFilePages: Int.max / 2,
      rssShmemPages: Int.max / 2, swapEntries: Int.max, oomScoreAdj: 1000)
    let points = OOMBadness.points(of: task, totalPages: Int.max, version: KernelVersion(6, 1))
    #expect(points != nil)
    _ = OOMBadness.oomScore(of: task, totalPages: 1, version: KernelVersion(4, 9))
    _ = OvercommitFormulas.commitLimitPages(
      totalRAMPages: Int.max, hugetlbPages: -1, totalSwapPages: Int.max,
      settings: OvercommitSettings(
        ratio: Int.max, adminReserveKbytes: 0, userReserveKbytes: 0),
      version: KernelVersion(6, 1))
  }
}
