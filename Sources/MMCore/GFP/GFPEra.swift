/// A span of kernel releases that print GFP masks identically: same bits, same composite masks,
/// same `%pGg` name table.
///
/// Eras are finer than ``GFPLayout``s: within one numbering, composites and the printed table
/// still changed (e.g. `GFP_TRANSHUGE_LIGHT` in 4.8, `GFP_TEMPORARY` gone in 4.14, `GFP_NOWAIT`
/// gaining `__GFP_NOWARN` in 6.8, bit-ordered single flags in 6.15).
/// Facts: ../shared/kernel/gfp-flags.md §1–2.
public enum GFPEra: Int, CaseIterable, Comparable, Sendable {
  case upTo4_3, v4_4, v4_5, v4_6, v4_8, v4_10, v4_12, v4_13, v4_14, v4_15, v4_18, v5_1, v5_14
  case v5_18, v6_3, v6_4, v6_8, v6_10, v6_15

  /// Orders eras by age.
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// The era whose rules `version` follows; releases newer than every era follow the last one.
  public init(_ version: KernelVersion) {
    self = Self.allCases.last { version.isAtLeast($0.first.major, $0.first.minor) } ?? .upTo4_3
  }

  /// The first release series of the era.
  public var first: (major: Int, minor: Int) {
    switch self {
    case .upTo4_3: (2, 6)
    case .v4_4: (4, 4)
    case .v4_5: (4, 5)
    case .v4_6: (4, 6)
    case .v4_8: (4, 8)
    case .v4_10: (4, 10)
    case .v4_12: (4, 12)
    case .v4_13: (4, 13)
    case .v4_14: (4, 14)
    case .v4_15: (4, 15)
    case .v4_18: (4, 18)
    case .v5_1: (5, 1)
    case .v5_14: (5, 14)
    case .v5_18: (5, 18)
    case .v6_3: (6, 3)
    case .v6_4: (6, 4)
    case .v6_8: (6, 8)
    case .v6_10: (6, 10)
    case .v6_15: (6, 15)
    }
  }

  /// The last release series of the era; `nil` for the newest, which has no end.
  public var last: (major: Int, minor: Int)? {
    switch self {
    case .upTo4_3: (4, 3)
    case .v4_4: (4, 4)
    case .v4_5: (4, 5)
    case .v4_6: (4, 7)
    case .v4_8: (4, 9)
    case .v4_10: (4, 11)
    case .v4_12: (4, 12)
    case .v4_13: (4, 13)
    case .v4_14: (4, 14)
    case .v4_15: (4, 17)
    case .v4_18: (5, 0)
    case .v5_1: (5, 13)
    case .v5_14: (5, 17)
    case .v5_18: (6, 2)
    case .v6_3: (6, 3)
    case .v6_4: (6, 7)
    case .v6_8: (6, 9)
    case .v6_10: (6, 14)
    case .v6_15: nil
    }
  }

  /// The releases of the era as text: `5.1–5.13`, `6.3`, or `6.15+`.
  public var releases: String { Self.releaseSpan(from: first, through: last) }

  /// Releases `first` through `last` as text: `5.1–5.13`, `6.3`, or, without an end, `6.15+`.
  static func releaseSpan(
    from first: (major: Int, minor: Int), through last: (major: Int, minor: Int)?
  ) -> String {
    let start = "\(first.major).\(first.minor)"
    guard let last else { return start + "+" }
    return last == first ? start : start + "–\(last.major).\(last.minor)"
  }

  /// The bit numbering the era uses.
  public var layout: GFPLayout {
    switch self {
    case .upTo4_3: .upTo4_3
    case .v4_4: .v4_4
    case .v4_5, .v4_6, .v4_8: .v4_5
    case .v4_10, .v4_12: .v4_10
    case .v4_13, .v4_14: .v4_13
    case .v4_15: .v4_15
    case .v4_18: .v4_18
    case .v5_1: .v5_1
    case .v5_14: .v5_14
    case .v5_18: .v5_18
    case .v6_3: .v6_3
    case .v6_4, .v6_8: .v6_4
    case .v6_10, .v6_15: .v6_10
    }
  }

  /// Whether released kernels of the era print `%pGg` names after the hex (4.6+).
  public var printsNames: Bool { self >= .v4_6 }
}
