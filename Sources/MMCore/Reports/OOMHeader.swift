/// The first line of an OOM report: who invoked the OOM killer, for which request.
///
///     oom-killer: gfp_mask=0x201d2, order=0                                        (≤ 2.6.2x)
///     rhythmbox invoked oom-killer: gfp_mask=0x44d0, order=2, oomkilladj=0         (2.6.2x–.35)
///     sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0 (RHEL 6, 3.2)
///     AliYunDun invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0     (2.6.36–4.4)
///     leaker invoked oom-killer: gfp_mask=0x600040(GFP_NOFS), nodemask=(null), order=0, oom_score_adj=0
///     hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0 (4.19+)
///
/// The fields are kept in print order, so that every historical arrangement (including the
/// 4.10–4.17 `nodemask=…,  order=` with two spaces) renders as printed.
///
/// Kernel: `dump_header()` in `mm/oom_kill.c` (../shared/kernel/oom.md §7.1).
public struct OOMHeader: Hashable, Sendable {
  /// One `name=value` field of the header.
  public enum Field: Hashable, Sendable {
    /// `gfp_mask=0x%x`, with the `%pGg` names in parentheses from 4.5 (`nil` before).
    case gfpMask(UInt64, names: String?)
    /// `nodemask=%*pbl` or `(null)` (4.8–4.18); `wide` when two spaces follow its comma
    /// (4.10–4.17).
    case nodemask(String, wide: Bool)
    /// `order=%d` (`-1` for a page-fault or sysrq OOM on some kernels).
    case order(Int)
    /// `oomkilladj=%d` (≤ 2.6.35).
    case oomkilladj(Int)
    /// `oom_adj=%d` (RHEL 6 and 3.x kernels that printed both).
    case oomAdj(Int)
    /// `oom_score_adj=%hd` (2.6.36+).
    case oomScoreAdj(Int)
  }

  /// The allocating task's name (`current->comm`), or `nil` for the ≤ 2.6.2x line that has no
  /// `%s invoked ` before `oom-killer:`.
  public var comm: String?
  /// The fields in print order.
  public var fields: [Field]

  /// Creates a header from its task name and fields in print order.
  public init(comm: String?, fields: [Field]) {
    self.comm = comm
    self.fields = fields
  }

  /// The GFP mask, in the printing kernel's numbering.
  public var gfpMask: UInt64? {
    for case .gfpMask(let mask, _) in fields { return mask }
    return nil
  }

  /// The `%pGg` names of the mask, when the kernel printed them (4.5+).
  public var gfpNames: String? {
    for case .gfpMask(_, let names) in fields { return names }
    return nil
  }

  /// The nodemask text (`(null)`, `0-1`), when printed (4.8–4.18).
  public var nodemask: String? {
    for case .nodemask(let text, _) in fields { return text }
    return nil
  }

  /// The allocation order.
  public var order: Int? {
    for case .order(let order) in fields { return order }
    return nil
  }

  /// The allocating task's `oom_score_adj`, or its `oomkilladj` on ≤ 2.6.35.
  public var oomScoreAdj: Int? {
    for field in fields {
      switch field {
      case .oomScoreAdj(let value), .oomkilladj(let value): return value
      default: continue
      }
    }
    return nil
  }
}

/// The ≤ 4.18 line after the header: `%s cpuset=%s mems_allowed=%*pbl`.
///
/// Kernel: `cpuset_print_current_mems_allowed()` in `kernel/cgroup/cpuset.c`.
public struct OOMCpusetLine: Hashable, Sendable {
  /// The allocating task's name.
  public var comm: String
  /// The task's cpuset cgroup name (`/` for the root).
  public var cpuset: String
  /// The task's allowed nodes as a range list (`0`, `0-1`).
  public var memsAllowed: String

  /// Creates the line.
  public init(comm: String, cpuset: String, memsAllowed: String) {
    self.comm = comm
    self.cpuset = cpuset
    self.memsAllowed = memsAllowed
  }
}

extension OOMHeader {
  /// Creates the header `kernel` prints for an OOM: the fields it prints, in its order.
  ///
  /// Ranges (oom.md §7.1, checked against the corpus): `oomkilladj=` before 2.6.36;
  /// `oom_adj=` before `oom_score_adj=` until 3.6 (3.2 prints both, 3.10 only the latter); the
  /// `%pGg` names from 4.5; `nodemask=` from 4.8 to 4.20 (two spaces before `order=` from 4.10
  /// to 4.17; 4.18 and 4.20 print one).
  ///
  /// - Parameters:
  ///   - kernel: the release that prints the header.
  ///   - comm: the allocating task's name.
  ///   - gfpMask: the request's mask in `kernel`'s numbering.
  ///   - order: the request's order.
  ///   - oomScoreAdj: the allocating task's `oom_score_adj` (its `oomkilladj` before 2.6.36).
  ///   - oomAdj: the task's legacy `oom_adj`, printed by 2.6.36–3.6.
  ///   - nodemask: `(null)` or the request's node list, printed by 4.8–4.20.
  public init(
    kernel: KernelVersion, comm: String, gfpMask: UInt64, order: Int, oomScoreAdj: Int,
    oomAdj: Int = 0, nodemask: String = "(null)"
  ) {
    let v = (kernel.major, kernel.minor, kernel.patch)
    let names = v >= (4, 5, 0) ? GFPDialect(kernel: kernel).names(of: gfpMask) : nil
    var fields: [Field] = [.gfpMask(gfpMask, names: names)]
    if v >= (4, 8, 0), v < (5, 0, 0) {
      fields.append(.nodemask(nodemask, wide: v >= (4, 10, 0) && v < (4, 18, 0)))
    }
    fields.append(.order(order))
    if v < (2, 6, 36) {
      fields.append(.oomkilladj(oomScoreAdj))
    } else {
      if v < (3, 7, 0) { fields.append(.oomAdj(oomAdj)) }
      fields.append(.oomScoreAdj(oomScoreAdj))
    }
    self.init(comm: comm, fields: fields)
  }
}
