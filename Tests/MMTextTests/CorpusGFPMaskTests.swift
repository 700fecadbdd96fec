import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// Every GFP mask printed in the real logs (Tests/Fixtures: the corpus and the ground-truth
/// recordings), re-rendered for the kernel of the same report, must give exactly the printed names.
struct CorpusGFPMaskTests {
  /// Where a mask's kernel version came from.
  enum VersionSource: String { case logLine, header, groundTruthMeta, inferred }

  struct Check {
    var file: String
    var line: Int
    var mention: GFPMaskMention
    var kernel: KernelVersion?
    var source: VersionSource
  }

  /// All masks in one file, each with the kernel version the file gives it.
  static func checks(in file: URL) throws -> [Check] {
    let lines = try Fixtures.lines(of: file)
    let headerCount = lines.prefix { $0.hasPrefix("#") }.count
    var versions: [(line: Int, version: KernelVersion)] = []
    var mentions: [(line: Int, mention: GFPMaskMention)] = []
    for (index, line) in lines.enumerated().dropFirst(headerCount) {
      if let version = KernelVersion.find(inLogLine: line) { versions.append((index, version)) }
      for mention in GFPMaskMention.all(in: line) { mentions.append((index, mention)) }
    }
    let header = headerKernel(lines.prefix(headerCount))
    let meta = try groundTruthKernel(for: file)
    let name = file.path.replacingOccurrences(of: Fixtures.root.path + "/", with: "")
    return mentions.map { index, mention in
      let nearest = versions.min { a, b in
        let da = abs(a.line - index), db = abs(b.line - index)
        return da != db ? da < db : a.line > b.line
      }
      if let nearest {
        return Check(
          file: name, line: index + 1, mention: mention, kernel: nearest.version, source: .logLine)
      }
      if let header {
        return Check(file: name, line: index + 1, mention: mention, kernel: header, source: .header)
      }
      if let meta {
        return Check(
          file: name, line: index + 1, mention: mention, kernel: meta, source: .groundTruthMeta)
      }
      return Check(file: name, line: index + 1, mention: mention, kernel: nil, source: .inferred)
    }
  }

  /// The release in a `# kernel:` header line, when it names one.
  static func headerKernel(_ header: ArraySlice<String>) -> KernelVersion? {
    guard let line = header.first(where: { $0.hasPrefix("# kernel:") }) else { return nil }
    let words = line.dropFirst("# kernel:".count).split(separator: " ")
    guard let first = words.first else { return nil }
    return try? KernelVersion(parsing: String(first))
  }

  /// A ground-truth run's `meta/proc-version.txt`, looked up from the file's folder upward.
  static func groundTruthKernel(for file: URL) throws -> KernelVersion? {
    var folder = file.deletingLastPathComponent()
    while folder.path.hasPrefix(Fixtures.root.path + "/ground-truth") {
      let meta = folder.appendingPathComponent("meta/proc-version.txt")
      if FileManager.default.fileExists(atPath: meta.path) {
        return try Fixtures.lines(of: meta).lazy.compactMap(KernelVersion.find(inLogLine:)).first
      }
      folder.deleteLastPathComponent()
    }
    return nil
  }

  static let allChecks: [Check] = {
    let files = Fixtures.files(under: "corpus") + Fixtures.files(under: "ground-truth")
    return files.flatMap { (try? checks(in: $0)) ?? [] }
  }()

  @Test func fixturesArePresent() {
    #expect(Fixtures.files(under: "corpus").count == 51)
    #expect(Fixtures.files(under: "ground-truth").count == 3597)
  }

  @Test func everyNamedMaskRendersAsPrinted() {
    var checked = 0
    var inferred: [String] = []
    var bySource: [VersionSource: Int] = [:]
    for check in Self.allChecks {
      guard let printed = check.mention.printedNames else { continue }
      let hex = "0x" + String(check.mention.rawValue, radix: 16)
      if let kernel = check.kernel {
        let dialect = GFPDialect(kernel: kernel)
        #expect(dialect.printsNames, "\(check.file):\(check.line): \(kernel) should print no names")
        #expect(
          dialect.names(of: check.mention.rawValue) == printed,
          "\(check.file):\(check.line): \(hex) for \(kernel)")
      } else {
        let fits = GFPDialect.candidates(rawValue: check.mention.rawValue, printedNames: printed)
        #expect(!fits.isEmpty, "\(check.file):\(check.line): \(hex)(\(printed)) fits no kernel")
        inferred.append(
          "\(check.file):\(check.line) \(hex)(\(printed)) → \(GFPDialect.releaseSpans(of: fits))")
      }
      checked += 1
      bySource[check.source, default: 0] += 1
    }
    print(
      "named masks checked: \(checked); version from \(bySource.map { "\($0.key.rawValue) \($0.value)" }.sorted())"
    )
    for line in inferred { print("inferred: \(line)") }
    #expect(checked == 130)
    #expect(bySource == [.logLine: 107, .groundTruthMeta: 18, .header: 2, .inferred: 3])
  }

  @Test func everyHexOnlyMaskComesFromAKernelWithoutNamesAndDecodesFully() {
    var checked = 0
    for check in Self.allChecks where check.mention.printedNames == nil {
      guard let kernel = check.kernel else {
        // No version anywhere: the missing names themselves place the kernel before 4.6.
        let fits = GFPEra.allCases.filter {
          !$0.printsNames
            && GFPDialect(era: $0).flags(inRaw: check.mention.rawValue).unknownBits == 0
        }
        #expect(!fits.isEmpty, "\(check.file):\(check.line): hex-only mask fits no layout")
        print(
          "inferred: \(check.file):\(check.line) 0x\(String(check.mention.rawValue, radix: 16)) → \(fits.map(\.releases))"
        )
        checked += 1
        continue
      }
      let dialect = GFPDialect(kernel: kernel)
      #expect(!dialect.printsNames, "\(check.file):\(check.line): \(kernel) prints names")
      #expect(
        dialect.flags(inRaw: check.mention.rawValue).unknownBits == 0,
        "\(check.file):\(check.line): unknown bits for \(kernel)")
      checked += 1
    }
    print("hex-only masks checked: \(checked)")
    #expect(checked == 13)
  }
}
