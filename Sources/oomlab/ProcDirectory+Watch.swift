internal import Foundation
internal import MMCore
internal import MMDiagnose

extension ProcDirectory {
  /// Whether the directory is laid out like /proc: it holds `meminfo` or `zoneinfo`.
  var isProcShaped: Bool { contains("meminfo") || contains("zoneinfo") }

  /// Seconds since boot from `uptime` (`/proc/uptime`: `"%lu.%02lu %lu.%02lu\n"`, the first
  /// number), or `nil` without the file.
  func uptime() throws -> Double? {
    try seconds(inFile: "uptime")
  }

  /// The first whitespace-separated number of a file, as seconds; `nil` without the file.
  ///
  /// - Throws: ``InputError`` naming the file when it does not start with a number.
  func seconds(inFile name: String) throws -> Double? {
    guard let text = try text(name) else { return nil }
    let first = text.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
    guard let value = Double(first), value.isFinite else {
      let file = (path as NSString).appendingPathComponent(name)
      throw InputError(message: "\(file):1:1: expected seconds, found '\(first.prefix(40))'")
    }
    return value
  }

  /// One sample for `oomlab watch`: whatever of meminfo, zoneinfo, buddyinfo, pagetypeinfo,
  /// sys/vm and the `<pid>` directories the directory holds (a missing file shrinks the sample).
  ///
  /// - Parameters:
  ///   - time: the sample's time on the series' clock.
  ///   - kernel: the release given on the command line; else the `version` file's.
  /// - Throws: ``InputError`` naming the file (and line) of an unreadable or malformed one.
  func watchSample(time: Double, kernel: KernelVersion?) throws -> WatchSample {
    WatchSample(
      time: time, source: path, memInfo: try memInfo(),
      zoneInfo: contains("zoneinfo") ? try zoneInfo() : nil, buddyInfo: try buddyInfo(),
      pageTypeInfo: try pageTypeInfo(), processes: try processEntries(), sysVM: try sysVM(),
      kernel: try kernel ?? kernelVersion())
  }
}
