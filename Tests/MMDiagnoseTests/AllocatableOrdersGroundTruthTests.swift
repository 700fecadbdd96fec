import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// "What can be allocated now" against the real kernel.
///
/// The alloc-failure run's module asked for blocks of one order until a call failed. Before it
/// started, the predicted highest order must
/// be at least the order that then succeeded; in the state the failure report printed, it must be
/// below it.
struct AllocatableOrdersGroundTruthTests {
  /// One case of the run: its folder, the report its failure printed, the request and order.
  struct Case: Sendable, CustomTestStringConvertible {
    var folder: String
    var report: String
    var request: String
    var order: Int
    var testDescription: String { folder }
  }

  static let run = Fixtures.groundTruth.appendingPathComponent("alloc-failure/m512M")

  /// INDEX.md's alloc-failure section: the cases in order and the reports they printed.
  static let cases: [Case] = [
    Case(folder: "A-order10-atomic", report: "01", request: "GFP_ATOMIC", order: 10),
    Case(folder: "B-order10-atomic-fragmented", report: "02", request: "GFP_ATOMIC", order: 10),
    Case(folder: "C-order3-atomic-fragmented", report: "03", request: "GFP_ATOMIC", order: 3),
    Case(folder: "D-order0-atomic-drain", report: "04", request: "GFP_ATOMIC", order: 0),
    Case(folder: "E-order10-kernel-fragmented", report: "05", request: "GFP_KERNEL", order: 10),
  ]

  static let kernel = KernelVersion(6, 1)

  /// The `before` snapshot (zoneinfo, pagetypeinfo, buddyinfo) grants the order.
  @Test(arguments: cases)
  func beforeStateGrantsTheOrderThatSucceeded(_ test: Case) throws {
    let proc = Self.run.appendingPathComponent(test.folder + "/before/proc")
    func text(_ name: String) throws -> String {
      try Fixtures.text(of: proc.appendingPathComponent(name))
    }
    let version = try #require(KernelVersion.find(inLogLine: try text("version")))
    let allocatable = WatermarkInspection.allocatable(
      zoneInfo: try ZoneInfo(parsing: text("zoneinfo")),
      pageTypeInfo: try PageTypeInfo(parsing: text("pagetypeinfo")),
      buddyInfo: try BuddyInfo(parsing: text("buddyinfo")), rules: AllocatorRules(kernel: version))
    let request = try AllocationRequest(parsing: test.request, kernel: version)
    #expect(allocatable.highestOrder(of: request) >= test.order)
    // The slow path's first attempt has at least the fast path's reach.
    #expect(allocatable.highestOrder(of: request, withReserves: true) >= test.order)
  }

  /// The report's `Mem-Info:` block (free counts, watermarks, lowmem_reserve, free lists with
  /// their migratetypes) grants less than the order, even with the request's reserves.
  @Test(arguments: cases)
  func failureStateGrantsLessThanTheOrder(_ test: Case) throws {
    let file = Self.run.appendingPathComponent("reports/\(test.report)-alloc-failure.txt")
    let found = try #require(AllocFailureReport.findAll(in: Fixtures.text(of: file)).first)
    let showMem = try #require(found.report.showMem)
    let zones = ZoneAllocationState.zones(reportedIn: showMem)
    #expect(zones.map(\.kind) == [.dma, .dma32])
    let columns = try #require(zones.first?.protection.count)
    let allocatable = AllocatableOrders(
      zones: zones, kinds: AllocatableOrders.kinds(reserveColumns: columns),
      rules: AllocatorRules(kernel: Self.kernel))
    let request = try AllocationRequest(parsing: test.request, kernel: Self.kernel)
    #expect(allocatable.highestOrder(of: request) < test.order)
    #expect(allocatable.highestOrder(of: request, withReserves: true) < test.order)
  }

  /// Zonelists: DMA32 never falls back up to Normal, DMA only to itself; a request for Normal
  /// may use every zone, with the lowmem reserve of its own highest zone.
  @Test func zonelistAndLowmemReserve() throws {
    let marks = ZoneWatermarks(min: 10, low: 20, high: 30)
    func zone(_ kind: ZoneKind, free: Int, protection: [Int]) -> ZoneAllocationState {
      ZoneAllocationState(
        node: 0, kind: kind,
        counts: WatermarkCheckZone(
          freePages: free, freeCMAPages: 0, reservedHighAtomic: 0, lowmemReserve: 0),
        marks: marks, protection: protection,
        freeLists: [[.unmovable], [.movable], [], [.movable]])
    }
    let allocatable = AllocatableOrders(
      zones: [
        zone(.dma, free: 100, protection: [0, 50, 200, 200, 200]),
        zone(.dma32, free: 100, protection: [0, 0, 90, 90, 90]),
      ],
      kinds: [.dma, .dma32, .normal, .movable, .device], rules: AllocatorRules(kernel: Self.kernel))
    let requests = try ["GFP_KERNEL", "GFP_DMA32", "GFP_DMA"].map {
      try AllocationRequest(parsing: $0, kernel: Self.kernel)
    }
    // GFP_KERNEL: DMA needs free > 20 + 200 and DMA32 free > 20 + 90: neither has it.
    #expect(allocatable.highestOrder(of: requests[0], zone: 0) == -1)
    #expect(allocatable.highestOrder(of: requests[0], zone: 1) == -1)
    // GFP_DMA32: DMA's reserve for DMA32 is 50; DMA32 has none for itself.
    #expect(allocatable.highestOrder(of: requests[1], zone: 0) == 3)
    #expect(allocatable.highestOrder(of: requests[1], zone: 1) == 3)
    // GFP_DMA never uses DMA32.
    #expect(allocatable.highestOrder(of: requests[2], zone: 1) == -1)
    #expect(allocatable.highestOrder(of: requests[2], zone: 0) == 3)
  }
}
