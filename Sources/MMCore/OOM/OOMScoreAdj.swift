/// The mapping between `oom_score_adj` (−1000…1000) and the legacy `/proc/PID/oom_adj`
/// (−17…15).
///
/// Kernel: `oom_adj_write()` and `oom_adj_read()` in `fs/proc/base.c`.
/// Facts: ../shared/kernel/oom.md §4.6 (read-back verified on 6.1 for −1000/−500/0/500).
public enum OOMScoreAdj {
  /// `OOM_DISABLE`: the legacy value that means never kill.
  public static let legacyDisable = -17
  /// `OOM_ADJUST_MAX`.
  public static let legacyMax = 15

  /// What reading `oom_adj` shows for an `oom_score_adj`: 15 for 1000, else adj × 17 / 1000
  /// truncated toward zero and capped at 15.
  ///
  /// The cap is a later fix (kernels without it print 16 for adj 942…999; its release is not
  /// verified); 1000 → 15 is a special case in every version read.
  public static func legacyValue(forScoreAdj adj: Int) -> Int {
    if adj == OOMBadness.scoreAdjMax { return legacyMax }
    return min(adj * -legacyDisable / OOMBadness.scoreAdjMax, legacyMax)
  }

  /// The `oom_score_adj` that writing `value` to `oom_adj` sets: 15 → 1000, −17 → −1000,
  /// otherwise value × 1000 / 17 (truncated toward zero).
  ///
  /// - Returns: `nil` when `value` is outside −17…15 (the kernel's `-EINVAL`).
  public static func scoreAdj(forLegacyValue value: Int) -> Int? {
    guard (legacyDisable...legacyMax).contains(value) else { return nil }
    if value == legacyMax { return OOMBadness.scoreAdjMax }
    if value == legacyDisable { return OOMBadness.scoreAdjMin }
    return value * OOMBadness.scoreAdjMax / -legacyDisable
  }
}
