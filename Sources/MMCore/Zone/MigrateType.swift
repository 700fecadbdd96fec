/// A pageblock migratetype: what kind of allocation a block's pages serve.
///
/// Kernel: `enum migratetype` in `include/linux/mmzone.h` (4.4+ order; 3.x had RESERVE and a
/// different order). Letters as `show_mem` prints them (`U M E H C I`, and `R` for RESERVE ≤ 4.3).
public enum MigrateType: Int, CaseIterable, Hashable, Sendable {
  case unmovable, movable, reclaimable, highAtomic, cma, isolate
  /// `MIGRATE_RESERVE` (≤ 4.3).
  case reserve

  /// The name `/proc/pagetypeinfo` prints (`Unmovable`, `Movable`, …).
  public var kernelName: String {
    switch self {
    case .unmovable: "Unmovable"
    case .movable: "Movable"
    case .reclaimable: "Reclaimable"
    case .highAtomic: "HighAtomic"
    case .cma: "CMA"
    case .isolate: "Isolate"
    case .reserve: "Reserve"
    }
  }

  /// The migratetype `/proc/pagetypeinfo` names `kernelName`, or `nil` for a name oomlab does
  /// not model.
  public init?(kernelName: String) {
    guard let match = Self.allCases.first(where: { $0.kernelName == kernelName }) else {
      return nil
    }
    self = match
  }

  /// The letter `show_mem` prints after a free-block count.
  public var letter: Character {
    switch self {
    case .unmovable: "U"
    case .movable: "M"
    case .reclaimable: "E"
    case .highAtomic: "H"
    case .cma: "C"
    case .isolate: "I"
    case .reserve: "R"
    }
  }
}
