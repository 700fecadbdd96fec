import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing
import _MMUtilities

/// Every /proc file captured from the ground-truth kernel (Debian 6.1, x86_64 and arm64) parses,
/// and renders back byte for byte.
struct ProcfsRoundTripTests {
  /// A /proc file format, with the number of captured files of it in Tests/Fixtures.
  enum Format: String, CaseIterable, CustomTestStringConvertible {
    case zoneinfo, buddyinfo, pagetypeinfo, meminfo, vmstat

    /// How many files of this format the ground-truth fixtures hold.
    var fixtureCount: Int {
      switch self {
      case .zoneinfo, .buddyinfo, .pagetypeinfo: 75
      case .meminfo: 85
      case .vmstat: 60
      }
    }

    /// Parses `text` and renders the value again.
    func roundTrip(_ text: String, file: String) throws(TextParseError) -> String {
      switch self {
      case .zoneinfo: try ZoneInfo(parsing: text, file: file).render()
      case .buddyinfo: try BuddyInfo(parsing: text, file: file).render()
      case .pagetypeinfo: try PageTypeInfo(parsing: text, file: file).render()
      case .meminfo: try MemInfo(parsing: text, file: file).render()
      case .vmstat: try VMStat(parsing: text, file: file).render()
      }
    }

    var testDescription: String { rawValue }
  }

  @Test(arguments: Format.allCases)
  func parseThenRenderGivesBackEveryCapturedFile(format: Format) throws {
    let files = Fixtures.procFiles(named: format.rawValue)
    #expect(files.count == format.fixtureCount)
    for file in files {
      let path = Fixtures.relativePath(file)
      let text = try Fixtures.text(of: file)
      #expect(try format.roundTrip(text, file: path) == text, "\(path)")
    }
  }
}

/// Truncated and corrupted copies of the captured files throw ``TextParseError`` or parse;
/// they never trap.
struct ProcfsDamagedInputTests {
  static let snapshot = "ground-truth/watermarks/m6G-thp-default/04-mfk-default_wsf-200/proc/"

  static func bytes(of format: ProcfsRoundTripTests.Format) throws -> [UInt8] {
    Array(
      try Fixtures.text(of: Fixtures.root.appendingPathComponent(snapshot + format.rawValue)).utf8)
  }

  /// A file cut inside a line always throws: every line must end in a newline.
  @Test(arguments: ProcfsRoundTripTests.Format.allCases)
  func everyTruncationThrowsOrParses(format: ProcfsRoundTripTests.Format) throws {
    let bytes = try Self.bytes(of: format)
    for cut in 1..<bytes.count {
      let text = String(decoding: bytes[..<cut], as: UTF8.self)
      let result = Result { () throws(TextParseError) in _ = try format.roundTrip(text, file: "f")
      }
      if bytes[cut - 1] != UInt8(ascii: "\n") {
        #expect(throws: TextParseError.self, "cut at \(cut)") { try result.get() }
      }
    }
  }

  @Test(arguments: ProcfsRoundTripTests.Format.allCases)
  func corruptedBytesThrowOrParse(format: ProcfsRoundTripTests.Format) throws {
    var random = SplitMix64(seed: 42)
    let original = try Self.bytes(of: format)
    for _ in 0..<500 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(
          in: 0...255, using: &random)
      }
      _ = try? format.roundTrip(String(decoding: bytes, as: UTF8.self), file: "f")
    }
  }
}
