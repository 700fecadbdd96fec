/// The pages of one owner (a task's mm) by kind, kept up to date as blocks gain or lose it.
///
/// Kernel: the `mm->rss_stat` counters (`MM_ANONPAGES`, `MM_FILEPAGES`, `MM_SHMEMPAGES`) and
/// `mm->pgtables_bytes`, which the kernel also updates where pages are mapped and unmapped
/// rather than counting them when asked.
struct OwnerPages: Hashable, Sendable {
  /// Anonymous pages.
  var anon = 0
  /// Page cache pages, clean, dirty or under writeback.
  var file = 0
  /// shmem/tmpfs pages.
  var shmem = 0
  /// Page-table pages.
  var pageTable = 0

  /// Whether every count is zero.
  var isEmpty: Bool { anon == 0 && file == 0 && shmem == 0 && pageTable == 0 }

  /// Adds `pages` (negative to take them away) of a block holding `use`; uses an owner's counts
  /// do not cover (kernel memory, slab, …) change nothing.
  @inline(__always)
  mutating func add(_ pages: Int, of use: PageUse) {
    switch use {
    case .anon: anon &+= pages
    case .file, .fileDirty, .fileWriteback: file &+= pages
    case .shmem: shmem &+= pages
    case .pageTable: pageTable &+= pages
    default: break
    }
  }

  /// Whether an owner's counts cover blocks of `use`.
  @inline(__always)
  static func counts(_ use: PageUse) -> Bool {
    switch use {
    case .anon, .file, .fileDirty, .fileWriteback, .shmem, .pageTable: true
    default: false
    }
  }
}

extension PhysicalMemory {
  /// Adds (`sign` 1) or takes away (`sign` −1) an allocated block head's pages from its
  /// owner's counts in ``ownerPages``; a block with no owner, or of a use the counts do not
  /// cover, changes nothing.
  @inline(__always)
  mutating func accountOwner(of frame: PageFrame, sign: Int) {
    let owner = frame.ownerID
    let use = frame.use
    guard owner != 0, OwnerPages.counts(use) else { return }
    let pages = sign &* (1 &<< Int(frame.order))
    ownerPages[owner, default: OwnerPages()].add(pages, of: use)
    if sign < 0 && ownerPages[owner]?.isEmpty == true { ownerPages[owner] = nil }
  }

  /// Each owner's pages counted from the frames: what ``ownerPages`` must equal.
  ///
  /// - Complexity: O(frames).
  func ownerPagesFromFrames() -> [UInt32: OwnerPages] {
    var counted: [UInt32: OwnerPages] = [:]
    forEachAllocatedBlock { _, frame in
      guard frame.ownerID != 0, OwnerPages.counts(frame.use) else { return }
      counted[frame.ownerID, default: OwnerPages()].add(1 << Int(frame.order), of: frame.use)
    }
    return counted
  }
}
