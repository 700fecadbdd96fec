import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// A log read as a stream is explained as it is read whole: the same explanations, and one
/// per report however many there are.
struct StreamedExplanationsTests {
  static let corpus: [URL] = Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }

  static func streamed(
    _ bytes: [UInt8], file: String, chunkSize: Int, kernel: KernelVersion? = nil
  ) throws -> [ReportExplanation] {
    var stream = StreamedExplanations(
      source: MemoryLogSource(bytes, path: file, readSize: chunkSize), file: file,
      kernel: kernel, chunkSize: chunkSize)
    var explanations: [ReportExplanation] = []
    while let window = try stream.next() { explanations += window }
    return explanations
  }

  @Test(arguments: corpus)
  func sameExplanationsAsTheWholeLog(_ file: URL) throws {
    let text = try Fixtures.text(of: file)
    let name = Fixtures.relativePath(file)
    let whole = ReportExplanation.explainAll(in: text, file: name)
    #expect(try Self.streamed(Array(text.utf8), file: name, chunkSize: 4096) == whole)
    let kernel = try KernelVersion(parsing: "4.9.56")
    let given = ReportExplanation.explainAll(in: text, file: name, kernel: kernel)
    #expect(
      try Self.streamed(Array(text.utf8), file: name, chunkSize: 1 << 20, kernel: kernel) == given)
  }

  /// 500 reports (the corpus files that hold one report each, in turn) separated by noise
  /// yield 500 explanations, each at its report's line in the whole log.
  @Test func fiveHundredReportsYieldFiveHundred() throws {
    var singles: [(text: String, explanation: ReportExplanation)] = []
    for file in Self.corpus {
      var text = try Fixtures.text(of: file)
      if !text.hasSuffix("\n") { text += "\n" }
      let explanations = ReportExplanation.explainAll(in: text, file: "log")
      if explanations.count == 1, let only = explanations.first { singles.append((text, only)) }
    }
    #expect(singles.count >= 15)
    var noise = NoiseLog()
    var log = ""
    var lineCount = 0
    var expected: [(ReportExplanation.Kind, Int, Int)] = []
    for index in 0..<500 {
      let gap = "\n" + noise.lines(40) + "\n"
      log += gap
      lineCount += 42
      let (text, explanation) = singles[index % singles.count]
      expected.append(
        (explanation.kind, explanation.line + lineCount, explanation.lastLine + lineCount))
      log += text
      lineCount += text.utf8.count { $0 == 0x0A }
    }
    let explanations = try Self.streamed(Array(log.utf8), file: "big.log", chunkSize: 1 << 16)
    #expect(explanations.count == 500)
    for (explanation, (kind, line, lastLine)) in zip(explanations, expected) {
      #expect(explanation.kind == kind)
      #expect(explanation.line == line)
      #expect(explanation.lastLine == lastLine)
    }
  }
}
