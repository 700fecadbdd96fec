import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// The fragmentation indices (slowpath-reclaim-compaction.md §7.2–§7.5) against the kernel's own
/// debugfs `extfrag/{unusable_index,extfrag_index}`, read beside each snapshot's buddyinfo.
struct ExtfragGroundTruthTests {
  /// A zone snapshot whose debugfs files the kernel computed while memory was changing, a moment
  /// after buddyinfo was read (§7.5): why, and when known, a change of free blocks per order
  /// (order: blocks) from the recorded buddyinfo that reproduces all 22 printed values.
  struct ReadWhileChanging {
    var reason: String
    var nearby: [Int: Int]?
  }

  /// Every zone snapshot where the recorded buddyinfo does not give the printed values, by
  /// `<run>/<step> <zone>`.
  static let readWhileChanging: [String: ReadWhileChanging] = [
    "alloc-failure/m512M/01-fragmented DMA32": .init(
      reason: "the frag helper was giving back every other page", nearby: [2: 2, 6: -1]),
    "alloc-failure/m512M/99-end DMA32": .init(
      reason: "a killed process's memory (~5000 pages) was coming back", nearby: nil),
    "cma-arm64/boot-cma256M-thp-never/00-boot DMA": .init(
      reason: "boot still settling", nearby: [0: -1]),
    "cma-arm64/movable-cma0/01-near-oom DMA": .init(
      reason: "near OOM: the holder faulting, reclaim running", nearby: [0: 2, 7: -1]),
    "cma-arm64/movable-cma256M-holder-unkillable/01-near-oom DMA": .init(
      reason: "near OOM: the holder faulting, reclaim running", nearby: nil),
    "cma-arm64/movable-cma256M/01-near-oom DMA": .init(
      reason: "near OOM: the holder faulting, reclaim running", nearby: nil),
    "cma-arm64/movable-cma256M/02-after-oom DMA": .init(
      reason: "the killed task's memory coming back", nearby: [2: -16]),
    "oom-kill-allocating-task/hog-killable/01-holders-ready DMA32": .init(
      reason: "holders running", nearby: nil),
    "oom-kill-allocating-task/hog-killable/02-after-hog DMA32": .init(
      reason: "the killed hog's memory coming back", nearby: nil),
    "oom-victim/default/01-holders-ready DMA32": .init(reason: "holders running", nearby: nil),
    "oom-victim/default/02-after-hog DMA32": .init(
      reason: "the killed tasks' memory coming back", nearby: [1: -16, 3: -3]),
    "pagecache/m512M-ext4/00-baseline DMA32": .init(
      reason: "page-cache I/O", nearby: [2: -9, 4: -6]),
    "pagecache/m512M-ext4/01-after-write-and-sync DMA32": .init(
      reason: "page-cache I/O", nearby: [4: -2]),
    "pagecache/m512M-ext4/02-after-drop_caches-3 DMA32": .init(
      reason: "page-cache I/O", nearby: [1: -25]),
    "pagecache/m512M-ext4/03-after-read DMA32": .init(reason: "page-cache I/O", nearby: nil),
    "pagecache/m512M-ext4/04-after-drop_caches-1 DMA32": .init(
      reason: "page-cache I/O", nearby: [2: -15]),
    "pagecache/m512M-ext4/05-cache-plus-fragmented-anon DMA": .init(
      reason: "kswapd reclaim and compaction running (~850 pages away)", nearby: nil),
    "pagecache/m512M-ext4/05-cache-plus-fragmented-anon DMA32": .init(
      reason: "kswapd reclaim and compaction running (~1080 pages away)", nearby: nil),
    "pagecache/m512M-ext4/06-after-drop_caches-3 DMA32": .init(
      reason: "page-cache I/O", nearby: [2: -14]),
    "pagecache/m512M-ext4/07-after-compact_memory DMA32": .init(
      reason: "page-cache I/O", nearby: [0: -16, 2: -13]),
    "pagecache/m512M-ext4/08-after-frag-exit DMA32": .init(
      reason: "the frag helper's memory coming back", nearby: [0: -27]),
    "pagecache/m512M-ext4/09-after-compact_memory-2 DMA32": .init(
      reason: "page-cache I/O", nearby: [2: -12]),
    "watermarks/m256M/03-mfk-65536_wsf-default DMA32": .init(
      reason: "reclaim after min_free_kbytes was raised to 65536", nearby: [1: -3]),
  ]

  /// The snapshot folders (`<run>/<step>`, below ground-truth) with debugfs extfrag files.
  static let snapshots: [String] = Fixtures.files(under: "ground-truth")
    .filter { $0.path.hasSuffix("/debug/extfrag/unusable_index") }
    .map {
      Fixtures.relativePath(
        $0.deletingLastPathComponent().deletingLastPathComponent()
          .deletingLastPathComponent()
      )
      .replacingOccurrences(of: "ground-truth/", with: "")
    }

