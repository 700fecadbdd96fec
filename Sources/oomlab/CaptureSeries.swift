internal import Foundation

/// Where `oomlab watch` reads its samples: one /proc-shaped directory read every interval (the
/// live /proc by default), or captures replayed in time order with their own times.
///
/// The rules (docs/watch.md):
/// - no `--proc`, or one that is itself /proc-shaped (holds `meminfo` or `zoneinfo`): live;
/// - one `--proc` that is not: a folder of captures, its /proc-shaped subfolders;
/// - several `--proc`: each is a capture.
///
/// A capture is a /proc-shaped folder, or a folder whose `proc/` child is one (the ground-truth
/// layout `<step>/proc/`).
enum SampleSource {
  /// Read this directory every interval.
  case live(ProcDirectory)
  /// Replay these captures, oldest first.
  case captures([Capture])

  /// Resolves the `--proc` paths.
  ///
  /// - Throws: ``InputError`` for a path that is neither a capture nor a folder of them, a
  ///   capture with no time, or captures whose times come from different clocks.
  init(paths: [String]) throws {
    if paths.isEmpty {
      self = .live(ProcDirectory(path: "/proc"))
      return
    }
    if paths.count == 1, ProcDirectory(path: paths[0]).isProcShaped {
      self = .live(ProcDirectory(path: paths[0]))
      return
    }
    var found: [(name: String, directory: ProcDirectory)] = []
    if paths.count == 1 {
      let folder = paths[0]
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      for name in names.sorted() {
        let path = (folder as NSString).appendingPathComponent(name)
        if let capture = Self.capture(at: path) { found.append((name, capture)) }
      }
      guard !found.isEmpty else {
        throw InputError(
          message: "\(folder): not /proc-shaped (no meminfo or zoneinfo) and no captures in it")
      }
    } else {
      for path in paths {
        guard let capture = Self.capture(at: path) else {
          throw InputError(message: "\(path): not /proc-shaped (no meminfo or zoneinfo)")
        }
        found.append(((path as NSString).lastPathComponent, capture))
      }
    }
    self = .captures(try Capture.ordered(found))
  }

  /// The folder itself when it is /proc-shaped, else its `proc/` child when that is.
  private static func capture(at path: String) -> ProcDirectory? {
    let directory = ProcDirectory(path: path)
    if directory.isProcShaped { return directory }
    let child = ProcDirectory(path: (path as NSString).appendingPathComponent("proc"))
    return child.isProcShaped ? child : nil
  }
}

/// A captured /proc and the time it was taken.
struct Capture {
  /// The /proc-shaped directory.
  var directory: ProcDirectory
  /// Seconds on the series' clock.
  var time: Double

  /// Where a capture's time comes from, in order of preference.
  enum Clock: String {
    /// Its `uptime` file (a copy of /proc/uptime): seconds since boot.
    case uptime
    /// Its `timestamp` file: seconds (e.g. `date +%s.%N`).
    case timestamp
    /// The number its folder's name starts with, in seconds (`oomlab run` writes
    /// `proc/<seconds>-<label>/`).
    case name
  }

  /// The captures in time order (the given order between equal times).
  ///
  /// - Parameter found: each capture with the name its time may come from.
  /// - Throws: ``InputError`` for a capture with no time, or times from different clocks.
  static func ordered(_ found: [(name: String, directory: ProcDirectory)]) throws -> [Capture] {
    var timed: [(capture: Capture, clock: Clock)] = []
    for (name, directory) in found {
      if let time = try directory.uptime() {
        timed.append((Capture(directory: directory, time: time), .uptime))
      } else if let time = try directory.seconds(inFile: "timestamp") {
        timed.append((Capture(directory: directory, time: time), .timestamp))
      } else if let time = leadingSeconds(name) {
        timed.append((Capture(directory: directory, time: time), .name))
      } else {
        throw InputError(
          message: "\(directory.path): no time: give it an uptime or timestamp file, or a name "
            + "starting with seconds (65.0-label)")
      }
    }
    if let first = timed.first, let other = timed.first(where: { $0.clock != first.clock }) {
      throw InputError(
        message: "captures mix clocks: \(first.capture.directory.path) by its \(first.clock), "
          + "\(other.capture.directory.path) by its \(other.clock)")
    }
    return timed.map(\.capture).enumerated().sorted {
      ($0.element.time, $0.offset) < ($1.element.time, $1.offset)
    }.map(\.element)
  }

  /// The decimal number a name starts with (`65.000000-end` → 65, `0120-leak` → 120).
  static func leadingSeconds(_ name: String) -> Double? {
    var digits = name.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
    while digits.hasSuffix(".") { digits.removeLast() }
    return Double(digits)
  }
}
