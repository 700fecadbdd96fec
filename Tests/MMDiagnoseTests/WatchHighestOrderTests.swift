import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// `oomlab watch`'s per-zone `highestOrder` over the ground-truth captures: the fast path's
/// answer for GFP_KERNEL and GFP_ATOMIC, the same numbers `oomlab inspect` gives for the same
/// directory.
@Suite(.timeLimit(.minutes(2)))
struct WatchHighestOrderTests {
  static let captures = Fixtures.procFolders(holding: "zoneinfo")

  /// A capture's files as a watch sample, as `oomlab watch` reads them.
  static func sample(_ proc: URL, pageTypeInfo: Bool = true, kernel: Bool = true) throws
    -> WatchSample
  {
    func text(_ name: String) throws -> String? {
      let file = proc.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: file.path) else { return nil }
      return try Fixtures.text(of: file)
    }
    return WatchSample(
      time: 0, source: proc.path, memInfo: try text("meminfo").map { try MemInfo(parsing: $0) },
      zoneInfo: try text("zoneinfo").map { try ZoneInfo(parsing: $0) },
      buddyInfo: try text("buddyinfo").map { try BuddyInfo(parsing: $0) },
      pageTypeInfo: pageTypeInfo
        ? try text("pagetypeinfo").map { try PageTypeInfo(parsing: $0) } : nil,
      processes: [], sysVM: SysVM(),
      kernel: kernel ? try text("version").flatMap { KernelVersion.find(inLogLine: $0) } : nil)
  }

  /// Inspect's outlook for the sample's directory: each zone's `highestOrder` for every
  /// standard request, by zone name.
  static func inspected(_ sample: WatchSample) throws -> [String: [String: Int]] {
    let zoneInfo = try #require(sample.zoneInfo)
    let kernel = try #require(sample.kernel)
    var inspection = WatermarkInspection(
      zoneInfo: zoneInfo, sysVM: sample.sysVM, kernel: kernel, buddyInfo: sample.buddyInfo)
    inspection.addOutlook(
      zoneInfo: zoneInfo, pageTypeInfo: sample.pageTypeInfo, buddyInfo: sample.buddyInfo,
      allocatable: WatermarkInspection.allocatable(
        zoneInfo: zoneInfo, pageTypeInfo: sample.pageTypeInfo, buddyInfo: sample.buddyInfo,
        rules: AllocatorRules(kernel: kernel)),
      requests: AllocationRequest.standard(kernel: kernel))
    var orders: [String: [String: Int]] = [:]
    for zone in inspection.zones {
      orders["\(zone.node)/\(zone.zone)"] = zone.highestOrder
    }
    return orders
  }

  @Test(arguments: captures)
  func sameAsInspectForEveryCapture(proc: URL) throws {
    let sample = try Self.sample(proc)
    var watch = MemoryWatch()
    let report = watch.record(sample)
    let inspected = try Self.inspected(sample)
    try #require(!report.zones.isEmpty)
    for zone in report.zones {
      let expected = inspected["\(zone.node)/\(zone.zone)"]?.filter {
        WatchSample.highestOrderRequests.contains($0.key)
      }
      #expect(zone.highestOrder == expected, "\(zone.node)/\(zone.zone) of \(proc.path)")
      #expect(zone.highestOrder?.count == 2)
    }
  }

  /// Zones where the fast path grants less than the largest free block: the lowmem reserve
  /// keeps every request off a 6 GiB machine's DMA zone; held allocations leave blocks the
  /// watermark check refuses.
  @Test(arguments: [
    ("watermarks/m6G-thp-default/00-as-booted/proc", "DMA", 10, -1),
    ("alloc-failure/m512M/C-order3-atomic-fragmented/held/proc", "DMA", 8, -1),
    ("alloc-failure/m512M/A-order10-atomic/held/proc", "DMA", 9, 8),
    ("cma-arm64/movable-cma256M/01-near-oom/proc", "DMA", 10, 8),
  ])
  func grantsLessThanTheLargestFreeBlock(step: String, zone: String, largest: Int, granted: Int)
    throws
  {
    let proc = Fixtures.groundTruth.appendingPathComponent(step)
    var watch = MemoryWatch()
    let report = watch.record(try Self.sample(proc))
    let reported = try #require(report.zones.first { $0.zone == zone })
    #expect(reported.largestFreeOrder == largest)
    #expect(reported.highestOrder == ["GFP_KERNEL": granted, "GFP_ATOMIC": granted])
    let shown = granted < 0 ? "none / none" : "\(granted) / \(granted)"
    let line = try #require(report.text.split(separator: "\n").first { $0.hasPrefix("0/\(zone) ") })
    #expect(line.hasSuffix(shown), "\(line)")
  }

  /// `highestOrder` is unknown without a kernel version, and comes from buddyinfo without
  /// pagetypeinfo.
  ///
  /// The masks cannot be decoded without the kernel; buddyinfo's orders stand in for the free
  /// lists as in inspect.
  @Test func unknownWithoutAKernelAndFromBuddyinfoWithoutPagetypeinfo() throws {
    let proc = Fixtures.groundTruth.appendingPathComponent(
      "alloc-failure/m512M/A-order10-atomic/held/proc")
    var watch = MemoryWatch()
    let unknown = watch.record(try Self.sample(proc, kernel: false))
    #expect(!unknown.zones.isEmpty)
    #expect(unknown.zones.allSatisfy { $0.highestOrder == nil })
    #expect(unknown.text.contains("grants GFP_KERNEL / GFP_ATOMIC"))
    let buddy = try Self.sample(proc, pageTypeInfo: false)
    let orders = watch.record(buddy).zones.map(\.highestOrder)
    let inspected = try Self.inspected(buddy)
    #expect(
      orders
        == ["0/DMA", "0/DMA32"].map { name in
          inspected[name]?.filter { WatchSample.highestOrderRequests.contains($0.key) }
        })
    #expect(orders.allSatisfy { $0 != nil })
  }
}
