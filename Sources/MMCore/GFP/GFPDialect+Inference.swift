extension GFPDialect {
  /// The configs tried when inferring, most common first.
  private static let inferenceConfigs: [GFPConfig] = [
    .distribution, [], [.lockdep, .slabObjExt], [.kasanHWTags, .slabObjExt],
    [.kasanHWTags, .lockdep, .slabObjExt],
  ]

  /// Every dialect that prints `names` for `rawValue`: the kernels that could have printed
  /// `0x<rawValue>(<names>)` when the log does not say which kernel it is.
  ///
  /// Each era appears at most once, with the most common config that fits; eras that print no
  /// names (≤ 4.5 releases) never fit. Pre-release quirks (linux-next trace table, early 5.14
  /// candidates) are tried after the releases.
  ///
  /// - Complexity: O(eras × configs × table size).
  public static func candidates(rawValue: UInt64, printedNames names: String) -> [GFPDialect] {
    var result: [GFPDialect] = []
    for era in GFPEra.allCases where era.printsNames {
      for config in inferenceConfigs {
        let dialect = GFPDialect(era: era, config: config)
        if dialect.names(of: rawValue) == names {
          result.append(dialect)
          break
        }
      }
    }
    let quirks: [GFPDialect] = [
      GFPDialect(era: .v4_4, quirk: .linuxNextTraceTable),
      GFPDialect(era: .v4_5, quirk: .linuxNextTraceTable),
      GFPDialect(era: .v5_14, quirk: .earlyZeroTagsTable),
    ]
    result += quirks.filter { $0.names(of: rawValue) == names }
    return result
  }

  /// The releases a list of dialects covers, merged into spans: `5.1–5.13, 5.18–6.7`.
  public static func releaseSpans(of dialects: [GFPDialect]) -> String {
    let eras = Set(dialects.filter { $0.quirk == nil }.map(\.era)).sorted()
    var spans: [(GFPEra, GFPEra)] = []
    for era in eras {
      if let last = spans.last, last.1.rawValue + 1 == era.rawValue {
        spans[spans.count - 1].1 = era
      } else {
        spans.append((era, era))
      }
    }
    var parts = spans.map { first, last in GFPEra.releaseSpan(from: first.first, through: last.last)
    }
    for dialect in dialects where !eras.contains(dialect.era) {
      switch dialect.quirk {
      case .linuxNextTraceTable?: parts.append("\(dialect.era.releases) linux-next")
      case .earlyZeroTagsTable?: parts.append("5.14-rc")
      case nil: break
      }
    }
    return parts.joined(separator: ", ")
  }
}
