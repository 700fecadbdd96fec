/// What an allocated block holds: decides its LRU list and whether and how reclaim can free it.
///
/// Kernel: the page flags and counters behind `NR_ANON_MAPPED`, `NR_FILE_PAGES`, `NR_FILE_DIRTY`,
/// `NR_WRITEBACK`, `NR_SHMEM`, `NR_SLAB_RECLAIMABLE_B`/`UNRECLAIMABLE_B`, `NR_PAGETABLE`,
/// `NR_KERNEL_STACK_KB` and hugetlb pages.
public enum PageUse: UInt8, CaseIterable, Hashable, Sendable {
  /// Kernel memory with no reclaim path (drivers, `kmalloc_large`, …).
  case kernel
  /// Anonymous task memory: reclaimable only by swapping out.
  case anon
  /// Clean page cache: reclaim frees it.
  case file
  /// Dirty page cache: must be written back first, which needs `__GFP_IO` and `__GFP_FS`.
  case fileDirty
  /// Page cache under writeback: freed once the write completes.
  case fileWriteback
  /// shmem/tmpfs: swap-backed, on the anon LRU.
  case shmem
  /// Reclaimable slab (dentries, inodes): freed by shrinkers (not modelled yet).
  case slabReclaimable
  /// Unreclaimable slab.
  case slabUnreclaimable
  /// Page tables.
  case pageTable
  /// Kernel stacks.
  case kernelStack
  /// Huge pages reserved for hugetlbfs.
  case hugetlb

  /// The LRU list a newly allocated block of this use joins, if any.
  var lru: LRUList? {
    switch self {
    case .anon, .shmem: .inactiveAnon
    case .file, .fileDirty, .fileWriteback: .inactiveFile
    default: nil
    }
  }
}

/// The LRU lists of a node (`enum lru_list`), without the unevictable list.
public enum LRUList: Int, CaseIterable, Hashable, Sendable {
  case inactiveAnon, activeAnon, inactiveFile, activeFile

  /// Whether the list holds swap-backed pages.
  public var isAnon: Bool { self == .inactiveAnon || self == .activeAnon }

  /// The list's `nr_zone_*` counter name in zoneinfo and vmstat.
  public var zoneStatName: String {
    switch self {
    case .inactiveAnon: "nr_zone_inactive_anon"
    case .activeAnon: "nr_zone_active_anon"
    case .inactiveFile: "nr_zone_inactive_file"
    case .activeFile: "nr_zone_active_file"
    }
  }
}

extension PageFrame {
  // `owner` of an allocated block head: bits 31…24 the PageUse, 23…22 the LRUList (for uses on
  // an LRU), 21…0 the owner id.

  /// What the allocated block holds.
  var use: PageUse {
    get { PageUse(rawValue: UInt8(truncatingIfNeeded: owner >> 24)) ?? .kernel }
    set { owner = owner & 0x00ff_ffff | UInt32(newValue.rawValue) << 24 }
  }

  /// The LRU list the block is on (meaningful when ``use`` has one).
  var lruList: LRUList {
    get { LRUList(rawValue: Int(owner >> 22 & 0x3)) ?? .inactiveFile }
    set { owner = owner & ~(0x3 << 22) | UInt32(newValue.rawValue) << 22 }
  }

  /// Who holds the block (0 = nobody recorded), at most 2²² − 1.
  var ownerID: UInt32 {
    get { owner & 0x003f_ffff }
    set { owner = owner & ~0x003f_ffff | newValue & 0x003f_ffff }
  }
}
