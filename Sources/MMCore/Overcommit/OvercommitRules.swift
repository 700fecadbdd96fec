/// Which variant of each overcommit rule a kernel release follows
/// (show-mem-meminfo-overcommit.md §4).
///
/// Release boundaries: 5.2 is VERIFIED on the sheet (commit 8c7829b04c52); the others are the
/// release that merged the named change (INFERRED from the patch's date and tree).
public struct OvercommitRules: Hashable, Sendable {
  /// 3.14+: `vm.overcommit_kbytes` exists and, when non-zero, sizes CommitLimit's RAM part.
  public var hasOvercommitKbytes: Bool
  /// 3.10+: `vm.admin_reserve_kbytes` and `vm.user_reserve_kbytes` replace the hard-coded 3 %
  /// ("mm: replace hardcoded 3% with admin_reserve_pages knob", "mm: limit growth of 3%
  /// hardcoded other user reserve").
  public var hasReserveSysctls: Bool
  /// 5.2+: the heuristic only refuses a single request larger than RAM + swap ("mm: fix
  /// __vm_enough_memory() heuristic", 8c7829b04c52); before, it estimated the free memory.
  public var guessChecksSingleRequest: Bool
  /// 4.20+: the old heuristic's free estimate counts the misc reclaimable kernel memory.
  public var guessCountsMiscReclaimable: Bool
  /// 5.9+: `vm_committed_as`'s batch is ¼ of RAM per cpu in modes 0 and 1 and 1/256 in mode 2
  /// ("mm: adjust vm_committed_as_batch according to vm overcommit policy"); before, 1/256 in
  /// every mode.
  public var batchDependsOnMode: Bool

  /// The rules of `version`.
  public init(_ version: KernelVersion) {
    hasOvercommitKbytes = version.isAtLeast(3, 14)
    hasReserveSysctls = version.isAtLeast(3, 10)
    guessChecksSingleRequest = version.isAtLeast(5, 2)
    guessCountsMiscReclaimable = version.isAtLeast(4, 20)
    batchDependsOnMode = version.isAtLeast(5, 9)
  }
}
