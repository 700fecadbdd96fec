/// The kernel's formulas for `min_free_kbytes`, the per-zone watermarks, `lowmem_reserve` and
/// `totalreserve_pages`, as pure functions of the zones' managed pages, the sysctls and the
/// kernel version (zones-watermarks.md §2–§4).
///
/// Arithmetic is the kernel's: unsigned integers, `int_sqrt()`, 64-bit products and the same
/// order of integer divisions. Page counts are in pages, `…Kbytes` values in KiB, and `pageShift`
/// is `PAGE_SHIFT` (12 for 4 KiB pages). ``WatermarkState`` strings these functions together in
/// the order the kernel runs them.
///
/// Kernel: `mm/page_alloc.c` (`mm/mm_init.c` from 6.4) and `mm/khugepaged.c`.
public enum WatermarkFormulas {
  /// The integer square root, rounded down.
  ///
  /// Kernel: `int_sqrt()` in `lib/math/int_sqrt.c` (the bit-by-bit method of 4.15+; older
  /// releases used Newton's method, which gives the same floor).
  public static func intSqrt(_ x: UInt64) -> UInt64 {
    if x <= 1 { return x }
    var x = x
    var m: UInt64 = 1 << (UInt64(63 - x.leadingZeroBitCount) & ~1)
    var y: UInt64 = 0
    while m != 0 {
      let b = y + m
      y >>= 1
      if x >= b {
        x -= b
        y += m
      }
      m >>= 2
    }
    return y
  }
}
