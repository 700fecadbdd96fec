import MMCore
import Testing

/// `oom_score_adj` ↔ legacy `oom_adj` (oom.md §4.6).
struct OOMScoreAdjTests {
  /// Read-back: −1000/−500/0/500 as verified on 6.1, 1000 as the special case, 999 capped.
  @Test(arguments: [
    (-1000, -17), (-500, -8), (0, 0), (500, 8), (58, 0), (-59, -1), (1000, 15), (999, 15),
    (941, 15), (940, 15), (882, 14),
  ])
  func readingOOMAdj(adj: Int, legacy: Int) {
    #expect(OOMScoreAdj.legacyValue(forScoreAdj: adj) == legacy)
  }

  @Test(arguments: [(15, 1000), (-17, -1000), (8, 470), (-8, -470), (0, 0), (1, 58), (14, 823)])
  func writingOOMAdj(legacy: Int, adj: Int) {
    #expect(OOMScoreAdj.scoreAdj(forLegacyValue: legacy) == adj)
  }

  @Test(arguments: [16, -18, 1000])
  func outOfRangeLegacyValuesAreRejected(legacy: Int) {
    #expect(OOMScoreAdj.scoreAdj(forLegacyValue: legacy) == nil)
  }
}
