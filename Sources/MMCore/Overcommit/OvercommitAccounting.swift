/// A machine's commit accounting: its page counts, the overcommit sysctls and
/// `vm_committed_as`, and the decision every new commitment goes through.
///
/// `vmEnoughMemory(pages:task:cpu:)` is what `mmap`, `brk` and the other accounted paths call;
/// `decision(pages:task:)` answers the same question without changing the counter.
///
/// Kernel: `__vm_enough_memory()`, `vm_acct_memory()`, `vm_unacct_memory()` in `mm/util.c`
/// (show-mem-meminfo-overcommit.md §4).
public struct OvercommitAccounting: Hashable, Sendable {
  /// The rules of this release.
  public var version: KernelVersion
  /// The sysctls in force.
  public var settings: OvercommitSettings
  /// The machine's page counts.
  public var memory: CommitMemory
  /// `vm_committed_as`.
  public var committed: CommittedCounter
  /// `PAGE_SHIFT`.
  public var pageShift: Int

  /// Creates the accounting of a machine.
  public init(
    version: KernelVersion, settings: OvercommitSettings, memory: CommitMemory,
    committed: CommittedCounter, pageShift: Int = 12
  ) {
    self.version = version
    self.settings = settings
    self.memory = memory
    self.committed = committed
    self.pageShift = pageShift
  }

  /// Who asks: the capability that spares the admin reserve, and the size of its mm.
  public struct Task: Hashable, Sendable {
    /// Whether the task has `CAP_SYS_ADMIN` (normally root).
    public var capSysAdmin: Bool
    /// `mm->total_vm` in pages, or `nil` for a request without an mm (kernel threads).
    public var totalVMPages: Int?

    /// Creates a task.
    public init(capSysAdmin: Bool, totalVMPages: Int?) {
      self.capSysAdmin = capSysAdmin
      self.totalVMPages = totalVMPages
    }
  }

  /// CommitLimit in pages (``OvercommitFormulas/commitLimitPages(totalRAMPages:hugetlbPages:totalSwapPages:settings:version:pageShift:)``).
  public var commitLimitPages: Int {
    OvercommitFormulas.commitLimitPages(
      totalRAMPages: memory.totalRAMPages, hugetlbPages: memory.hugetlbPages,
      totalSwapPages: memory.totalSwapPages, settings: settings, version: version,
      pageShift: pageShift)
  }

  /// Accounts `pages` to `vm_committed_as` on `cpu`, decides, and takes them back off when
  /// the request is refused.
  ///
  /// - Throws: ``OvercommitError/negativeRequest(pages:)``,
  ///   ``OvercommitError/noSuchCPU(_:cpus:)``.
  public mutating func vmEnoughMemory(pages: Int, task: Task, cpu: Int = 0)
    throws(OvercommitError) -> OvercommitDecision
  {
    guard pages >= 0 else { throw .negativeRequest(pages: pages) }
    try committed.add(pages, cpu: cpu)
    let decision = decide(pages: pages, task: task)
    if !decision.granted { try committed.add(-pages, cpu: cpu) }
    return decision
  }

  /// Whether a request of `pages` by `task` on cpu 0 would be granted now; the counter is left
  /// as it is.
  ///
  /// - Throws: ``OvercommitError/negativeRequest(pages:)``.
  public func decision(pages: Int, task: Task) throws(OvercommitError) -> OvercommitDecision {
    var copy = self
    return try copy.vmEnoughMemory(pages: pages, task: task)
  }

  /// Takes `pages` back off `vm_committed_as` (an unmap, a shrink, an exit).
  ///
  /// Kernel: `vm_unacct_memory()`.
  ///
  /// - Throws: ``OvercommitError/noSuchCPU(_:cpus:)``.
  public mutating func unaccount(pages: Int, cpu: Int = 0) throws(OvercommitError) {
    try committed.add(-pages, cpu: cpu)
  }

  /// The largest request `task` is granted now, found as a prober would, by bisection over
  /// requests up to `ceiling` pages; `nil` when even the ceiling is granted.
  ///
  /// The counter is left as it is (each probe is accounted and taken off again).
  public func largestGrantedRequest(task: Task, ceiling: Int) -> Int? {
    func granted(_ pages: Int) -> Bool {
      (try? decision(pages: pages, task: task).granted) ?? false
    }
    if granted(ceiling) { return nil }
    var low = 0
    var high = ceiling
    while high - low > 1 {
      let middle = low + (high - low) / 2
      if granted(middle) { low = middle } else { high = middle }
    }
    return low
  }

  /// The branch of `__vm_enough_memory()` for the mode in force, after the request was added.
  private func decide(pages: Int, task: Task) -> OvercommitDecision {
    let rules = OvercommitRules(version)
    switch settings.mode {
    case .always:
      return OvercommitDecision(pages: pages, granted: true, test: .always)
    case .guess where rules.guessChecksSingleRequest:
      let limit = memory.totalRAMPages + memory.totalSwapPages
      return OvercommitDecision(
        pages: pages, granted: pages <= limit, test: .singleRequest(limitPages: limit))
    case .guess:
      let free = estimatedFreePages(task: task, rules: rules)
      return OvercommitDecision(
        pages: pages, granted: free > pages, test: .estimatedFree(freePages: free))
    case .never:
      let strict = strictTest(task: task, rules: rules)
      return OvercommitDecision(
        pages: pages, granted: strict.committedPages < strict.allowedPages,
        test: .commitLimit(strict))
    }
  }

  /// The free estimate of the heuristic before 5.2: free + file − shmem + free swap + slab
  /// reclaimable (+ misc reclaimable, 4.20+), less `totalreserve_pages` (nothing left: 0), less
  /// the admin reserve without `CAP_SYS_ADMIN` (before 3.10: less 1/32 of what is left).
  private func estimatedFreePages(task: Task, rules: OvercommitRules) -> Int {
    var free = memory.freePages + memory.filePages - memory.shmemPages + memory.freeSwapPages
    free += memory.slabReclaimablePages
    if rules.guessCountsMiscReclaimable { free += memory.miscReclaimablePages }
    guard free > memory.totalreservePages else { return 0 }
    free -= memory.totalreservePages
    if !task.capSysAdmin {
      free -= rules.hasReserveSysctls ? settings.adminReserveKbytes >> (pageShift - 10) : free / 32
    }
    return free
  }

  /// The strict test's numbers: CommitLimit less the admin reserve (tasks without
  /// `CAP_SYS_ADMIN`) and the user reserve (tasks with an mm, root included).
  private func strictTest(task: Task, rules: OvercommitRules) -> OvercommitDecision.Strict {
    let limit = commitLimitPages
    var admin = 0
    var user = 0
    if rules.hasReserveSysctls {
      if !task.capSysAdmin { admin = settings.adminReserveKbytes >> (pageShift - 10) }
      if let totalVM = task.totalVMPages {
        user = min(totalVM / 32, settings.userReserveKbytes >> (pageShift - 10))
      }
    } else {
      // Before 3.10: "leave the last 3% for root" of the RAM part, then 3% of the task's size.
      if !task.capSysAdmin { admin = (limit - memory.totalSwapPages) / 32 }
      if let totalVM = task.totalVMPages { user = totalVM / 32 }
    }
    return OvercommitDecision.Strict(
      limitPages: limit, adminReservePages: admin, userReservePages: user,
      allowedPages: limit - admin - user, committedPages: committed.readPositive)
  }
}
