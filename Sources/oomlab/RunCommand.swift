internal import ArgumentParser
internal import Foundation
internal import MMCore
internal import MMDiagnose
internal import MMSim

/// `oomlab run [SCENARIO] [--out DIR] [--kernel V] [--seed N] [--until T] [--json] [--list]`.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Play a scenario on the simulated machine and print what its kernel logs.",
    discussion: """
      Reads a scenario file (YAML: a machine, its sysctls, tasks and a timeline; see
      docs/scenarios.md), plays it on a virtual clock and prints the kernel log (warn_alloc
      and OOM reports, stamped with virtual time) and a one-paragraph summary. Without
      SCENARIO it plays the bundled default, the seed case. With --out DIR it also writes
      dmesg.log, events.jsonl, timeline.csv and proc/<t>-<label>/ snapshots there. The same
      scenario gives the same output, byte for byte.
      """)

  @Argument(help: "A scenario file, or the name of a bundled one (see --list).")
  var scenario: String?

  @Option(help: "A directory to write dmesg.log, events.jsonl, timeline.csv and proc/ into.")
  var out: String?

  @Option(help: "Play as this kernel release instead of the scenario's.")
  var kernel: String?

  @Option(help: "The seed of the run's random choices (default: the scenario's).")
  var seed: UInt64?

  @Option(help: "Stop at this virtual time at the latest (e.g. 30s, 2min).")
  var until: String?

  @Flag(help: "Print the summary and the events as JSON instead of the log.")
  var json = false

  @Flag(help: "List the bundled scenarios.")
  var list = false

  func run() throws {
    if list {
      for (name, scenario) in try BundledScenarios.all() {
        print(name + ": " + (scenario.description ?? ""))
      }
      return
    }
    do {
      let (text, file) = try source()
      var scenario = try Scenario(yaml: text, file: file)
      if let kernel {
        guard (try? KernelVersion(parsing: kernel)) != nil else {
          throw failure("--kernel: '\(kernel)' is not a kernel release oomlab can place", status: 2)
        }
        scenario.kernel = kernel
      }
      if let seed { scenario.seed = seed }
      let limit = try until.map(Self.duration)
      let record: ScenarioRecord
      do {
        record = try scenario.play(file: file, until: limit, progress: Self.progressDisplay())
      } catch {
        throw error.placed(in: text)
      }
      Self.clearProgress()
      if let out { try write(record, to: out) }
      if json {
        print(record.eventsJSONLines, terminator: "")
      } else {
        print(record.kernelLog, terminator: "")
        print(record.summary, terminator: "")
      }
    } catch let error as ScenarioError {
      throw failure(error.description, status: 2)
    }
  }

  /// A progress line on standard error when it is a terminal (`t = 42 s`), rewritten in place;
  /// `nil` otherwise, so that pipes and files get only the run's output.
  private static func progressDisplay() -> ((UInt64) -> Void)? {
    guard isatty(STDERR_FILENO) != 0 else { return nil }
    return { nanoseconds in
      FileHandle.standardError.write(Data("\roomlab: t = \(nanoseconds / 1_000_000_000) s".utf8))
    }
  }

  /// Erases the progress line, if one was drawn.
  private static func clearProgress() {
    guard isatty(STDERR_FILENO) != 0 else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }

  /// `--until`'s value.
  private static func duration(_ text: String) throws(ScenarioError) -> VirtualDuration {
    do {
      return try VirtualDuration(parsing: text)
    } catch {
      throw ScenarioError(file: "--until", keyPath: "", reason: error.description)
    }
  }

  /// The scenario text and the name errors cite.
  private func source() throws -> (String, String) {
    guard let scenario else { return try BundledScenarios.text(named: BundledScenarios.default) }
    if let data = FileManager.default.contents(atPath: scenario) {
      return (String(decoding: data, as: UTF8.self), scenario)
    }
    if let bundled = try? BundledScenarios.text(named: scenario) { return bundled }
    throw failure("\(scenario): no such file or bundled scenario", status: 2)
  }

  private func write(_ record: ScenarioRecord, to directory: String) throws {
    var files = record.snapshotFiles
    files["dmesg.log"] = record.kernelLog
    files["events.jsonl"] = record.eventsJSONLines
    files["timeline.csv"] = record.timelineCSV
    let root = URL(fileURLWithPath: directory)
    for (path, text) in files.sorted(by: { $0.key < $1.key }) {
      let url = root.appendingPathComponent(path)
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
      } catch {
        throw failure("\(url.path): cannot write (\(error.localizedDescription))", status: 1)
      }
    }
  }
}
