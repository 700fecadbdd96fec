/// The machine-wide page counts the overcommit decisions read.
///
/// CommitLimit needs only the first three; the free-memory estimate of the heuristic before
/// 5.2 needs the rest.
///
/// Kernel: `totalram_pages()`, `total_swap_pages`, `hugetlb_total_pages()`, and the counters
/// `__vm_enough_memory()` reads in `mm/util.c`.
public struct CommitMemory: Hashable, Sendable {
  /// `totalram_pages`: MemTotal in pages.
  public var totalRAMPages: Int
  /// `total_swap_pages`: SwapTotal in pages.
  public var totalSwapPages: Int
  /// `hugetlb_total_pages()`: pages in huge page pools of every size.
  public var hugetlbPages: Int
  /// `NR_FREE_PAGES`.
  public var freePages: Int
  /// `NR_FILE_PAGES` (page cache, swap cache and buffers).
  public var filePages: Int
  /// `NR_SHMEM`.
  public var shmemPages: Int
  /// Free swap pages (`get_nr_swap_pages()`).
  public var freeSwapPages: Int
  /// `NR_SLAB_RECLAIMABLE`.
  public var slabReclaimablePages: Int
  /// `NR_KERNEL_MISC_RECLAIMABLE` (4.20+).
  public var miscReclaimablePages: Int
  /// `totalreserve_pages` (``WatermarkFormulas/totalreservePages(_:watermarks:lowmemReserve:)``).
  public var totalreservePages: Int

  /// Creates the counts; the heuristic's inputs default to 0.
  public init(
    totalRAMPages: Int, totalSwapPages: Int = 0, hugetlbPages: Int = 0, freePages: Int = 0,
    filePages: Int = 0, shmemPages: Int = 0, freeSwapPages: Int = 0,
    slabReclaimablePages: Int = 0, miscReclaimablePages: Int = 0, totalreservePages: Int = 0
  ) {
    self.totalRAMPages = totalRAMPages
    self.totalSwapPages = totalSwapPages
    self.hugetlbPages = hugetlbPages
    self.freePages = freePages
    self.filePages = filePages
    self.shmemPages = shmemPages
    self.freeSwapPages = freeSwapPages
    self.slabReclaimablePages = slabReclaimablePages
    self.miscReclaimablePages = miscReclaimablePages
    self.totalreservePages = totalreservePages
  }

  /// The counts a `/proc/meminfo` shows.
  ///
  /// Huge pages come from `Hugetlb` (every size), else `HugePages_Total` × `Hugepagesize`, else
  /// 0; file pages are Cached + SwapCached + Buffers; the misc reclaimable memory is
  /// KReclaimable − SReclaimable. `totalreserve_pages` is not in meminfo: pass it when known.
  ///
  /// - Throws: ``OvercommitError/missingMemInfoField(_:)`` without `MemTotal`.
  public init(memInfo: MemInfo, totalreservePages: Int = 0, pageShift: Int = 12)
    throws(OvercommitError)
  {
    guard let memTotal = memInfo.memTotal else { throw .missingMemInfoField("MemTotal") }
    let shift = pageShift - 10
    let hugetlbKB =
      memInfo.hugetlb
      ?? (memInfo.hugePagesTotal ?? 0) &* (memInfo.hugePageSize ?? 0)
    let slab = memInfo.sReclaimable ?? 0
    let file = (memInfo.cached ?? 0) &+ (memInfo.swapCached ?? 0) &+ (memInfo.buffers ?? 0)
    self.init(
      totalRAMPages: memTotal >> shift, totalSwapPages: (memInfo.swapTotal ?? 0) >> shift,
      hugetlbPages: hugetlbKB >> shift, freePages: (memInfo.memFree ?? 0) >> shift,
      filePages: file >> shift, shmemPages: (memInfo.shmem ?? 0) >> shift,
      freeSwapPages: (memInfo.swapFree ?? 0) >> shift, slabReclaimablePages: slab >> shift,
      miscReclaimablePages: max((memInfo.kReclaimable ?? slab) &- slab, 0) >> shift,
      totalreservePages: totalreservePages)
  }
}
