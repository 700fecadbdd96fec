internal import ArgumentParser
internal import Foundation
internal import MMCore
internal import MMDiagnose
internal import MMText

/// `oomlab explain`: find every allocation-failure, OOM and `Mem-Info:` report in kernel logs
/// and say why each happened, with the numbers as evidence.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Find allocation-failure and OOM reports in kernel logs and explain each.",
    discussion: """
      Reads each LOG (plain text or gzip-compressed, e.g. kern.log.2.gz; '-' or no LOG reads \
      standard input) as a stream, finds every page allocation failure, vmalloc failure, \
      global and memcg OOM report and standalone Mem-Info dump (SysRq-m) in it, decodes the \
      request for the report's kernel, and lists the zones' key numbers and the findings (the \
      cause first) with the log lines their numbers come from and a remedy. Several reports \
      get a summary first; --report N prints one. The finding catalogue and the JSON schema \
      are in docs/explain.md.
      """)

  @Argument(help: "Kernel log files ('-' for standard input; none: standard input).")
  var logs: [String] = []

  @Option(help: "The kernel release to read reports as when the log names none, e.g. 4.9.56.")
  var kernel: String?

  @Flag(help: "Print a JSON array of report objects instead of text.")
  var json = false

  @Option(help: "Print only the Nth report (1-based, in input order; see the summary).")
  var report: Int?

  func run() throws {
    let version: KernelVersion?
    do {
      version = try kernel.map { text throws(KernelVersionError) in
        try KernelVersion(parsing: text)
      }
    } catch {
      throw failure(error.description, status: 2)
    }
    var explanations: [ReportExplanation] = []
    for path in logs.isEmpty ? ["-"] : logs {
      do throws(LogInputError) {
        var stream = StreamedExplanations(
          source: try LogSources.open(path), file: path, kernel: version)
        while let window = try stream.next() { explanations += window }
      } catch {
        throw failure(error.description, status: 1)
      }
    }
    var numbered = Array(zip(1..., explanations))
    if let report {
      guard report >= 1, report <= explanations.count else {
        throw failure(
          "--report \(report): the input holds \(explanations.count) report(s)", status: 2)
      }
      numbered = [numbered[report - 1]]
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      print(String(decoding: try encoder.encode(numbered.map(\.1)), as: UTF8.self))
      return
    }
    if explanations.isEmpty {
      print("no allocation-failure or OOM report found")
      return
    }
    var out = ""
    if report == nil, explanations.count > 1 {
      out += ExplainSummary(explanations).text + "\n"
    }
    for (position, (number, explanation)) in numbered.enumerated() {
      if position > 0 { out += "\n" }
      if logs.count > 1, let file = explanation.file { out += "\(file):\n" }
      out += explanation.text(number: number)
    }
    print(out, terminator: "")
  }
}
