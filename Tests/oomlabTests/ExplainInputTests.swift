import Foundation
import MMTestSupport
import Testing

/// `oomlab explain` reads gzip-compressed logs from files and standard input as it reads
/// plain ones, and stops with status 1 and the file and byte offset at a damaged stream.
@Suite(.timeLimit(.minutes(2)))
struct ExplainInputTests {
  static let twoOOMs = Fixtures.root.appendingPathComponent(
    "corpus/posted/047-oom-5.10.179-x86_64.log")

  func explain(_ arguments: [String], stdin: Data? = nil) throws -> OOMLabProcess.Result {
    try OOMLabProcess.run(["explain"] + arguments, stdin: stdin)
  }

  /// A temporary file holding `bytes`, removed by `body`'s end.
  func withFile<R>(_ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "oomlab-\(UUID().uuidString)-kern.log.2.gz")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try body(file.path)
  }

  @Test func gzipFileAndStdinReadAsPlain() throws {
    let plain = Array(try Data(contentsOf: Self.twoOOMs))
    let gzip = Gzip.compress(plain)
    let fromFile = try withFile(gzip) { path in
      try explain([path]).stdout.replacingOccurrences(of: path, with: Self.twoOOMs.path)
    }
    #expect(fromFile == (try explain([Self.twoOOMs.path])).stdout)
    // Standard input is named '-' in problems, plain or compressed.
    let expected = try explain(["-"], stdin: Data(plain))
    #expect(expected.status == 0)
    #expect(expected.stdout.contains("report 2: oom"))
    let fromStdin = try explain(["-"], stdin: Data(gzip))
    #expect(fromStdin.status == 0)
    #expect(fromStdin.stdout == expected.stdout)
    let half = plain.count / 2
    let members = Gzip.compress(Array(plain[..<half])) + Gzip.compress(Array(plain[half...]))
    #expect(try explain([], stdin: Data(members)).stdout == expected.stdout)
  }

  @Test func truncatedGzipExitsOneNamingTheOffset() throws {
    let gzip = Gzip.compress(Array(try Data(contentsOf: Self.twoOOMs)))
    let cut = Array(gzip[..<(gzip.count / 2)])
    let result = try withFile(cut) { path in (path, try explain([path])) }
    #expect(result.1.status == 1)
    #expect(
      result.1.stderr.contains(
        "cannot read \(result.0): gzip stream ends early (truncated file?) at byte offset"))
    let piped = try explain(["-"], stdin: Data([0x1f, 0x8b, 0x08, 0x00]))
    #expect(piped.status == 1)
    #expect(piped.stderr.contains("cannot read -: gzip stream ends early"))
  }
}
