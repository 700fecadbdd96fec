internal import ArgumentParser
internal import Foundation
internal import MMCore
internal import MMDiagnose

#if canImport(Glibc)
  internal import Glibc
#endif

/// `oomlab watch`: samples /proc (or replays captures), fits the memory trends and predicts
/// when kswapd, direct reclaim and the OOM killer are reached, and whom the killer picks then.
struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Sample memory, fit its trend, and predict when the OOM killer fires and whom.",
    discussion: """
      Reads meminfo, zoneinfo, buddyinfo, pagetypeinfo and each <pid>/status of /proc (or of a \
      directory laid out like it) every --interval seconds and shows one screen per sample: MemFree, \
      MemAvailable, each zone's free pages against min/low/high with its largest free block \
      and the highest order the fast path would grant GFP_KERNEL and GFP_ATOMIC now (as \
      inspect computes it), and the tasks whose RSS grows fastest. Least-squares lines over the last --window samples \
      predict when MemFree reaches the zones' low watermarks (kswapd wakes) and min watermarks \
      (direct reclaim), when MemAvailable + SwapFree reaches 0 (the OOM killer), and which task \
      oom_badness() ranks first then. Captures replay with their own times, without sleeping: \
      give --proc several times, or one folder whose subfolders are captures; a capture's time \
      is its uptime file, else its timestamp file, else the seconds its name starts with. \
      See docs/watch.md.
      """)

  @Option(
    name: .customLong("proc"),
    help:
      "A /proc-shaped directory to sample; repeat for a series of captures, or name a folder of them."
  )
  var procs: [String] = []

  @Option(help: "Seconds between live samples.")
  var interval: Double = 5

  @Option(help: "Stop after this many samples (default: until interrupted, or every capture).")
  var samples: Int?

  @Option(help: "How many of the latest samples the trends are fitted over.")
  var window = 12

  @Option(help: "The kernel release, when a directory has no 'version' file.")
  var kernel: String?

  @Flag(help: "Print one JSON object per sample (JSON Lines).")
  var json = false

  func validate() throws {
    // Past a billion seconds (32 years) the sleep's Duration would overflow.
    guard interval > 0, interval <= 1e9 else {
      throw ValidationError("--interval must be a positive number of seconds, at most 1e9")
    }
    if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
    guard window >= 2 else { throw ValidationError("--window must be at least 2 samples") }
  }

  func run() throws {
    do {
      let release = try kernel.map { try KernelVersion(parsing: $0) }
      var watch = MemoryWatch(window: window)
      switch try SampleSource(paths: procs) {
      case .live(let directory):
        let start = ContinuousClock.now
        var taken = 0
        while taken < samples ?? .max {
          if taken > 0 { sleep(until: start, plus: interval * Double(taken)) }
          let elapsed = start.duration(to: .now).components
          let time =
            try directory.uptime()
            ?? Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
          show(watch.record(try directory.watchSample(time: time, kernel: release)), live: true)
          taken += 1
        }
      case .captures(let captures):
        for capture in captures.prefix(samples ?? .max) {
          let sample = try capture.directory.watchSample(time: capture.time, kernel: release)
          show(watch.record(sample), live: false)
        }
      }
    } catch let error as InputError {
      throw failure(error.message, status: 1)
    } catch let error as KernelVersionError {
      throw failure(error.description, status: 2)
    }
  }

  /// Sleeps until `seconds` after `start` (no drift across samples).
  private func sleep(until start: ContinuousClock.Instant, plus seconds: Double) {
    let remaining = (start + .seconds(seconds)) - .now
    let parts = remaining.components
    let left = Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    if left > 0 { Thread.sleep(forTimeInterval: left) }
  }

  /// Writes a report at once (no buffering: a pipe sees each sample when it is taken): one JSON
  /// line, or the screen (cleared first on a live terminal).
  private func show(_ report: WatchReport, live: Bool) {
    var out: String
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      // Every field is a number, string, array or nested struct: encoding cannot fail.
      out = ((try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}")
      out += "\n"
    } else if live && isatty(STDOUT_FILENO) == 1 {
      out = "\u{1B}[H\u{1B}[2J" + report.text
    } else {
      out = (report.sample > 1 ? "\n" : "") + report.text
    }
    FileHandle.standardOutput.write(Data(out.utf8))
  }
}
