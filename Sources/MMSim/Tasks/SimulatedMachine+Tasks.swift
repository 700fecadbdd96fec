public import MMCore

/// What a task's faults got: the pages it was given and, if one could not be given, that
/// allocation's attempt.
public struct TaskFault: Hashable, Sendable {
  /// Pages allocated and mapped.
  public var pages = 0
  /// Page-table pages allocated on the way.
  public var pageTablePages = 0
  /// The allocation that did not succeed, which ended the faults.
  public var stoppedBy: AllocationAttempt?
  /// Whether the OOM killer killed the task during its faults (which ends them).
  public var killed = false
  /// The commitment refused to heap growth the faults needed, which ended them.
  public var commitRefusal: CommitRefusal?
}

/// Tasks and the memory they hold (mm/memory.c page faults, kernel/exit.c `exit_mmap()`).
///
/// A task's pages are the allocated blocks recorded with its mm as owner. Page tables are an
/// **approximation**: one page-table page per 512 pages of address space touched (a PTE page
/// per 2 MiB on 4 KiB pages), the upper levels not counted.
extension SimulatedMachine {
  /// Pages of address space one page-table page maps.
  static let pagesPerPageTable = 512

  /// Adds a task; a task with the pid of an existing one replaces it.
  public mutating func addTask(_ task: SimulatedTask) { tasks[task.pid] = task }

  /// The tasks in pid order.
  public var tasksByPID: [SimulatedTask] { tasks.keys.sorted().compactMap { tasks[$0] } }

  /// The mask of an anonymous page fault's page: `GFP_HIGHUSER_MOVABLE | __GFP_ZERO`, and
  /// `__GFP_COMP` where the page is a folio (6.1 prints `0x140dca`; the first release that adds
  /// it is not verified).
  static func anonymousFaultMask(_ kernel: KernelVersion) -> GFPMask {
    let dialect = GFPDialect(kernel: kernel)
    let extra: GFPFlags = kernel.isAtLeast(6, 1) ? [.zero, .comp] : [.zero]
    return GFPMask(
      rawValue: (dialect.rawValue(of: .highuserMovable) ?? 0) | dialect.rawValue(for: extra),
      kernel: kernel)
  }

  /// A task touches `pages` new pages of `use` (anonymous memory by default).
  ///
  /// Each is allocated with `mask` (an anonymous fault's ``anonymousFaultMask(_:)`` unless
  /// given) and mapped, and every 512 pages of address space cost a page-table page (`GFP_PGTABLE_USER`,
  /// here GFP_KERNEL); the memory cgroup is charged with GFP_KERNEL, as `do_anonymous_page()`
  /// charges. Stops at the first allocation the allocator does not grant, or at heap growth
  /// `__vm_enough_memory()` refuses (pages beyond the mapped ones: `SimulatedMachine+Mmap`).
  ///
  /// - Precondition: `pid` is a task of the machine.
  public mutating func fault(pid: Int, pages: Int, use: PageUse = .anon, mask: GFPMask? = nil)
    -> TaskFault
  {
    guard let task = tasks[pid] else { preconditionFailure("no task \(pid)") }
    let kernel = memory.rules.kernel
    let dialect = GFPDialect(kernel: kernel)
    let userMask = mask ?? Self.anonymousFaultMask(kernel)
    let tableMask = GFPMask(rawValue: dialect.rawValue(of: .kernel) ?? 0, kernel: kernel)
    let owner = UInt32(task.mm)
    var fault = TaskFault()
    // Address space is the mm's: threads count on their leader's while it is there.
    let space = tasks[task.mm] != nil ? task.mm : pid
    var touched = tasks[space]?.touchedPages ?? 0
    // Beyond the mapped pages a fault grows the heap, each page accounted (+Mmap.swift).
    let mappedBefore = tasks[space]?.totalVMPages ?? 0
    var mapped = mappedBefore
    for _ in 0..<pages {
      if touched >= mapped {
        if let refusal = accountFaultGrowth(pid: pid, use: use, totalVMPages: mapped) {
          fault.commitRefusal = refusal
          break
        }
        mapped += 1
      }
      if touched % Self.pagesPerPageTable == 0 {
        let table = allocate(
          order: 0, mask: tableMask, use: .pageTable, owner: owner, current: pid)
        guard survives(pid, table, &fault) else { break }
        fault.pageTablePages += 1
      }
      let page = allocate(
        order: 0, mask: userMask, use: use, owner: owner, current: pid, chargeMask: tableMask)
      guard survives(pid, page, &fault) else { break }
      touched += 1
      fault.pages += 1
    }
    settleFaultGrowth(mm: task.mm, space: space, pages: mapped - mappedBefore, use: use)
    tasks[space]?.touchedPages = touched
    return fault
  }

