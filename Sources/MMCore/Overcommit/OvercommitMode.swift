/// `vm.overcommit_memory`: how the kernel decides whether a new commitment of private writable
/// memory (an `mmap`, a `brk`, a stack that grows) is granted.
///
/// Kernel: `OVERCOMMIT_GUESS`, `OVERCOMMIT_ALWAYS`, `OVERCOMMIT_NEVER` (`include/linux/mman.h`),
/// read by `__vm_enough_memory()` in `mm/util.c` (`mm/mmap.c` before 3.12).
public enum OvercommitMode: Int, CaseIterable, Codable, Hashable, Sendable {
  /// 0, the default: a heuristic refuses only requests that obviously cannot be met.
  case guess = 0
  /// 1: every request is granted.
  case always = 1
  /// 2: strict accounting, Committed_AS must stay below CommitLimit less the reserves.
  case never = 2

  /// The kernel's constant, `OVERCOMMIT_GUESS` and so on.
  public var kernelName: String {
    switch self {
    case .guess: "OVERCOMMIT_GUESS"
    case .always: "OVERCOMMIT_ALWAYS"
    case .never: "OVERCOMMIT_NEVER"
    }
  }
}
