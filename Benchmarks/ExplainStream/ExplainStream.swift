import Benchmark
import Foundation
import MMDiagnose
import MMTestSupport
import MMText

/// `oomlab explain`'s reading path end to end on big logs: a file read in 4 MiB chunks, the
/// trigger search over every byte, report windows cut out and fully parsed and explained.
///
/// The log is built at setup into a temporary file (removed at teardown): blocks of 10,000
/// noise lines (``NoiseLog``: device, file-system, audit, firewall and network messages with
/// `dmesg` timestamps, 1 in 8 as syslog lines, 1 in 8 as syslog lines without a timestamp),
/// each followed by a blank line, one corpus log (`Tests/Fixtures/corpus/**`, every file in
/// turn, 57 reports in 4,018 lines of 50 files) and a blank line: about 1.14 reports per
/// 10,080 lines, 99.2 %
/// of the lines noise. A second benchmark per size only cuts the windows out (no parsing), to
/// tell the trigger search's cost from the report parsers'.
/// Throughput is reported as lines and megabytes (10^6 bytes) per second; peak resident memory
/// shows that memory does not grow with the log.
let benchmarks: @Sendable () -> Void = {
  let lines = BenchmarkMetric.custom(
    "lines/s (K)", polarity: .prefersLarger, useScalingFactor: false)
  let megabytes = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
  let reports = BenchmarkMetric.custom("reports", polarity: .prefersLarger, useScalingFactor: false)

  for megabytesInLog in [64, 256, 1024] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "oomlab-explain-stream-\(megabytesInLog)MB.log"
    ).path
    Benchmark(
      "explain, streamed: \(megabytesInLog) MB log",
      configuration: .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal, lines, megabytes, reports],
        maxDuration: .seconds(120), maxIterations: megabytesInLog > 256 ? 3 : 5,
        setup: { try SampleLog.write(to: path, bytes: megabytesInLog * 1_000_000) },
        teardown: { try? FileManager.default.removeItem(atPath: path) })
    ) { benchmark throws in
      let clock = ContinuousClock()
      let start = clock.now
      var stream = StreamedExplanations(source: try LogSources.open(path), file: path)
      var count = 0
      while let window = try stream.next() { count += window.count }
      let seconds = (clock.now - start) / .seconds(1)
      let size = SampleLog.written[path] ?? (0, 0)
      benchmark.measurement(lines, Int(Double(size.lines) / seconds / 1e3))
      benchmark.measurement(megabytes, Int(Double(size.bytes) / seconds / 1e6))
      benchmark.measurement(reports, count)
    }
    Benchmark(
      "windows only (no parsing): \(megabytesInLog) MB log",
      configuration: .init(
        metrics: [.wallClock, .peakMemoryResident, lines, megabytes],
        maxDuration: .seconds(120), maxIterations: megabytesInLog > 256 ? 3 : 5,
        setup: { try SampleLog.write(to: path, bytes: megabytesInLog * 1_000_000) },
        teardown: { try? FileManager.default.removeItem(atPath: path) })
    ) { benchmark throws in
      let clock = ContinuousClock()
      let start = clock.now
      var windows = ReportWindows(source: try LogSources.open(path))
      var bytes = 0
      while let window = try windows.next() { bytes += window.bytes.count }
      let seconds = (clock.now - start) / .seconds(1)
      let size = SampleLog.written[path] ?? (0, 0)
      benchmark.measurement(lines, Int(Double(size.lines) / seconds / 1e3))
      benchmark.measurement(megabytes, Int(Double(size.bytes) / seconds / 1e6))
      blackHole(bytes)
    }
  }
}

/// The benchmark log: noise blocks with corpus logs between them.
enum SampleLog {
  /// The lines and bytes of each log written, by path.
  nonisolated(unsafe) static var written: [String: (lines: Int, bytes: Int)] = [:]

  /// Noise lines per block.
  static let noiseLines = 10_000

  /// Writes a log of at least `bytes` bytes to `path`.
  static func write(to path: String, bytes: Int) throws {
    let corpus = try Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }.map {
      var text = try Fixtures.text(of: $0)
      if !text.hasSuffix("\n") { text += "\n" }
      return text
    }
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var noise = NoiseLog()
    var total = 0
    var lines = 0
    var block = 0
    while total < bytes {
      var text = noise.lines(noiseLines) + "\n" + corpus[block % corpus.count] + "\n"
      text.makeContiguousUTF8()
      let data = Data(text.utf8)
      try handle.write(contentsOf: data)
      total += data.count
      lines += data.count { $0 == 0x0A }
      block += 1
    }
    written[path] = (lines, total)
  }
}
