import MMCore
import Testing

/// `select_bad_process()` (oom.md §2).
struct OOMSelectionTests {
  static let totalPages = 100_000

  static func task(_ pid: Int, rss: Int, adj: Int = 0) -> OOMTask {
    OOMTask(pid: pid, comm: "t\(pid)", rssAnonPages: rss, oomScoreAdj: adj)
  }

  @Test func highestBadnessWinsAndTheNextIsRunnerUp() {
    let tasks = [Self.task(10, rss: 500), Self.task(11, rss: 900), Self.task(12, rss: 700)]
    let selection = OOMSelection(
      selectingFrom: tasks, totalPages: Self.totalPages, version: KernelVersion(6, 1))
    #expect(
      selection
        == .victim(
          .init(task: tasks[1], points: 900), runnerUp: .init(task: tasks[2], points: 700)))
  }

  /// 5.9+ keeps a later task with equal points; earlier kernels keep the first leader.
  @Test(arguments: [(KernelVersion(6, 1), 21, 20), (KernelVersion(5, 8), 20, 21)])
  func tiesGoToTheLaterTaskFrom59(version: KernelVersion, victim: Int, runnerUp: Int) {
    let tasks = [Self.task(20, rss: 800), Self.task(21, rss: 800)]
    let selection = OOMSelection(
      selectingFrom: tasks, totalPages: Self.totalPages, version: version)
    guard case .victim(let chosen, let second) = selection else {
      Issue.record("no victim: \(selection)")
      return
    }
    #expect(chosen.task.pid == victim)
    #expect(second?.task.pid == runnerUp)
  }

  @Test func adjCanOutweighSize() {
    let tasks = [Self.task(30, rss: 30000, adj: -500), Self.task(31, rss: 1000, adj: 100)]
    let selection = OOMSelection(
      selectingFrom: tasks, totalPages: Self.totalPages, version: KernelVersion(6, 1))
    #expect(selection.victim?.task.pid == 31)
    #expect(selection.victim?.points == 1000 + 100 * 100)
  }

  @Test func unkillableTasksAreNeverChosen() {
    var protected = Self.task(40, rss: 90000, adj: -1000)
    var kthread = Self.task(41, rss: 90000)
    kthread.isKernelThread = true
    var initTask = Self.task(1, rss: 90000)
    initTask.isGlobalInit = true
    let small = Self.task(42, rss: 10)
    let selection = OOMSelection(
      selectingFrom: [initTask, protected, kthread, small], totalPages: Self.totalPages,
      version: KernelVersion(6, 1))
    #expect(selection == .victim(.init(task: small, points: 10), runnerUp: nil))
    protected.oomScoreAdj = -999
    #expect(
      OOMSelection(
        selectingFrom: [protected, small], totalPages: Self.totalPages,
        version: KernelVersion(6, 1)
      ).victim?.task.pid == 42)
  }

  @Test func aLiveVictimAbortsTheSelection() {
    var victim = Self.task(50, rss: 10)
    victim.isOOMVictim = true
    let selection = OOMSelection(
      selectingFrom: [Self.task(51, rss: 9000), victim], totalPages: Self.totalPages,
      version: KernelVersion(6, 1))
    #expect(selection == .waitingForVictim(victim))
    #expect(selection.victim == nil)
  }

  @Test func aReapedVictimIsPassedOver() {
    var reaped = Self.task(60, rss: 0)
    reaped.isOOMVictim = true
    reaped.isOOMSkipped = true
    let selection = OOMSelection(
      selectingFrom: [reaped, Self.task(61, rss: 300)], totalPages: Self.totalPages,
      version: KernelVersion(6, 1))
    #expect(selection.victim?.task.pid == 61)
  }

  @Test func onlyProtectedTasksLeaveNothingKillable() {
    let selection = OOMSelection(
      selectingFrom: [Self.task(70, rss: 500, adj: -1000)], totalPages: Self.totalPages,
      version: KernelVersion(6, 1))
    #expect(selection == .nothingKillable)
  }

  /// 5.9+ starts from LONG_MIN, so a task with negative badness is still chosen.
  @Test func negativeBadnessIsStillChosenFrom59() {
    let selection = OOMSelection(
      selectingFrom: [Self.task(80, rss: 100, adj: -900)], totalPages: Self.totalPages,
      version: KernelVersion(6, 1))
    #expect(selection.victim?.points == 100 - 900 * 100)
  }
}
