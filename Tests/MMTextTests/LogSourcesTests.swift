import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// Logs are read from files, standard input and gzip streams alike; damaged input is an error
/// that names the file and the byte offset.
struct LogSourcesTests {
  static let log: URL = Fixtures.root.appendingPathComponent(
    "corpus/posted/001-oom-5.0.0-rc8-x86_64.log")

  /// Every byte `source` hands out.
  static func readAll(_ source: any LogSource, chunk: Int = 1000) throws -> [UInt8] {
    var source = source
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
      let count = try buffer.withUnsafeMutableBytes { target in
        Result { () throws(LogInputError) in try source.read(into: target) }
      }.get()
      if count == 0 { return bytes }
      bytes += buffer[0..<count]
    }
  }

  static func plain() throws -> [UInt8] { Array(try Data(contentsOf: log)) }

  @Test(arguments: [1, 7, 4096])
  func gzipReadsAsPlain(readSize: Int) throws {
    let plain = try Self.plain()
    let gzip = Gzip.compress(plain)
    #expect(gzip.starts(with: LogSources.gzipMagic))
    let source = try LogSources.decompressing(MemoryLogSource(gzip, readSize: readSize))
    #expect(try Self.readAll(source, chunk: 333) == plain)
    // Plain text passes through unchanged.
    let passed = try LogSources.decompressing(MemoryLogSource(plain, readSize: readSize))
    #expect(try Self.readAll(passed) == plain)
  }

  @Test func concatenatedMembersReadAsOneLog() throws {
    let plain = try Self.plain()
    let half = plain.count / 2
    let gzip = Gzip.compress(Array(plain[..<half])) + Gzip.compress(Array(plain[half...]))
    let source = try LogSources.decompressing(MemoryLogSource(gzip, readSize: 100))
    #expect(try Self.readAll(source) == plain)
  }

  @Test func truncatedGzipIsAnErrorWithItsOffset() throws {
    let gzip = Gzip.compress(try Self.plain())
    let cut = Array(gzip[..<(gzip.count - 20)])
    let source = try LogSources.decompressing(MemoryLogSource(cut, path: "kern.log.2.gz"))
    let error = try #require(throws: LogInputError.self) { try Self.readAll(source) }
    #expect(error.kind == .truncatedGzip)
    #expect(error.offset == cut.count)
    #expect(error.description.hasPrefix("cannot read kern.log.2.gz: gzip stream ends early"))
  }

  @Test func corruptGzipIsAnError() throws {
    var gzip = Gzip.compress(try Self.plain())
    for k in 40..<60 { gzip[k] ^= 0x5a }
    let source = try LogSources.decompressing(MemoryLogSource(gzip, path: "kern.log.2.gz"))
    let error = try #require(throws: LogInputError.self) { try Self.readAll(source) }
    guard case .corruptGzip = error.kind else {
      Issue.record("expected corrupt gzip data, got \(error)")
      return
    }
    let offset = try #require(error.offset)
    #expect(offset > 0 && offset <= gzip.count)
    #expect(error.description.contains("at byte offset \(offset)"))
  }

  @Test func missingFileIsAnError() throws {
    let error = try #require(throws: LogInputError.self) {
      _ = try LogSources.open("/nonexistent/kern.log")
    }
    #expect(error.kind == .cannotOpen(errno: ENOENT))
    #expect(error.description == "cannot read /nonexistent/kern.log: No such file or directory")
  }

  @Test func directoryIsAnError() throws {
    let error = try #require(throws: LogInputError.self) {
      _ = try LogSources.open(Fixtures.root.path)
    }
    #expect(error.kind == .cannotRead(errno: EISDIR))
  }

  @Test func gzipFileStreamsTheSameReports() throws {
    let plain = try Self.plain()
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "oomlab-\(UUID().uuidString).log.gz")
    try Data(Gzip.compress(plain)).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    var windows = ReportWindows(source: try LogSources.open(file.path), chunkSize: 4096)
    var ooms: [OOMReport.Found] = []
    while let window = try windows.next() { ooms += window.oomReports(file: "log") }
    let whole = OOMReport.findAll(in: String(decoding: plain, as: UTF8.self), file: "log")
    #expect(!whole.isEmpty)
    #expect(ooms == whole)
  }
}
