/// Everything `oomlab inspect` reports about one machine, section by section; a section is
/// absent when its /proc files are.
///
/// In JSON the watermark section's keys sit at the top level (as they always have) and each
/// other section under its own key (`"commit"`).
public struct InspectionReport: Encodable, Hashable, Sendable {
  /// Zones, watermarks and reserves (needs zoneinfo).
  public var watermarks: WatermarkInspection?
  /// Commit accounting (needs meminfo).
  public var commit: CommitInspection?

  /// Creates a report from its sections.
  public init(watermarks: WatermarkInspection?, commit: CommitInspection?) {
    self.watermarks = watermarks
    self.commit = commit
  }

  private enum Key: String, CodingKey {
    case commit
  }

  /// Encodes the watermark keys, then the other sections beside them.
  public func encode(to encoder: any Encoder) throws {
    try watermarks?.encode(to: encoder)
    var container = encoder.container(keyedBy: Key.self)
    try container.encodeIfPresent(commit, forKey: .commit)
  }

  /// The sections' texts, a blank line between them.
  public var text: String {
    [watermarks?.text, commit?.text].compactMap(\.self).joined(separator: "\n")
  }
}
