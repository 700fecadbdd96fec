/// The kernel's overcommit formulas as pure functions of the machine's pages and the sysctls.
///
/// Facts: show-mem-meminfo-overcommit.md §4.
public enum OvercommitFormulas {}

extension OvercommitFormulas {
  /// CommitLimit in pages: `overcommit_kbytes` in pages when it is non-zero (3.14+), else
  /// (totalram − huge pages) × `overcommit_ratio` / 100; then plus the swap pages.
  ///
  /// The integer division applies to the RAM part before the swap is added.
  ///
  /// Kernel: `vm_commit_limit()` in `mm/util.c` (3.14+; the same sum inline in
  /// `__vm_enough_memory()` and `meminfo_proc_show()` before).
  ///
  /// - Parameters:
  ///   - totalRAMPages: `totalram_pages` (Σ managed; MemTotal in pages).
  ///   - hugetlbPages: `hugetlb_total_pages()`: Σ over huge page sizes of the pool's pages.
  ///   - totalSwapPages: `total_swap_pages`.
  public static func commitLimitPages(
    totalRAMPages: Int, hugetlbPages: Int, totalSwapPages: Int, settings: OvercommitSettings,
    version: KernelVersion, pageShift: Int = 12
  ) -> Int {
    let ram =
      settings.kbytes != 0 && OvercommitRules(version).hasOvercommitKbytes
      ? settings.kbytes >> (pageShift - 10)
      : (totalRAMPages &- hugetlbPages) &* settings.ratio / 100
    // unsigned long in the kernel: absurd captured values wrap rather than trap.
    return ram &+ totalSwapPages
  }
}
