import Foundation
import MMCore
import MMSim
import MMTestSupport
import MMText
import Testing

/// Every ground-truth snapshot with a pagetypeinfo, rebuilt in the simulator, renders back the
/// kernel's free counts and pageblock counts exactly, in the 6.1 file layout.
@Suite(.timeLimit(.minutes(5)))
struct GroundTruthSeedingTests {
  /// Every `proc/` folder holding both zoneinfo and pagetypeinfo.
  static let snapshots = Fixtures.procFolders(holding: "pagetypeinfo").filter {
    FileManager.default.fileExists(atPath: $0.appendingPathComponent("zoneinfo").path)
  }

  static func text(_ folder: URL, _ name: String) throws -> String {
    try Fixtures.text(of: folder.appendingPathComponent(name))
  }

  static let kernel = (try? KernelVersion(parsing: "6.1.0")) ?? .newestKnown

  @Test func snapshotsArePresent() {
    #expect(Self.snapshots.count == 75)
  }

  @Test(arguments: snapshots)
  func seededMachineRendersTheCapturedCounts(folder: URL) throws {
    let captured = try Self.text(folder, "pagetypeinfo")
    let pageTypes = try PageTypeInfo(parsing: captured)
    let zones = try ZoneInfo(parsing: Self.text(folder, "zoneinfo"))
    let memory = try PhysicalMemory(
      zoneInfo: zones, pageTypeInfo: pageTypes, rules: AllocatorRules(kernel: Self.kernel))
    #expect(memory.invariantViolations() == [])
    #expect(memory.pageTypeInfo().render() == captured)
    // buddyinfo is the per-order sum of the same lists.
    let sums = BuddyInfo(
      rows: pageTypes.blockRows.map { row in
        let counts = pageTypes.freeRows.filter { $0.node == row.node && $0.zone == row.zone }
          .map(\.counts)
          .reduce(Array(repeating: 0, count: 11)) { zip($0, $1).map(+) }
        return BuddyInfo.Row(node: row.node, zone: row.zone, freeBlocks: counts)
      })
    #expect(memory.buddyInfo() == sums)
    // The captured buddyinfo is the same lists read a moment later: equal, except where the
    // lists moved between the two reads.
    let capturedBuddyInfo = try BuddyInfo(parsing: Self.text(folder, "buddyinfo"))
    if folder.path.hasSuffix("alloc-failure/m512M/99-end/proc") {
      #expect(memory.buddyInfo() != capturedBuddyInfo)
    } else {
      #expect(memory.buddyInfo() == capturedBuddyInfo)
    }
    let strip = { (text: String) in text.filter { !$0.isNumber } }
    // The zoneinfo layout (every line, numbers aside) is the kernel's.
    #expect(strip(memory.zoneInfo().render()) == strip(try Self.text(folder, "zoneinfo")))
  }
}
