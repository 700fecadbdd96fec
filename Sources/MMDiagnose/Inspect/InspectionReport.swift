/// Everything `oomlab inspect` reports about one machine, section by section; a section is
/// absent when its /proc files are.
///
/// In JSON the watermark and task sections' keys sit at the top level (as they always have)
/// and the commit and headroom sections under their own keys (`"commit"`, `"headroom"`).
public struct InspectionReport: Encodable, Hashable, Sendable {
  /// Zones, watermarks and reserves (needs zoneinfo).
  public var watermarks: WatermarkInspection?
  /// Tasks and the OOM victim (needs meminfo and `<pid>/status` files).
  public var tasks: TaskInspection?
  /// Commit accounting (needs meminfo).
  public var commit: CommitInspection?
  /// What the machine can still give, with findings (needs meminfo or zoneinfo).
  public var headroom: HeadroomInspection?

  /// Creates a report from its sections.
  public init(
    watermarks: WatermarkInspection?, tasks: TaskInspection? = nil, commit: CommitInspection?,
    headroom: HeadroomInspection? = nil
  ) {
    self.watermarks = watermarks
    self.tasks = tasks
    self.commit = commit
    self.headroom = headroom
  }

  private enum Key: String, CodingKey {
    case commit, headroom
  }

  /// Encodes the watermark and task keys, then the commit section beside them.
  public func encode(to encoder: any Encoder) throws {
    try watermarks?.encode(to: encoder)
    try tasks?.encode(to: encoder)
    var container = encoder.container(keyedBy: Key.self)
    try container.encodeIfPresent(commit, forKey: .commit)
    try container.encodeIfPresent(headroom, forKey: .headroom)
  }

  /// The sections' texts, a blank line between them, lines broken to fit 100 columns.
  public var text: String {
    Self.wrapped(
      [watermarks?.text, tasks?.text, commit?.text, headroom?.text].compactMap(\.self)
        .joined(separator: "\n"))
  }
}
