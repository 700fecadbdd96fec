/// `vm_committed_as`: the pages committed to private writable mappings, a per-cpu counter.
///
/// A change goes to the cpu's local delta and reaches the global count only when |delta +
/// change| ≥ ``batch``; the delta then becomes 0. The strict-mode check reads only the global
/// count, so mappings smaller than the batch can pass it unseen; `/proc/meminfo` shows the exact
/// sum (5.9+; the global count before).
///
/// Kernel: `percpu_counter_add_batch()` in `lib/percpu_counter.c`, `vm_acct_memory()`,
/// `vm_memory_committed()` in `mm/util.c` (show-mem-meminfo-overcommit.md §4.2).
public struct CommittedCounter: Hashable, Sendable {
  /// The global count (`fbc->count`), in pages.
  public private(set) var count: Int
  /// Each cpu's local delta, in pages.
  public private(set) var deltas: [Int]
  /// `vm_committed_as_batch`.
  public var batch: Int

  /// A counter whose global count is `count` and whose local deltas are 0, as after a sync.
  public init(count: Int, cpus: Int = 1, batch: Int) {
    self.count = count
    self.deltas = Array(repeating: 0, count: max(cpus, 1))
    self.batch = batch
  }

  /// The exact sum, global count plus every delta (`percpu_counter_sum()`).
  public var sum: Int { deltas.reduce(count, +) }

  /// What the strict check reads: the global count, or 0 if negative
  /// (`percpu_counter_read_positive()`).
  public var readPositive: Int { max(count, 0) }

  /// Adds `amount` pages (negative to subtract) on `cpu`.
  ///
  /// - Throws: ``OvercommitError/noSuchCPU(_:cpus:)`` for a cpu the counter does not have.
  public mutating func add(_ amount: Int, cpu: Int = 0) throws(OvercommitError) {
    guard deltas.indices.contains(cpu) else { throw .noSuchCPU(cpu, cpus: deltas.count) }
    let local = deltas[cpu] + amount
    if abs(local) >= batch {
      count += local
      deltas[cpu] = 0
    } else {
      deltas[cpu] = local
    }
  }

  /// Folds every cpu's delta into the global count, as writing `overcommit_memory` = 2 does
  /// (`sync_overcommit_as()`, 5.9+).
  public mutating func sync() {
    count = sum
    for cpu in deltas.indices { deltas[cpu] = 0 }
  }
}

extension OvercommitFormulas {
  /// `vm_committed_as_batch`: max(32, 2 × cpus, RAM pages / cpus / 256), where the RAM share is
  /// / 4 instead in modes 0 and 1 from 5.9.
  ///
  /// Recomputed when `overcommit_memory` is written and on memory hotplug.
  ///
  /// Kernel: `mm_compute_batch()` in `mm/mm_init.c`.
  public static func committedBatch(
    mode: OvercommitMode, presentCPUs: Int, totalRAMPages: Int, version: KernelVersion
  ) -> Int {
    let cpus = max(presentCPUs, 1)
    let share = mode != .never && OvercommitRules(version).batchDependsOnMode ? 4 : 256
    let memorySized = min(totalRAMPages / cpus / share, Int(Int32.max))
    return max(memorySized, 2 * cpus, 32)
  }
}
