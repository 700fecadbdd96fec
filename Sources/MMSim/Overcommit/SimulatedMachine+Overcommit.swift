public import MMCore

/// The machine's commit accounting: the overcommit sysctls, `vm_committed_as` and
/// `__vm_enough_memory()`, all through MMCore's ``OvercommitAccounting``
/// (show-mem-meminfo-overcommit.md §4).
///
/// The machine simulates one cpu, so the per-cpu counter has one local delta. The page counts
/// the decisions read come from the machine when a decision is made: MemTotal, the swap device,
/// and for the heuristic before 5.2 the free pages, the file LRU pages (as `NR_FILE_PAGES`),
/// free swap and `totalreserve_pages`; huge page pools, shmem and reclaimable slab are not
/// modelled and count 0.
extension SimulatedMachine {
  /// The cpus `vm_committed_as` has a local delta for.
  static let commitCPUs = 1

  /// The accounting a machine boots with: the default sysctls, the reserves from the free
  /// memory (`init_admin_reserve()`, `init_user_reserve()`), and nothing committed.
  static func bootOvercommit(_ memory: borrowing PhysicalMemory, swapPages: Int)
    -> OvercommitAccounting
  {
    let kernel = memory.rules.kernel
    let counts = commitMemory(memory, swapPages: swapPages, freeSwapPages: swapPages)
    let freeKbytes = counts.freePages * (memory.layout.pageSize / 1024)
    let settings = OvercommitSettings(
      adminReserveKbytes: OvercommitFormulas.initialAdminReserveKbytes(freeKbytes: freeKbytes),
      userReserveKbytes: OvercommitFormulas.initialUserReserveKbytes(freeKbytes: freeKbytes))
    let batch = OvercommitFormulas.committedBatch(
      mode: settings.mode, presentCPUs: commitCPUs, totalRAMPages: counts.totalRAMPages,
      version: kernel)
    return OvercommitAccounting(
      version: kernel, settings: settings, memory: counts,
      committed: CommittedCounter(count: 0, cpus: commitCPUs, batch: batch),
      pageShift: memory.layout.pageSize.trailingZeroBitCount)
  }

  /// The page counts of `memory` and a swap device as the overcommit decisions read them.
  static func commitMemory(
    _ memory: borrowing PhysicalMemory, swapPages: Int, freeSwapPages: Int,
    totalreservePages: Int = 0
  ) -> CommitMemory {
    let zones = memory.layout.zones.indices
    return CommitMemory(
      totalRAMPages: zones.reduce(0) { $0 + memory.layout.zones[$1].managed },
      totalSwapPages: swapPages, freePages: zones.reduce(0) { $0 + memory.freePages(zone: $1) },
      filePages: zones.reduce(0) {
        $0 + memory.lruPageCount(zone: $1, list: .activeFile)
          + memory.lruPageCount(zone: $1, list: .inactiveFile)
      }, freeSwapPages: freeSwapPages, totalreservePages: totalreservePages)
  }

  /// The accounting with the machine's current page counts.
  public var commitAccounting: OvercommitAccounting {
    var accounting = overcommit
    accounting.memory = currentCommitMemory
    return accounting
  }

  /// The machine's current page counts as the overcommit decisions read them.
  private var currentCommitMemory: CommitMemory {
    Self.commitMemory(
      memory, swapPages: swap.totalPages, freeSwapPages: swap.freePages,
      totalreservePages: reserves.totalreservePages)
  }

  /// CommitLimit in pages (`vm_commit_limit()`).
  public var commitLimitPages: Int { commitAccounting.commitLimitPages }

  /// Committed_AS as `/proc/meminfo` shows it, in pages: the exact per-cpu sum from 5.9 ("mm/util.c:
  /// make vm_memory_committed() more accurate"), the global count before; never negative.
  public var committedASPages: Int {
    memory.rules.kernel.isAtLeast(5, 9)
      ? max(overcommit.committed.sum, 0) : overcommit.committed.readPositive
  }

  /// `__vm_enough_memory()` for `pages` asked by task `pid` whose mm maps `totalVMPages`: the
  /// pages are added to Committed_AS when granted; a refusal is recorded and returned.
  ///
  /// - Precondition: `pid` is a task of the machine and `pages` ≥ 0.
  mutating func vmEnoughMemory(pages: Int, pid: Int, totalVMPages: Int) -> CommitRefusal? {
    guard let task = tasks[pid] else { preconditionFailure("no task \(pid)") }
    let committedBefore = committedASPages
    // Decided in place with the current counts (``commitAccounting``'s), the boot's put back
    // after: a copy of the accounting would copy its counter's per-cpu deltas on every page.
    let bootCounts = overcommit.memory
    overcommit.memory = currentCommitMemory
    defer { overcommit.memory = bootCounts }
    let decision: OvercommitDecision
    do {
      decision = try overcommit.vmEnoughMemory(
        pages: pages,
        task: OvercommitAccounting.Task(
          capSysAdmin: task.hasSysAdmin, totalVMPages: task.isKernelThread ? nil : totalVMPages))
    } catch {
      preconditionFailure("\(error)")
    }
    guard !decision.granted else { return nil }
    let refusal = CommitRefusal(
      pid: pid, pages: pages, mode: overcommit.settings.mode,
      commitLimitPages: overcommit.commitLimitPages, committedASPages: committedBefore,
      decision: decision)
    commitRefusals.append(refusal)
    return refusal
  }

  /// `vm_unacct_memory()`: takes `pages` back off Committed_AS.
  mutating func unaccountCommitment(pages: Int) {
    do {
      try overcommit.unaccount(pages: pages)
    } catch {
      preconditionFailure("\(error)")
    }
  }
}
