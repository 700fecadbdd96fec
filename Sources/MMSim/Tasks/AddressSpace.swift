/// An mm's regions as the commit accounting sees them: each one's size and the pages it
/// committed to `vm_committed_as`, in address-space order.
///
/// The address space is laid out as a line. The part of the task's `total_vm` the machine did
/// not map itself (a ``SimulatedTask/totalVMPages`` set directly: text, libraries, stack) comes
/// first, then the regions in the order they were made: ``SimulatedMachine/mmap(pid:pages:writable:noReserve:)``
/// mappings and the heap growth of faults beyond the mapped pages. Faults touch the line from
/// its start, so the pages touched in a region follow from the task's touched pages.
///
/// Kernel: the VMAs of an `mm_struct` with `VM_ACCOUNT` (`mm/mmap.c`).
public struct AddressSpace: Hashable, Sendable {
  /// One region of the address space.
  public struct Region: Hashable, Sendable {
    /// The id ``SimulatedMachine/mmap(pid:pages:writable:noReserve:)`` returned, unique in its mm.
    public var id: Int
    /// Size in pages.
    public var pages: Int
    /// Pages accounted to `vm_committed_as` (all or none of them: `VM_ACCOUNT`).
    public var committedPages: Int
    /// How the region was made.
    public var kind: Kind
  }

  /// How a region was made.
  public enum Kind: Hashable, Sendable {
    /// An `mmap()` of private anonymous memory.
    case mapping
    /// Pages faults touched beyond the mapped address space (`brk` growth).
    case heap
  }

  /// The regions, in address-space order.
  public private(set) var regions: [Region] = []
  private var nextID = 1

  /// An empty address space.
  public init() {}

  /// Pages the regions commit.
  public var committedPages: Int { regions.reduce(0) { $0 + $1.committedPages } }

  /// Pages in the regions.
  public var pages: Int { regions.reduce(0) { $0 + $1.pages } }

  /// Adds a mapping at the end; returns its id.
  mutating func map(pages: Int, committedPages: Int) -> Int {
    regions.append(
      Region(id: nextID, pages: pages, committedPages: committedPages, kind: .mapping))
    nextID += 1
    return nextID - 1
  }

  /// Grows the heap at the end of the address space: the last region when it is heap, else a
  /// new one.
  mutating func growHeap(pages: Int, committedPages: Int) {
    if let last = regions.indices.last, regions[last].kind == .heap {
      regions[last].pages += pages
      regions[last].committedPages += committedPages
      return
    }
    regions.append(Region(id: nextID, pages: pages, committedPages: committedPages, kind: .heap))
    nextID += 1
  }

  /// Removes the region `id`; returns it with its offset from the first region, or `nil`.
  mutating func unmap(_ id: Int) -> (region: Region, offset: Int)? {
    guard let index = regions.firstIndex(where: { $0.id == id }) else { return nil }
    let offset = regions[..<index].reduce(0) { $0 + $1.pages }
    return (regions.remove(at: index), offset)
  }
}
