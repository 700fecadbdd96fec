import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// The streaming reader finds exactly what the whole-log finders find: the same reports, line
/// ranges, kernels and problems, whatever the chunk size and wherever the log sits in noise.
struct ReportWindowsTests {
  static let corpus: [URL] = Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }

  /// The chunk sizes: one byte, a prime, a page, the default.
  static let chunkSizes = [1, 7, 4096, 4 << 20]

  /// What the streaming reader finds in `text`, read `chunkSize` bytes at a time.
  static func streamed(_ text: String, chunkSize: Int, file: String) throws
    -> ([AllocFailureReport.Found], [OOMReport.Found])
  {
    var windows = ReportWindows(
      source: MemoryLogSource(Array(text.utf8), path: file, readSize: chunkSize),
      chunkSize: chunkSize)
    var allocs: [AllocFailureReport.Found] = []
    var ooms: [OOMReport.Found] = []
    while let window = try windows.next() {
      allocs += window.allocFailureReports(file: file)
      ooms += window.oomReports(file: file)
    }
    return (allocs, ooms)
  }

  static func expectSameAsWhole(
    _ text: String, file: String, chunkSizes: [Int] = chunkSizes
  ) throws {
    let allocs = AllocFailureReport.findAll(in: text, file: file)
    let ooms = OOMReport.findAll(in: text, file: file)
    for chunkSize in chunkSizes {
      let (streamedAllocs, streamedOOMs) = try streamed(text, chunkSize: chunkSize, file: file)
      #expect(streamedAllocs == allocs, "\(file), chunks of \(chunkSize) bytes")
      #expect(streamedOOMs == ooms, "\(file), chunks of \(chunkSize) bytes")
    }
  }

  @Test func corpusIsPresent() {
    #expect(Self.corpus.count >= 40)
  }

  @Test(arguments: corpus)
  func sameReportsAsTheWholeLog(_ file: URL) throws {
    try Self.expectSameAsWhole(try Fixtures.text(of: file), file: Fixtures.relativePath(file))
  }

  /// The log between two thousand noise lines (a blank line on each side, where a paste's
  /// reports end for the whole-log finders too; without it they would run a report that lacks
  /// its end on over the noise): every line number is the whole input's.
  @Test(arguments: corpus)
  func sameReportsInsideNoise(_ file: URL) throws {
    var noise = NoiseLog()
    var text = try Fixtures.text(of: file)
    if !text.hasSuffix("\n") { text += "\n" }
    let embedded = noise.lines(1200) + "\n" + text + "\n" + noise.lines(800)
    try Self.expectSameAsWhole(embedded, file: Fixtures.relativePath(file), chunkSizes: [7, 4096])
  }

  /// Reports whose trigger lines fall in either half of the trigger search's 64 KiB segments,
  /// and across them, read in one chunk: the same as the whole log.
  @Test(arguments: [250, 330, 600, 700, 1400])
  func sameReportsAcrossSearchSegments(_ noiseLines: Int) throws {
    var noise = NoiseLog()
    let file = Fixtures.root.appendingPathComponent("corpus/exact/syzkaller-334.log")
    var text = try Fixtures.text(of: file)
    if !text.hasSuffix("\n") { text += "\n" }
    let embedded =
      noise.lines(noiseLines) + "\n" + text + "\n" + noise.lines(noiseLines) + "\n" + text
    try Self.expectSameAsWhole(embedded, file: "log", chunkSizes: [4 << 20])
  }

  /// A line without end (binary input) is cut into pieces instead of being held whole; a
  /// report after it is still found, on the right line.
  @Test func endlessLineIsCut() throws {
    let text = try Fixtures.text(
      of: Fixtures.root.appendingPathComponent("corpus/exact/syzkaller-334.log"))
    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 300_000)
    bytes += [0x0A] + Array(text.utf8)
    var windows = ReportWindows(
      source: MemoryLogSource(bytes, readSize: 4096), chunkSize: 4096, maximumLineBytes: 10_000)
    var ooms: [OOMReport.Found] = []
    var largest = 0
    while let window = try windows.next() {
      ooms += window.oomReports(file: "log")
      largest = max(largest, window.bytes.count)
    }
    let whole = OOMReport.findAll(in: text, file: "log")
    #expect(!whole.isEmpty)
    #expect(
      ooms.map(\.lines) == whole.map { ($0.lines.lowerBound + 1)...($0.lines.upperBound + 1) })
    #expect(largest < 100_000)
  }

  /// Line numbers stay exact after runs of newlines long enough to fill the newline count's
  /// per-lane counters (255 blocks of 16 bytes), at odd offsets and in one chunk.
  @Test(arguments: [4079, 4080, 4081, 10_007])
  func longBlankRunsAreCountedExactly(_ blanks: Int) throws {
    let text = try Fixtures.text(
      of: Fixtures.root.appendingPathComponent("corpus/exact/syzkaller-334.log"))
    let bytes = Array("x\n".utf8) + [UInt8](repeating: 0x0A, count: blanks) + Array(text.utf8)
    var windows = ReportWindows(source: MemoryLogSource(bytes))
    var ooms: [OOMReport.Found] = []
    while let window = try windows.next() { ooms += window.oomReports(file: "log") }
    let whole = OOMReport.findAll(in: text, file: "log")
    let shift = blanks + 1
    #expect(!whole.isEmpty)
    #expect(
      ooms.map(\.lines)
        == whole.map { ($0.lines.lowerBound + shift)...($0.lines.upperBound + shift) })
  }

  @Test func noiseHoldsNoWindow() throws {
    var noise = NoiseLog()
    var windows = ReportWindows(source: MemoryLogSource(Array(noise.lines(20_000).utf8)))
    #expect(try windows.next() == nil)
  }
}
