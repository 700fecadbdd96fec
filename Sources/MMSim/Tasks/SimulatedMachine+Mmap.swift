internal import MMCore

/// Why an `mmap()` of the simulated machine failed.
public enum MmapError: Error, CustomStringConvertible, Hashable, Sendable {
  /// `ENOMEM`: `__vm_enough_memory()` refused the commitment (recorded in
  /// ``SimulatedMachine/commitRefusals``).
  case outOfMemory(CommitRefusal)
  /// `EINVAL`: a length of 0 pages or less.
  case invalidLength(pages: Int)

  /// One line, with the C error.
  public var description: String {
    switch self {
    case .outOfMemory(let refusal): "mmap: Cannot allocate memory (ENOMEM): \(refusal)"
    case .invalidLength(let pages): "mmap: Invalid argument (EINVAL): length \(pages) pages"
    }
  }
}

/// A task's address space and its commitment: `mmap()` and `munmap()` of private anonymous
/// memory, the heap growth of faults, and the commitment given back at exit.
///
/// Kernel: `mmap_region()`, `accountable_mapping()`, `do_vmi_munmap()`, `exit_mmap()` in
/// `mm/mmap.c` (show-mem-meminfo-overcommit.md §4.2).
///
/// Faults and the commitment: a fault inside the mapped address space (``SimulatedTask/totalVMPages``
/// more than the pages touched) needs no new commitment, the mapping was accounted when made. A
/// fault beyond it grows the address space as heap, one page at a time, and each page of
/// anonymous memory is accounted like a `brk()` growth; a refusal ends the faults
/// (``TaskFault/commitRefusal``). Page cache and shmem faulted beyond the mapped pages grow
/// `total_vm` without a commitment (shared and file mappings are not accounted here).
extension SimulatedMachine {
  /// `mmap(NULL, pages, PROT_READ [| PROT_WRITE], MAP_PRIVATE | MAP_ANONYMOUS [| MAP_NORESERVE])`
  /// by task `pid`; returns the mapping's id for ``munmap(pid:mapping:)``.
  ///
  /// A writable mapping is accountable: `__vm_enough_memory()` is asked with the task's
  /// `CAP_SYS_ADMIN` and its `total_vm` before the mapping, and a grant adds the pages to
  /// Committed_AS. `MAP_NORESERVE` skips the accounting except in mode 2. The mapping adds
  /// to `total_vm`; its pages are touched by later faults.
  ///
  /// - Throws: ``MmapError/outOfMemory(_:)`` when refused: the task and Committed_AS are left
  ///   as they were and the refusal is recorded; ``MmapError/invalidLength(pages:)``.
  /// - Precondition: `pid` is a task of the machine.
  @discardableResult
  public mutating func mmap(pid: Int, pages: Int, writable: Bool = true, noReserve: Bool = false)
    throws(MmapError) -> Int
  {
    guard let task = tasks[pid] else { preconditionFailure("no task \(pid)") }
    guard pages > 0 else { throw .invalidLength(pages: pages) }
    let space = addressSpaceOwner(of: task)
    let totalVM = tasks[space]?.totalVMPages ?? 0
    let accountable = writable && !(noReserve && overcommit.settings.mode != .never)
    if accountable, let refusal = vmEnoughMemory(pages: pages, pid: pid, totalVMPages: totalVM) {
      throw .outOfMemory(refusal)
    }
    tasks[space]?.totalVMPages += pages
    return addressSpaces[task.mm, default: AddressSpace()].map(
      pages: pages, committedPages: accountable ? pages : 0)
  }

  /// `munmap()` of the mapping `id` of task `pid`'s mm; returns the pages unmapped (0 when the
  /// mm has no such mapping, which the kernel does not treat as an error).
  ///
  /// The mapping's commitment leaves Committed_AS and its pages leave `total_vm`. The pages the
  /// task touched in it are freed: its anonymous pages, then swap entries (which of the mm's
  /// pages go is **approximated**: any of them); page cache and shmem stay, and page tables stay
  /// until exit.
  ///
  /// - Precondition: `pid` is a task of the machine.
  @discardableResult
  public mutating func munmap(pid: Int, mapping id: Int) -> Int {
    guard let task = tasks[pid] else { preconditionFailure("no task \(pid)") }
    let space = addressSpaceOwner(of: task)
    guard var owner = tasks[space], var regions = addressSpaces[task.mm] else { return 0 }
    let unregioned = owner.totalVMPages - regions.pages
    guard let (region, offset) = regions.unmap(id) else { return 0 }
    let start = unregioned + offset
    let touched = min(max(owner.touchedPages - start, 0), region.pages)
    owner.totalVMPages -= region.pages
    owner.touchedPages -= touched
    tasks[space] = owner
    addressSpaces[task.mm] = regions
    unaccountCommitment(pages: region.committedPages)
    freeAnonymousPages(touched, ofMM: task.mm)
    return region.pages
  }

  /// The task whose record holds the address space: the mm's leader while it is there, else the
  /// task itself.
  func addressSpaceOwner(of task: SimulatedTask) -> Int {
    tasks[task.mm] != nil ? task.mm : task.pid
  }

  /// One page of heap growth for a fault of `use` by `pid`, whose mm maps `totalVMPages`:
  /// accounted when it is anonymous memory; returns the refusal, if refused.
  mutating func accountFaultGrowth(pid: Int, use: PageUse, totalVMPages: Int) -> CommitRefusal? {
    guard use == .anon else { return nil }
    return vmEnoughMemory(pages: 1, pid: pid, totalVMPages: totalVMPages)
  }

  /// Records the heap growth of a fault that ended: `pages` more of `total_vm` and the
  /// anonymous ones committed; when the fault's task was killed on the way, its mm is gone and
  /// the growth's commitment is given back.
  mutating func settleFaultGrowth(mm: Int, space: Int, pages: Int, use: PageUse) {
    guard pages > 0 else { return }
    let committed = use == .anon ? pages : 0
    guard tasks[space] != nil else {
      unaccountCommitment(pages: committed)
      return
    }
    tasks[space]?.totalVMPages += pages
    addressSpaces[mm, default: AddressSpace()].growHeap(pages: pages, committedPages: committed)
  }

  /// `exit_mmap()`'s accounting: the mm's whole commitment leaves Committed_AS.
  mutating func releaseCommitment(ofMM mm: Int) {
    unaccountCommitment(pages: addressSpaces.removeValue(forKey: mm)?.committedPages ?? 0)
  }

  /// Frees `pages` of the mm's anonymous memory: resident pages first, then swap entries.
  private mutating func freeAnonymousPages(_ pages: Int, ofMM mm: Int) {
    var left = pages
    var blocks: [(pfn: PFN, order: Int)] = []
    memory.forEachAllocatedBlock { pfn, frame in
      if Int(frame.ownerID) == mm, frame.use == .anon { blocks.append((pfn, Int(frame.order))) }
    }
    for block in blocks where left >= 1 << block.order {
      memory.free(block.pfn, order: block.order)
      left -= 1 << block.order
    }
    let owner = UInt32(mm)
    let swapped = min(left, swap.entries[owner] ?? 0)
    guard swapped > 0 else { return }
    swap.entries[owner, default: 0] -= swapped
    swap.usedPages -= swapped
  }
}
