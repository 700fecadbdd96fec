public import MMCore

/// What `oomlab inspect` found about a machine's commit accounting: CommitLimit as the kernel
/// shows it and as the model computes it, Committed_AS, the overcommit mode, and what that mode
/// would grant now.
///
/// Facts: ../shared/kernel/show-mem-meminfo-overcommit.md §4.
public struct CommitInspection: Codable, Hashable, Sendable {
  /// CommitLimit in kB: the kernel's (`nil` when meminfo has no such line) and the model's.
  public var limitKB: Limit
  /// Committed_AS in kB, as meminfo shows it.
  public var committedKB: Int
  /// `vm.overcommit_memory`.
  public var mode: Int
  /// The largest single mapping granted now, in kB, with and without `CAP_SYS_ADMIN`, for a
  /// task of ``taskSizeKB``; `nil` in mode 1, which grants any size.
  public var largestGrantedKB: Largest?
  /// The task size the largest mapping assumes (its `total_vm`; the strict mode's user reserve
  /// is 1/32 of it, up to `user_reserve_kbytes`).
  public var taskSizeKB: Int
  /// The mode's verdict in words.
  public var verdict: String
  /// What the model does not reproduce, each with the reason.
  public var differences: [String]

  /// The two CommitLimit figures.
  public struct Limit: Codable, Hashable, Sendable {
    /// `/proc/meminfo`'s CommitLimit.
    public var kernel: Int?
    /// `vm_commit_limit()` from MemTotal, SwapTotal, Hugetlb and the sysctls.
    public var model: Int
  }

  /// The largest single mapping for each kind of task.
  public struct Largest: Codable, Hashable, Sendable {
    /// A task with `CAP_SYS_ADMIN` (root).
    public var capSysAdmin: Int
    /// A task without it, which the admin reserve also holds back.
    public var unprivileged: Int

    /// Creates the two sizes.
    public init(capSysAdmin: Int, unprivileged: Int) {
      self.capSysAdmin = capSysAdmin
      self.unprivileged = unprivileged
    }
  }

  /// Whether the model reproduces the kernel's CommitLimit.
  public var agrees: Bool { differences.isEmpty }
}

extension CommitInspection {
  /// Inspects a machine's meminfo and overcommit sysctls.
  ///
  /// Committed_AS is taken as the global count of `vm_committed_as` (as just folded), so a
  /// request's verdict is the one it gets when it is at least the per-cpu batch.
  ///
  /// - Parameters:
  ///   - zoneInfo: the zones, for `totalreserve_pages` (the heuristic before 5.2 needs it).
  ///   - taskSizeKB: the `total_vm` of the task the largest mapping is computed for.
  /// - Throws: ``OvercommitError`` for a sysctl the kernel would refuse or a meminfo without
  ///   MemTotal.
  public init(
    memInfo: MemInfo, sysVM: SysVM, kernel: KernelVersion, zoneInfo: ZoneInfo? = nil,
    taskSizeKB: Int = 0, pageShift: Int = 12
  ) throws(OvercommitError) {
    let shift = pageShift - 10
    let memory = try CommitMemory(
      memInfo: memInfo, totalreservePages: zoneInfo.map(Self.totalreservePages) ?? 0,
      pageShift: pageShift)
    let settings = try OvercommitSettings(sysVM: sysVM, freeKbytes: memInfo.memFree ?? 0)
    let committedKB = memInfo.committedAS ?? 0
    let accounting = OvercommitAccounting(
      version: kernel, settings: settings, memory: memory,
      committed: CommittedCounter(
        count: committedKB >> shift,
        batch: OvercommitFormulas.committedBatch(
          mode: settings.mode, presentCPUs: 1, totalRAMPages: memory.totalRAMPages,
          version: kernel)),
      pageShift: pageShift)
    let model = accounting.commitLimitPages << shift
    self.limitKB = Limit(kernel: memInfo.commitLimit, model: model)
    self.committedKB = committedKB
    self.mode = settings.mode.rawValue
    self.taskSizeKB = taskSizeKB
    let ceiling = 1 << 40
    let root = accounting.largestGrantedRequest(
      task: .init(capSysAdmin: true, totalVMPages: taskSizeKB >> shift), ceiling: ceiling)
    let user = accounting.largestGrantedRequest(
      task: .init(capSysAdmin: false, totalVMPages: taskSizeKB >> shift), ceiling: ceiling)
    if let root, let user {
      largestGrantedKB = Largest(capSysAdmin: root << shift, unprivileged: user << shift)
    } else {
      largestGrantedKB = nil
    }
    verdict = Self.verdict(
      accounting, largest: largestGrantedKB, knowsReserve: zoneInfo != nil, pageShift: pageShift)
    differences = []
    if let kernelLimit = memInfo.commitLimit, kernelLimit != model {
      differences.append(
        "CommitLimit: kernel \(kernelLimit) kB, model \(model) kB: the sysctls or the huge page "
          + "pools changed between the meminfo and the sys/vm reads, or the kernel sizes it "
          + "differently")
    }
  }

  /// `totalreserve_pages` of the zones as printed (high watermark with its boost, largest
  /// protection).
  private static func totalreservePages(_ zoneInfo: ZoneInfo) -> Int {
    let entries = zoneInfo.entries
    return WatermarkFormulas.totalreservePages(
      entries.map {
        WatermarkZone(node: $0.node, ZoneKind(kernelName: $0.zone) ?? .normal, managed: $0.managed)
      },
      watermarks: entries.map(\.watermarks), lowmemReserve: entries.map(\.protection))
  }

  private static func verdict(
    _ accounting: OvercommitAccounting, largest: Largest?, knowsReserve: Bool, pageShift: Int
  ) -> String {
    let rules = OvercommitRules(accounting.version)
    let ramSwapKB =
      (accounting.memory.totalRAMPages + accounting.memory.totalSwapPages) << (pageShift - 10)
    let sizes =
      largest.map {
        "the largest single mapping granted now is \($0.capSysAdmin) kB with CAP_SYS_ADMIN, "
          + "\($0.unprivileged) kB without"
      } ?? ""
    switch accounting.settings.mode {
    case .always:
      return "overcommit_memory 1: every request is granted; CommitLimit is not enforced"
    case .guess where rules.guessChecksSingleRequest:
      return
        "overcommit_memory 0: the heuristic refuses only a single request larger than RAM + "
        + "swap (\(ramSwapKB) kB); CommitLimit is not enforced"
    case .guess:
      let reserve = knowsReserve ? "" : " (totalreserve_pages unknown without zoneinfo: taken as 0)"
      return
        "overcommit_memory 0: the heuristic (before 5.2) refuses a request not below its free "
        + "estimate; \(sizes)\(reserve)"
    case .never:
      return
        "overcommit_memory 2: Committed_AS must stay below CommitLimit less the reserves; "
        + "headroom: " + sizes
    }
  }
}
