/// The first line (or lines) of an allocation-failure warning: who failed, what, and with which
/// GFP mask.
///
/// Examples, one per ``Layout``:
///
///     gnome-shell: page allocation failure. order:4, mode:0xd0                  (2.6 ≤ .38)
///     DVBRead: page allocation failure: order:4, mode:0xc0d0                    (2.6.39–4.5)
///     swapper/0: page allocation failure: order:0, mode:0x2080020(GFP_ATOMIC)   (4.6–4.10)
///     emerge: vmalloc: allocation failure, allocated 8192 of 20480 bytes, mode:0x7080c0(…), nodemask=(null)
///     emerge cpuset=/ mems_allowed=0                                            (4.11–4.20)
///     cat: page allocation failure: order:5, mode:0x40dc0(…), nodemask=(null),cpuset=/,mems_allowed=0
///
/// Before 4.9 a vmalloc failure printed its own message on a line of its own and then the usual
/// `page allocation failure` line; from 4.9 the vmalloc message replaces `page allocation
/// failure: order:N` inside the one line. Both are one ``Message/vmalloc(_:)`` here, and the
/// layout decides how it prints.
///
/// Kernel: `warn_alloc()` in `mm/page_alloc.c` (4.9+), `warn_alloc_failed()` (2.6.39–4.8),
/// `__alloc_pages_slowpath()`'s `printk` (≤ 2.6.38); `cpuset_print_current_mems_allowed()` in
/// `kernel/cgroup/cpuset.c`; the vmalloc messages in `mm/vmalloc.c`
/// (../shared/kernel/gfp-flags.md §6).
public struct WarnAllocHeader: Hashable, Sendable {
  /// The task name the kernel printed before the message (`current->comm`), or `nil` when the
  /// log lost it (interleaved output, a trimmed paste).
  public var comm: String?
  /// What failed.
  public var message: Message
  /// The allocation order printed with a page-allocation message (and, before 4.9, on the line
  /// that follows a vmalloc message); `nil` for the 4.9+ vmalloc messages, or when the text was
  /// cut before it.
  public var order: Int?
  /// The GFP mask value, in the printing kernel's own numbering; `nil` when the text was cut
  /// before it.
  public var gfpMask: UInt64?
  /// The `%pGg` names in the parentheses after the mask (possibly empty), or `nil` when the
  /// kernel printed none (before 4.6).
  public var gfpNames: String?
  /// The `nodemask=` text: `(null)` or a node range list such as `0-1`; `nil` before 4.11.
  public var nodemask: String?
  /// The task's cpuset cgroup name (`/` for the root), or `nil` when not printed (before 4.11,
  /// or a kernel without `CONFIG_CPUSETS`).
  public var cpuset: String?
  /// The task's `mems_allowed` as a node range list (`0`, `0-3`); `nil` when not printed.
  public var memsAllowed: String?
  /// The line layout the kernel printed the header in.
  public var layout: Layout

  /// Creates a header from its printed fields, exactly as given.
  public init(
    comm: String?, message: Message, order: Int?, gfpMask: UInt64?, gfpNames: String?,
    nodemask: String?, cpuset: String?, memsAllowed: String?, layout: Layout
  ) {
    self.comm = comm
    self.message = message
    self.order = order
    self.gfpMask = gfpMask
    self.gfpNames = gfpNames
    self.nodemask = nodemask
    self.cpuset = cpuset
    self.memsAllowed = memsAllowed
    self.layout = layout
  }

  /// Creates the header `kernel` prints for a failed request: the layout from the release, and
  /// the `%pGg` names from that kernel's GFP tables when it prints names.
  ///
  /// Fields the layout does not print are dropped: the names before 4.6, the nodemask before
  /// 4.11, the cpuset and `mems_allowed` before 4.11 or when `cpuset` is `nil`
  /// (`!CONFIG_CPUSETS`).
  ///
  /// - Parameters:
  ///   - kernel: the release that prints the header.
  ///   - comm: the failing task's name.
  ///   - message: what failed.
  ///   - order: the order of a page allocation (ignored for the 4.9+ vmalloc messages).
  ///   - gfpMask: the mask in `kernel`'s numbering.
  ///   - nodemask: `(null)` or the node range list the request was restricted to.
  ///   - cpuset: the task's cpuset name, or `nil` for a kernel without cpusets.
  ///   - memsAllowed: the task's allowed nodes as a range list.
  public init(
    kernel: KernelVersion, comm: String, message: Message, order: Int?, gfpMask: UInt64,
    nodemask: String = "(null)", cpuset: String? = "/", memsAllowed: String = "0"
  ) {
    let layout = Layout(kernel: kernel)
    let inline = layout >= .v4_9
    var order = order
    if case .vmalloc = message, inline { order = nil }
    self.init(
      comm: comm, message: message, order: order, gfpMask: gfpMask,
      gfpNames: layout.printsNames ? GFPDialect(kernel: kernel).names(of: gfpMask) : nil,
      nodemask: layout.printsNodemask ? nodemask : nil,
      cpuset: layout.printsNodemask ? cpuset : nil,
      memsAllowed: layout.printsNodemask && cpuset != nil ? memsAllowed : nil,
      layout: layout)
  }
}

// MARK: - Message

extension WarnAllocHeader {
  /// The message between the task name and `, mode:`.
  public enum Message: Hashable, Sendable {
    /// `page allocation failure: order:%u` (`__alloc_pages_slowpath()` gave up).
    case pageAllocationFailure
    /// `page allocation stalls for %ums, order:%u` (4.9–4.14: a request spent more than 10 s
    /// in the slow path).
    case pageAllocationStalls(milliseconds: Int)
    /// A vmalloc failure (`__vmalloc_node_range()` and its helpers in `mm/vmalloc.c`).
    case vmalloc(VMallocFailure)
  }

  /// The vmalloc failure messages.
  public enum VMallocFailure: Hashable, Sendable {
    /// `vmalloc: allocation failure: %lu bytes` (the size is too large; ≤ 5.12).
    case allocationFailure(bytes: Int)
    /// `vmalloc: allocation failure, allocated %ld of %ld bytes` (a page allocation failed part
    /// way; ≤ 5.12).
    case partialAllocation(allocated: Int, requested: Int)
    /// `vmalloc error: size %lu, exceeds total pages` (5.13+).
    case exceedsTotalPages(size: Int)
    /// `vmalloc error: size %lu, vm_struct allocation failed` (5.13+: no virtual area).
    case vmStructAllocationFailed(size: Int)
    /// `vmalloc error: size %lu, failed to allocated page array size %lu` (5.13+, the kernel's
    /// spelling).
    case pageArrayAllocationFailed(size: Int, arraySize: Int)
    /// `vmalloc error: size %lu, page order %u, failed to allocate pages` (5.13+).
    case pagesAllocationFailed(size: Int, order: Int)
    /// `vmalloc error: size %lu, failed to map pages` (5.13+).
    case mapFailed(size: Int)
    /// `vmalloc error: size %lu, <text>` with a text oomlab does not know, kept as printed.
    case other(size: Int, text: String)
  }
}
