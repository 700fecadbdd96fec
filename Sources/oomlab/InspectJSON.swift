internal import MMDiagnose

/// The JSON object `oomlab inspect --json` prints: each section's keys side by side in one
/// object.
struct InspectJSON: Encodable {
  /// Zones, watermarks and reserves.
  var watermarks: WatermarkInspection
  /// Tasks and the OOM victim, when the directory has processes.
  var tasks: TaskInspection?

  func encode(to encoder: any Encoder) throws {
    try watermarks.encode(to: encoder)
    try tasks?.encode(to: encoder)
  }
}
