public import MMCore

/// A run of whole lines of a log that can hold reports, cut out by ``ReportWindows`` for the
/// whole-log finders (`AllocFailureReport.findAll`, `OOMReport.findAll` with `firstLine:`).
public struct ReportWindow: Hashable, Sendable {
  /// The lines' bytes, each line ending in `\n` (the log's last line may lack it).
  public var bytes: [UInt8]
  /// The 1-based number of the first line in the whole log.
  public var firstLine: Int
  /// The first release the log prints up to the end of this window (the `Linux version`
  /// banner, a `CPU: … Tainted:` line), for reports that print none of their own.
  public var logKernel: KernelVersion?

  /// Creates a window.
  public init(bytes: [UInt8], firstLine: Int, logKernel: KernelVersion? = nil) {
    self.bytes = bytes
    self.firstLine = firstLine
    self.logKernel = logKernel
  }

  /// The lines as text (invalid UTF-8 repaired, as a whole-log read does).
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}
