package import Foundation

/// The ground-truth overcommit run (Debian 6.1, 1 GiB): its `mmap-probe` result files, shared
/// by the model's and the simulator's replays.
package enum OvercommitProbes {
  /// `ground-truth/overcommit/m1G`.
  package static let run = Fixtures.groundTruth.appendingPathComponent("overcommit/m1G")

  /// A probe file without the line a replay reads.
  package struct MissingLine: Error, CustomStringConvertible {
    package var description: String
  }

  /// The `key=value` pairs of the probe file's line starting with `prefix`.
  package static func fields(_ prefix: String, in file: URL) throws -> [String: Int] {
    guard let line = try Fixtures.lines(of: file).first(where: { $0.hasPrefix(prefix) }) else {
      throw MissingLine(description: "\(Fixtures.relativePath(file)): no '\(prefix)' line")
    }
    var fields: [String: Int] = [:]
    for word in line.split(separator: " ") {
      let parts = word.split(separator: "=", maxSplits: 1)
      if parts.count == 2, let number = Int(parts[1]) { fields[String(parts[0])] = number }
    }
    return fields
  }

  /// What a `grow` run reports.
  package struct GrowResult: Equatable, CustomStringConvertible {
    package var firstFailTotalKB = 0
    package var firstFailChunkKB = 0
    package var totalPages = 0
    package var mappings = 0
    package var failures = 0
    package var committedAtFirstFailureKB: Int?
    package var committedAtEndKB = 0

    /// Creates a result; what is not given is 0 (`nil` for the Committed_AS at the first
    /// failure).
    package init(
      firstFailTotalKB: Int = 0, firstFailChunkKB: Int = 0, totalPages: Int = 0, mappings: Int = 0,
      failures: Int = 0, committedAtFirstFailureKB: Int? = nil, committedAtEndKB: Int = 0
    ) {
      self.firstFailTotalKB = firstFailTotalKB
      self.firstFailChunkKB = firstFailChunkKB
      self.totalPages = totalPages
      self.mappings = mappings
      self.failures = failures
      self.committedAtFirstFailureKB = committedAtFirstFailureKB
      self.committedAtEndKB = committedAtEndKB
    }

    package var description: String {
      "first failure at \(firstFailTotalKB) kB (chunk \(firstFailChunkKB) kB), total "
        + "\(totalPages) pages in \(mappings) mappings, \(failures) failures"
    }
  }

  /// The `grow` probes: step, file, the `-M` cap in MiB (0: none).
  package static let growProbes = [
    ("01-mode2-ratio50", "probe-grow-root.txt", 0),
    ("01-mode2-ratio50", "probe-grow-uid65534.txt", 0),
    ("02-mode2-ratio80", "probe-grow-root.txt", 0),
    ("02-mode2-ratio80", "probe-grow-uid65534.txt", 0),
    ("03-mode2-kbytes400000", "probe-grow-root.txt", 0),
    ("03-mode2-kbytes400000", "probe-grow-uid65534.txt", 0),
    ("04-mode0", "probe-grow-root-cap64G.txt", 65536),
    ("05-mode1", "probe-grow-root-cap64G.txt", 65536),
  ]

  /// The `single-max` probes: step, file.
  package static let singleMaxProbes = [
    ("01-mode2-ratio50", "probe-single-max-root.txt"),
    ("01-mode2-ratio50", "probe-single-max-uid65534.txt"),
    ("02-mode2-ratio80", "probe-single-max-root.txt"),
    ("02-mode2-ratio80", "probe-single-max-uid65534.txt"),
    ("03-mode2-kbytes400000", "probe-single-max-root.txt"),
    ("03-mode2-kbytes400000", "probe-single-max-uid65534.txt"),
    ("04-mode0", "probe-single-max-root.txt"),
    ("04-mode0", "probe-single-max-uid65534.txt"),
    ("05-mode1", "probe-single-max-root-cap1T.txt"),
  ]
}
