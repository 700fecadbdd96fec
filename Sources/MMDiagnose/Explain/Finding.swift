/// One reason a report's failure happened, with the numbers that show it and what to do.
///
/// Ids come from a fixed catalogue (docs/explain.md): `cma-unusable`, `fragmentation`,
/// `below-watermark`, `atomic-context`, `costly-order` for allocation failures;
/// `memcg-limit`, `leak-suspect`, `oom-panic`, `victim-choice` for OOM kills; `lowmem-exhausted`,
/// `dma-zone`, `numa-policy`, `hugetlb-reserved`, `swap-exhausted` from any report's
/// `Mem-Info:` block (and the zone findings again for `showmem` dumps); `oomlab inspect` adds
/// the live-machine ids of docs/inspect.md (`cma-free`, `movable-exhausted`, …).
public struct Finding: Hashable, Sendable, Codable {
  /// The catalogue id (`cma-unusable`, `victim-choice`, …).
  public var id: String
  /// One sentence saying what was found, with the key numbers.
  public var title: String
  /// The numbers behind the title, each naming the log line it was read from
  /// (`line 33: Normal free:248344kB …`) or the rule it was computed with.
  public var evidence: [String]
  /// What would prevent the failure, tied to this finding.
  public var remedy: String
  /// How much of the failure the finding explains, 0–100: findings are listed by it, the cause
  /// first.
  public var weight: Int

  /// Creates a finding.
  public init(id: String, title: String, evidence: [String], remedy: String, weight: Int) {
    self.id = id
    self.title = title
    self.evidence = evidence
    self.remedy = remedy
    self.weight = weight
  }
}

extension Finding {
  /// Sorts findings by weight, heaviest first, keeping the catalogue order among equals.
  static func byWeight(_ findings: [Finding]) -> [Finding] {
    findings.enumerated().sorted { a, b in
      a.element.weight != b.element.weight
        ? a.element.weight > b.element.weight : a.offset < b.offset
    }.map(\.element)
  }
}

/// Formats kilobytes as the log prints them, with MiB for scale: `248344 kB (242.5 MiB)`.
func kilobytesText(_ kilobytes: Int) -> String {
  let tenths = (kilobytes &* 10 &+ 512) / 1024
  return "\(kilobytes) kB (\(tenths / 10).\(tenths % 10) MiB)"
}

/// `part` as a whole percentage of `whole` (0 when `whole` is 0).
func percent(_ part: Int, of whole: Int) -> Int {
  guard whole > 0 else { return 0 }
  return part > Int.max / 100 ? part / max(whole / 100, 1) : part * 100 / whole
}
