/// A page frame number: the index of one page in simulated physical memory.
public typealias PFN = UInt32

/// The "no frame" link value of the intrusive free lists.
let noFrame: PFN = .max

/// What a frame currently is, as far as the allocator cares (only block heads are tracked:
/// the other frames of a block are ``tail``).
///
/// Kernel: `PG_buddy` / `page_private` order on free heads; the rest of `struct page` is not
/// modelled per frame.
enum FrameState: UInt8 {
  /// A hole, or memory the buddy allocator never received (reserved at boot).
  case unavailable = 0
  /// Inside a larger block (free or allocated), not its head.
  case tail = 1
  /// The head of a free block on a buddy free list (`PG_buddy`).
  case freeHead = 2
  /// The head of an allocated block.
  case allocatedHead = 3
  /// An order-0…3 block sitting on a per-cpu list: allocated as far as the buddy lists know.
  case perCPUHead = 4
}

/// One simulated page frame: 16 bytes, no references.
///
/// The free-list links are PFNs (the kernel's `page->lru` list_head inside `struct page`).
@frozen
public struct PageFrame: Sendable {
  /// Next frame on the same free list, or ``noFrame``.
  var next: PFN
  /// Previous frame on the same free list, or ``noFrame``.
  var prev: PFN
  /// The block's order, on a block head.
  var order: UInt8
  /// ``FrameState`` raw value.
  var stateRaw: UInt8
  /// The migratetype of the block's list (free or per-cpu head) or of its allocation.
  var listType: UInt8
  /// The index of the frame's zone in the machine.
  var zone: UInt8
  /// Who holds an allocated block (0 = nobody recorded); for later owners (tasks, caches).
  var owner: UInt32

  static let unavailable = PageFrame(
    next: noFrame, prev: noFrame, order: 0, stateRaw: FrameState.unavailable.rawValue,
    listType: 0, zone: 0, owner: 0)

  var state: FrameState {
    @inline(__always) get { FrameState(rawValue: stateRaw) ?? .unavailable }
    @inline(__always) set { stateRaw = newValue.rawValue }
  }

  /// The frames from this one to the next block head: the block's pages on a free, allocated
  /// or per-cpu head, else 1.
  var blockSpan: Int {
    @inline(__always) get {
      stateRaw == FrameState.freeHead.rawValue || stateRaw == FrameState.allocatedHead.rawValue
        || stateRaw == FrameState.perCPUHead.rawValue ? 1 << Int(order) : 1
    }
  }
}
