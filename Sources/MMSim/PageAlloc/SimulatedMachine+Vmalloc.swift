public import MMCore

/// How a `vmalloc()` ended.
public enum VmallocOutcome: Hashable, Sendable {
  /// Every page was allocated (order-0 pages; no huge vmalloc), and the page array holding them
  /// (which stays allocated with the area).
  case allocated(pages: [PFN], pageArray: [PFN])
  /// It failed: `warn_alloc` prints this message with the caller's GFP mask.
  case failed(WarnAllocHeader.VMallocFailure)
  /// A page allocation's OOM killer panicked the kernel with this message.
  case panicked(String)
}

/// `__vmalloc_node_range()` / `__vmalloc_area_node()`: the size check, the virtual area, the
/// page array, then one page at a time with `__GFP_NOWARN`, the pages freed again on failure.
/// Messages per version (gfp-flags.md §6): the 5.13+ `vmalloc error:` forms, the older
/// `vmalloc: allocation failure` forms. No huge-page vmalloc, no mapping failures.
extension SimulatedMachine {
  /// Allocates `size` bytes of virtually contiguous memory for `mask`.
  ///
  /// - Parameter vmallocSpacePages: the free virtual space of the vmalloc area, in pages (`nil`:
  ///   unlimited, as on 64-bit machines).
  public mutating func vmalloc(size: Int, mask: GFPMask, vmallocSpacePages: Int? = nil)
    -> VmallocOutcome
  {
    let modern = memory.rules.kernel.isAtLeast(5, 13)
    let pageSize = memory.layout.pageSize
    let pages = (size + pageSize - 1) / pageSize
    let totalRAM = memory.layout.zones.reduce(0) { $0 + $1.managed }
    guard size > 0, pages <= totalRAM else {
      return .failed(modern ? .exceedsTotalPages(size: size) : .allocationFailure(bytes: size))
    }
    // The area carries one guard page.
    if let space = vmallocSpacePages, pages + 1 > space {
      return .failed(
        modern ? .vmStructAllocationFailed(size: size) : .allocationFailure(bytes: size))
    }
    let quiet = GFPMask(
      rawValue: mask.rawValue | mask.dialect.rawValue(of: .noWarn), kernel: mask.kernel,
      dialect: mask.dialect)
    // The page array: kmalloc'd up to a page, vmalloc'd (page by page) beyond.
    let arrayBytes = pages * MemoryLayout<UInt64>.size
    var taken: [PFN] = []
    for _ in 0..<max(1, (arrayBytes + pageSize - 1) / pageSize) {
      switch allocate(order: 0, mask: quiet).outcome {
      case .allocated(let block): taken.append(block.pfn)
      case .panicked(let message): return release(taken, then: .panicked(message))
      default:
        let failure: WarnAllocHeader.VMallocFailure =
          modern
          ? .pageArrayAllocationFailed(size: size, arraySize: arrayBytes)
          : .allocationFailure(bytes: size)
        return release(taken, then: .failed(failure))
      }
    }
    var area: [PFN] = []
    for _ in 0..<pages {
      switch allocate(order: 0, mask: quiet).outcome {
      case .allocated(let block): area.append(block.pfn)
      case .panicked(let message): return release(taken + area, then: .panicked(message))
      default:
        let failure: WarnAllocHeader.VMallocFailure =
          modern
          ? .pagesAllocationFailed(size: size, order: 0)
          : .partialAllocation(allocated: area.count * pageSize, requested: (pages + 1) * pageSize)
        return release(taken + area, then: .failed(failure))
      }
    }
    return .allocated(pages: area, pageArray: taken)
  }

  /// `vfree()` of a partial area.
  private mutating func release(_ pages: [PFN], then outcome: VmallocOutcome) -> VmallocOutcome {
    for pfn in pages { memory.free(pfn, order: 0) }
    return outcome
  }
}
