internal import ArgumentParser
internal import Foundation
internal import MMCore
internal import MMDiagnose

/// `oomlab gfp`: decode a GFP mask the way a given kernel prints and treats it.
struct GFPCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gfp",
    abstract: "Decode a GFP mask for a kernel version: its names, zone, migratetype and policy.",
    discussion: """
      MASK_OR_NAMES is a hex mask (0x2084020), a mask with the names a log printed
      (0x2084020(GFP_ATOMIC|__GFP_COMP), optionally after mode: or gfp_mask=), or names
      (GFP_KERNEL|__GFP_COMP). Without --kernel, printed names select the kernels that print
      them; otherwise the newest kernel oomlab knows is used.
      """)

  @Argument(help: "A hex mask, a mask with printed names, or GFP names joined by '|'.")
  var maskOrNames: String

  @Option(help: "The kernel release whose GFP layout applies, e.g. 4.9.56 or 6.1.0-56-amd64.")
  var kernel: String?

  @Option(help: "The request's order (for the retry policy and alloc flags).")
  var order: Int = 0

  @Flag(help: "Print a JSON object instead of text.")
  var json = false

  func validate() throws {
    guard (0...10).contains(order) else { throw ValidationError("--order must be 0 to 10") }
  }

  func run() throws {
    do {
      let version = try kernel.map { text throws(KernelVersionError) in
        try KernelVersion(parsing: text)
      }
      let decoding = try GFPQuery(parsing: maskOrNames).resolve(kernel: version, order: order)
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(decoding.summary)
        print(String(decoding: data, as: UTF8.self))
      } else {
        print(decoding.text, terminator: "")
      }
    } catch let error as KernelVersionError {
      throw failure(error.description, status: 2)
    } catch let error as GFPParseError {
      throw failure(error.description, status: 2)
    }
  }
}

/// Prints `message` as one line on standard error and returns the exit status to end with: 2 for
/// a bad argument value, 1 for unreadable or malformed input.
func failure(_ message: String, status: Int32) -> ExitCode {
  FileHandle.standardError.write(Data(("oomlab: " + message + "\n").utf8))
  return ExitCode(status)
}