  @Test func everySnapshotWithDebugfsFilesIsChecked() {
    #expect(Self.snapshots.count == 60)
    let steps = Set(Self.readWhileChanging.keys.map { String($0.split(separator: " ")[0]) })
    #expect(steps.isSubset(of: Set(Self.snapshots)))
  }

  /// The model prints the kernel's values for every zone and order, except the zones named
  /// above, which must differ (or the list is stale) and, where a nearby state is known, are
  /// reproduced by it exactly.
  @Test(arguments: snapshots)
  func modelPrintsTheKernelsIndices(snapshot: String) throws {
    let folder = Fixtures.groundTruth.appendingPathComponent(snapshot)
    let buddyInfo = try BuddyInfo(
      parsing: Fixtures.text(of: folder.appendingPathComponent("proc/buddyinfo")))
    var differing: Set<String> = []
    for kind in ExtfragIndex.Kind.allCases {
      let file = folder.appendingPathComponent("debug/extfrag/" + kind.rawValue)
      let text = try Fixtures.text(of: file)
      let kernel = try ExtfragIndex(parsing: text, kind: kind, file: Fixtures.relativePath(file))
      #expect(kernel.render() == text, "printing \(kind.rawValue) of \(snapshot)")
      #expect(kernel.rows.map(\.zone) == buddyInfo.rows.map(\.zone))
      for row in kernel.rows {
        let blocks = try #require(buddyInfo.rows.first { $0.zone == row.zone }).freeBlocks
        let key = "\(snapshot) \(row.zone)"
        let model = ExtfragIndex.values(kind: kind, freeBlocks: blocks)
        guard let changing = Self.readWhileChanging[key] else {
          #expect(model == row.values, "\(kind.rawValue) \(key)")
          continue
        }
        if model != row.values { differing.insert(key) }
        if let nearby = changing.nearby {
          var adjusted = blocks
          for (order, change) in nearby { adjusted[order] += change }
          #expect(
            ExtfragIndex.values(kind: kind, freeBlocks: adjusted) == row.values,
            "\(key): \(changing.reason)")
        }
      }
    }
    let listed = Set(Self.readWhileChanging.keys.filter { $0.hasPrefix(snapshot + " ") })
    #expect(differing == listed, "zones listed as read while memory was changing")
  }

  /// §7.3's worked example and the printing of negative and padded values.
  @Test func workedExampleAndPrinting() {
    let blocks = [1000] + Array(repeating: 0, count: 10)
    #expect(ExtfragIndex.values(kind: .extfrag, freeBlocks: blocks)[9] == 998)
    #expect(ExtfragIndex.text(of: 998, kind: .extfrag) == " 0.998")
    #expect(ExtfragIndex.text(of: -1000, kind: .extfrag) == "-1.000")
    #expect(ExtfragIndex.text(of: 5, kind: .unusable) == "0.005")
    #expect(ExtfragIndex.text(of: 1000, kind: .unusable) == "1.000")
  }

  /// Counts too large for the sums wrap the way the kernel's `u64` arithmetic does, not trap:
  /// `free × 1000` past 2^64 gives 900 for the fragmentation index and 199 for the unusable
  /// index at order 1 (the unwrapped values would be 500 and 1000).
  @Test func hugeCountsWrapAsTheKernelsU64() {
    let blocks = [Int.max / 100, 0]
    #expect(ExtfragIndex.values(kind: .extfrag, freeBlocks: blocks) == [-1000, 900])
    #expect(ExtfragIndex.values(kind: .unusable, freeBlocks: blocks) == [0, 199])
  }

  /// A value that is not `%d.%03d` (too few or too many decimals, or a whole part whose
  /// thousandths overflow) is an error at its line, never a wrong number or a trap.
  @Test(arguments: ["0.5", "0.0005", "9223372036854775.000", "99999999999999999999.000"])
  func malformedDecimalsNameFileAndLine(value: String) throws {
    let text = "Node 0, zone      DMA 0.000 0.100\nNode 0, zone    DMA32 0.000 \(value)\n"
    let error = try #require(throws: TextParseError.self) {
      try ExtfragIndex(parsing: text, kind: .unusable, file: "unusable_index")
    }
    #expect(error.description.hasPrefix("unusable_index:2:"))
  }

  @Test func malformedValueNamesFileAndLine() throws {
    let text = "Node 0, zone      DMA 0.000 0.100\nNode 0, zone    DMA32 0.000 0,100\n"
    let error = try #require(throws: TextParseError.self) {
      try ExtfragIndex(parsing: text, kind: .unusable, file: "unusable_index")
    }
    #expect(error.description.hasPrefix("unusable_index:2:"))
  }
}
