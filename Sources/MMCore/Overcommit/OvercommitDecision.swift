/// The answer to "is this commitment granted?", with the test that decided it and its numbers.
///
/// Kernel: the branches of `__vm_enough_memory()` in `mm/util.c`.
public struct OvercommitDecision: Hashable, Sendable {
  /// The request, in pages.
  public var pages: Int
  /// Whether the kernel grants it (`__vm_enough_memory()` returns 0, not `-ENOMEM`).
  public var granted: Bool
  /// The test that decided.
  public var test: Test

  /// Creates a decision.
  public init(pages: Int, granted: Bool, test: Test) {
    self.pages = pages
    self.granted = granted
    self.test = test
  }

  /// Which branch of `__vm_enough_memory()` decided, with what it compared.
  public enum Test: Hashable, Sendable {
    /// Mode 1: every request is granted.
    case always
    /// Mode 0 from 5.2: granted unless the request alone exceeds totalram + swap pages.
    case singleRequest(limitPages: Int)
    /// Mode 0 before 5.2: granted when the estimated free pages, less `totalreserve_pages` and
    /// (without `CAP_SYS_ADMIN`) the admin reserve, exceed the request.
    case estimatedFree(freePages: Int)
    /// Mode 2: granted when Committed_AS, which already holds the request, as the global count
    /// reads it, is below CommitLimit less the reserves.
    case commitLimit(Strict)
  }

  /// The numbers of the strict test, in pages.
  public struct Strict: Hashable, Sendable {
    /// `vm_commit_limit()`.
    public var limitPages: Int
    /// Taken off for tasks without `CAP_SYS_ADMIN`: `admin_reserve_kbytes` (3.10+), before
    /// that 1/32 of the RAM part.
    public var adminReservePages: Int
    /// Taken off for a task with an mm: min(total_vm / 32, `user_reserve_kbytes`) (3.10+),
    /// before that total_vm / 32.
    public var userReservePages: Int
    /// The limit less both reserves.
    public var allowedPages: Int
    /// The global count of `vm_committed_as` the test read (request included if it was folded).
    public var committedPages: Int
  }
}

// MARK: - Description

extension OvercommitDecision: CustomStringConvertible {
  /// One line: the outcome, then the comparison that gave it.
  public var description: String {
    let outcome = granted ? "granted" : "refused (ENOMEM)"
    switch test {
    case .always:
      return "\(pages) pages \(outcome): overcommit_memory 1 grants every request"
    case .singleRequest(let limit):
      let relation = granted ? "≤" : ">"
      return "\(pages) pages \(outcome): \(relation) RAM + swap \(limit) pages"
    case .estimatedFree(let free):
      let relation = granted ? "<" : "≥"
      return "\(pages) pages \(outcome): \(relation) the heuristic's free estimate \(free) pages"
    case .commitLimit(let strict):
      let relation = granted ? "<" : "≥"
      return
        "\(pages) pages \(outcome): Committed_AS \(strict.committedPages) \(relation) allowed "
        + "\(strict.allowedPages) pages (CommitLimit \(strict.limitPages) − admin reserve "
        + "\(strict.adminReservePages) − user reserve \(strict.userReservePages))"
    }
  }
}