  /// Whether a fault's allocation leaves the task faulting: it got its page and was not killed
  /// on the way (a killed task's page is freed with it).
  private mutating func survives(_ pid: Int, _ attempt: AllocationAttempt, _ fault: inout TaskFault)
    -> Bool
  {
    guard tasks[pid] != nil else {
      if let block = attempt.allocation { freeBlock(block.pfn, order: block.order) }
      fault.killed = true
      return false
    }
    guard attempt.allocation != nil else {
      fault.stoppedBy = attempt
      return false
    }
    return true
  }

  /// Each task's (by mm) resident pages, swap entries and page-table pages: the counts of the
  /// machine's pages kept as pages gain or lose their owner.
  ///
  /// - Complexity: O(owners), not O(frames).
  public func memoryUsageByTask() -> [Int: TaskMemoryUsage] {
    var usage: [Int: TaskMemoryUsage] = [:]
    for (owner, pages) in memory.ownerPages {
      usage[Int(owner)] = TaskMemoryUsage(
        anonPages: pages.anon, filePages: pages.file, shmemPages: pages.shmem,
        pageTablePages: pages.pageTable)
    }
    for (owner, entries) in swap.entries where entries > 0 {
      usage[Int(owner), default: TaskMemoryUsage()].swapEntries = entries
    }
    return usage
  }

  /// One task's memory (its mm's).
  public func memoryUsage(ofTask pid: Int) -> TaskMemoryUsage {
    guard let mm = tasks[pid]?.mm else { return TaskMemoryUsage() }
    return memoryUsageByTask()[mm] ?? TaskMemoryUsage()
  }

  /// `exit_mmap()` for the mm of `pid`: every task sharing it is removed with it.
  ///
  /// Anonymous pages, page tables and swap entries are freed; mapped page cache and shmem stay in
  /// memory, no longer mapped. Returns the pages freed.
  @discardableResult
  public mutating func releaseMemory(ofTask pid: Int) -> Int {
    guard let mm = tasks[pid]?.mm else { return 0 }
    var freed = 0
    var blocks: [(pfn: PFN, frame: PageFrame)] = []
    memory.forEachAllocatedBlock { pfn, frame in
      if Int(frame.ownerID) == mm { blocks.append((pfn, frame)) }
    }
    var uncharged = 0
    for (pfn, frame) in blocks {
      let pages = 1 << Int(frame.order)
      uncharged += pages
      switch frame.use {
      case .anon, .pageTable:
        memory.free(pfn, order: Int(frame.order))
        freed += pages
      default:
        memory.setUse(pfn, frame.use, owner: 0)
      }
    }
    // Every block was the mm's: one uncharge for all of them.
    unchargeMemcg(owner: UInt32(mm), pages: uncharged)
    swap.releaseEntries(of: UInt32(mm))
    releaseCommitment(ofMM: mm)
    for sharer in tasks.values where sharer.mm == mm { tasks[sharer.pid] = nil }
    return freed
  }
}

extension PhysicalMemory {
  /// Calls `body` with every allocated block's PFN and head frame, in PFN order.
  func forEachAllocatedBlock(_ body: (PFN, PageFrame) -> Void) {
    var index = 0
    while index < frames.count {
      let frame = frames[index]
      if frame.state == .allocatedHead { body(PFN(basePFN + index), frame) }
      index += frame.blockSpan
    }
  }
}
