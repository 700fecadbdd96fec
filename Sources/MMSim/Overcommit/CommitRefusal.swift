public import MMCore

/// A commitment `__vm_enough_memory()` refused: the request, who asked, and the accounting as it
/// stood (the simulator's record of an `ENOMEM` from `mmap`, or of heap growth a fault needed).
///
/// Kernel: the refusal branch of `__vm_enough_memory()` in `mm/util.c`; 6.8+ also logs
/// `__vm_enough_memory: pid: …, comm: …, bytes: … not enough memory for the allocation`.
public struct CommitRefusal: Hashable, Sendable {
  /// The task that asked.
  public var pid: Int
  /// The request, in pages.
  public var pages: Int
  /// `vm.overcommit_memory` at the time.
  public var mode: OvercommitMode
  /// CommitLimit at the time, in pages.
  public var commitLimitPages: Int
  /// Committed_AS as `/proc/meminfo` showed it just before the request, in pages.
  public var committedASPages: Int
  /// The test that refused, with its numbers.
  public var decision: OvercommitDecision

  /// Creates a refusal.
  public init(
    pid: Int, pages: Int, mode: OvercommitMode, commitLimitPages: Int, committedASPages: Int,
    decision: OvercommitDecision
  ) {
    self.pid = pid
    self.pages = pages
    self.mode = mode
    self.commitLimitPages = commitLimitPages
    self.committedASPages = committedASPages
    self.decision = decision
  }
}

// MARK: - Description

extension CommitRefusal: CustomStringConvertible {
  /// One line: who, the mode, and the decision's comparison.
  public var description: String {
    "pid \(pid), overcommit_memory \(mode.rawValue): \(decision)"
  }
}
