package import Foundation

/// A synthetic series of /proc captures with a steady leak, built from a real ground-truth
/// snapshot: MemFree and MemAvailable fall, and one task's `VmRSS`/`RssAnon` rise, by the same
/// kB every second, with a small alternating jitter so that the fit has noise to average.
///
/// The base is `oom-victim/default/02-after-hog` (Debian 6.1, 421 MiB, no swap) with holder2's
/// `oom_score_adj` set to 0, so that the largest task (holder2, 123 MB) is the victim at the
/// start and the leaker (holder0, 62 MB) overtakes it only by leaking.
package struct LeakSeries {
  /// The ground-truth snapshot the series starts from.
  package static let base = Fixtures.groundTruth.appendingPathComponent(
    "oom-victim/default/02-after-hog/proc")
  /// The leaking task.
  package static let leakerPID = 249
  /// The largest task at the start (the victim before the leak matters).
  package static let largestPID = 258

  /// kB leaked per second (0: a flat series).
  package var rateKB: Int
  /// Seconds between captures.
  package var interval: Double
  /// Largest jitter on MemFree, MemAvailable and the leaker's RSS, in kB.
  package var jitterKB: Int

  /// Creates a series.
  package init(rateKB: Int = 1024, interval: Double = 10, jitterKB: Int = 400) {
    self.rateKB = rateKB
    self.interval = interval
    self.jitterKB = jitterKB
  }

  /// MemAvailable + SwapFree at the start, in kB.
  package static func headroomKB() throws -> Int {
    let meminfo = try Fixtures.text(of: base.appendingPathComponent("meminfo"))
    return try value("MemAvailable", in: meminfo) + value("SwapFree", in: meminfo)
  }

  /// The seconds from the start at which the leak has taken all of MemAvailable + SwapFree:
  /// the constructed time of the OOM.
  package func oomTime() throws -> Double { Double(try Self.headroomKB()) / Double(rateKB) }

  /// The capture's time.
  package func time(ofStep step: Int) -> Double { Double(step) * interval }

  /// The files of capture `step` (0 first), by path relative to the capture: the base's
  /// meminfo, zoneinfo, buddyinfo, version, sys/vm and each task's status, comm and
  /// oom_score_adj, with the leak applied.
  package func files(step: Int) throws -> [String: String] {
    let leaked = Int(time(ofStep: step) * Double(rateKB))
    let jitter = [0, 1, -1][step % 3] * jitterKB
    var files: [String: String] = [:]
    for name in ["zoneinfo", "buddyinfo", "version"] {
      files[name] = try Fixtures.text(of: Self.base.appendingPathComponent(name))
    }
    for (name, text) in try Fixtures.sysVMFiles(in: Self.base) { files["sys/vm/" + name] = text }
    var meminfo = try Fixtures.text(of: Self.base.appendingPathComponent("meminfo"))
    for field in ["MemFree", "MemAvailable"] {
      meminfo = try Self.replacing(field, in: meminfo) { $0 - leaked + jitter }
    }
    files["meminfo"] = meminfo
    for pid in try FileManager.default.contentsOfDirectory(atPath: Self.base.path)
    where Int(pid) != nil {
      let folder = Self.base.appendingPathComponent(pid)
      var status = try Fixtures.text(of: folder.appendingPathComponent("status"))
      if Int(pid) == Self.leakerPID {
        for field in ["VmRSS", "RssAnon"] {
          status = try Self.replacing(field, in: status) { $0 + leaked + jitter / 8 }
        }
      }
      files[pid + "/status"] = status
      files[pid + "/comm"] = try Fixtures.text(of: folder.appendingPathComponent("comm"))
      files[pid + "/oom_score_adj"] =
        Int(pid) == Self.largestPID
        ? "0\n" : try Fixtures.text(of: folder.appendingPathComponent("oom_score_adj"))
    }
    return files
  }

  /// Writes capture `step` below `folder`.
  package func write(step: Int, to folder: URL) throws {
    for (path, text) in try files(step: step) {
      let file = folder.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: file, atomically: true, encoding: .utf8)
    }
  }

  /// A `Name:  value kB` line of meminfo or status with its value changed, the column kept.
  static func replacing(_ name: String, in text: String, _ change: (Int) -> Int) throws
    -> String
  {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let index = lines.firstIndex(where: { $0.hasPrefix(name + ":") }) else {
      throw MissingField(name: name)
    }
    let line = lines[index]
    let value = change(try value(name, in: line))
    let head = name + ":" + (line.contains("\t") ? "\t" : "")
    let number = String(value)
    let width = max(line.count - head.count - " kB".count, number.count + 1)
    lines[index] = head + String(repeating: " ", count: width - number.count) + number + " kB"
    return lines.joined(separator: "\n")
  }

  /// The value of a `Name: value kB` line.
  static func value(_ name: String, in text: String) throws -> Int {
    let line = text.split(separator: "\n").first { $0.hasPrefix(name + ":") }
    let words = line?.split(whereSeparator: \.isWhitespace) ?? []
    guard words.count >= 2, let value = Int(words[1]) else { throw MissingField(name: name) }
    return value
  }

  /// The base snapshot lacks a field the series changes.
  package struct MissingField: Error, CustomStringConvertible {
    package var name: String
    package var description: String { "\(LeakSeries.base.path): no '\(name):' line" }
  }
}
