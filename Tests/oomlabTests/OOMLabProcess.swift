import Foundation

/// The built `oomlab` binary, run as a user runs it.
enum OOMLabProcess {
  /// What a run printed and its exit status.
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static let binary: URL = {
    // The test bundle sits next to the executable in .build/<config>/.
    let bundle = Bundle.allBundles.map(\.bundleURL).first { $0.pathExtension == "xctest" }
    let folder =
      bundle?.deletingLastPathComponent()
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return folder.appendingPathComponent("oomlab")
  }()

  /// Runs `oomlab arguments…`, feeding `stdin` (nothing when `nil`) to its standard input.
  static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(stdin ?? Data())
    try input.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}
