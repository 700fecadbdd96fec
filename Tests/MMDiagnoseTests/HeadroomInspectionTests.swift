import Foundation
import MMCore
import MMDiagnose
import MMTestSupport
import MMText
import Testing

/// `oomlab inspect`'s headroom and findings on captured machines.
struct HeadroomInspectionTests {
  /// A captured snapshot read the way `oomlab inspect` reads it (sysctls optionally replaced).
  static func inspect(
    _ step: String, sysVM replaced: SysVM? = nil, edit: (inout PageTypeInfo) -> Void = { _ in }
  ) throws -> (
    WatermarkInspection, HeadroomInspection
  ) {
    let proc = Fixtures.groundTruth.appendingPathComponent(step + "/proc")
    func text(_ name: String) throws -> String {
      try Fixtures.text(of: proc.appendingPathComponent(name))
    }
    let kernel = try #require(KernelVersion.find(inLogLine: try text("version")))
    let zoneInfo = try ZoneInfo(parsing: text("zoneinfo"))
    var pageTypeInfo = try PageTypeInfo(parsing: text("pagetypeinfo"))
    edit(&pageTypeInfo)
    let buddyInfo = try BuddyInfo(parsing: text("buddyinfo"))
    let memInfo = try MemInfo(parsing: text("meminfo"))
    let sysVM = try replaced ?? SysVM(parsing: Fixtures.sysVMFiles(in: proc))
    var watermarks = WatermarkInspection(
      zoneInfo: zoneInfo, sysVM: sysVM, kernel: kernel, buddyInfo: buddyInfo)
    let requests = AllocationRequest.standard(kernel: kernel)
    let allocatable = WatermarkInspection.allocatable(
      zoneInfo: zoneInfo, pageTypeInfo: pageTypeInfo, buddyInfo: buddyInfo,
      rules: AllocatorRules(kernel: kernel))
    watermarks.addOutlook(
      zoneInfo: zoneInfo, pageTypeInfo: pageTypeInfo, buddyInfo: buddyInfo,
      allocatable: allocatable, requests: requests)
    let headroom = HeadroomInspection(
      memInfo: memInfo, sysVM: sysVM, watermarks: watermarks, allocatable: allocatable,
      requests: requests)
    return (watermarks, headroom)
  }

  /// Zone figures come from zoneinfo and pagetypeinfo unchanged: DMA32 of the 512 MiB machine
  /// with its 47 640 free pages, 186.1 MiB.
  @Test func zoneHeadroomInPagesAndMebibytes() throws {
    let (watermarks, headroom) = try Self.inspect("alloc-failure/m512M/01-fragmented")
    let dma32 = try #require(watermarks.zones.first { $0.zone == "DMA32" }?.headroom)
    let zoneInfo = try ZoneInfo(
      parsing: Fixtures.text(
        of: Fixtures.groundTruth.appendingPathComponent(
          "alloc-failure/m512M/01-fragmented/proc/zoneinfo")))
    let entry = try #require(zoneInfo.entry(zone: "DMA32"))
    #expect(dma32.freePages == entry.free)
    #expect(dma32.minPages == entry.min && dma32.lowPages == entry.low)
    #expect(dma32.freeMB == (Double(entry.free) * 4 / 1024 * 10).rounded() / 10)
    #expect(dma32.compactablePages ?? 0 <= dma32.movableBlockPages ?? 0)
    #expect(headroom.memAvailableKB != nil)
    #expect(headroom.highestOrder?["GFP_DMA"] != nil)
    #expect(headroom.commitHeadroomKB == nil, "mode 0 has no commit headroom")
  }

  /// Half the free memory of the arm64 box near OOM is CMA.
  @Test func cmaShareOfFreeMemory() throws {
    let (_, headroom) = try Self.inspect("cma-arm64/movable-cma256M/01-near-oom")
    let finding = try #require(headroom.findings.first { $0.id == "cma-free" })
    #expect(finding.title.hasPrefix("free memory is 50 % CMA"))
    let (_, booted) = try Self.inspect("cma-arm64/movable-cma256M/00-boot")
    #expect(!booted.findings.contains { $0.id == "cma-free" })
  }

  /// A hand-written min_free_kbytes below the default stands out; the booted value does not.
  @Test func minFreeKbytesBelowTheDefault() throws {
    let (_, booted) = try Self.inspect("watermarks/m256M/00-as-booted")
    #expect(!booted.findings.contains { $0.id == "min-free-below-default" })
    let (_, lowered) = try Self.inspect(
      "watermarks/m256M/00-as-booted", sysVM: SysVM(minFreeKbytes: 512))
    let finding = try #require(lowered.findings.first { $0.id == "min-free-below-default" })
    #expect(finding.title == "min_free_kbytes 512 is below the kernel's default 1667")
  }

  /// Page cache beside fragmented anon memory: free pages, but no block of a costly order.
  @Test func fragmentationBesideFragmentedAnon() throws {
    let (watermarks, headroom) = try Self.inspect(
      "pagecache/m512M-ext4/05-cache-plus-fragmented-anon")
    let finding = try #require(headroom.findings.first { $0.id == "fragmentation" })
    let zone = try #require(watermarks.zones.first { finding.title.hasPrefix("0/\($0.zone):") })
    let extfrag = try #require(zone.extfragIndex)
    #expect(extfrag[4...].contains { $0 > 0.5 })
  }

  /// Damaged pagetypeinfo counts near Int.max do not trap: the pageblock pages and free-list
  /// sums wrap (as the kernel's `unsigned long` would), and every zone is still reported.
  @Test func hugePageTypeInfoCountsDoNotTrap() throws {
    let huge = Int.max / 2
    let (watermarks, headroom) = try Self.inspect("alloc-failure/m512M/01-fragmented") { info in
      for index in info.blockRows.indices {
        info.blockRows[index].counts = info.blockRows[index].counts.map { _ in huge }
      }
      for index in info.freeRows.indices {
        info.freeRows[index].counts = info.freeRows[index].counts.map { _ in huge }
      }
    }
    let dma32 = try #require(watermarks.zones.first { $0.zone == "DMA32" }?.headroom)
    #expect(dma32.movableBlockPages == huge &* 512)
    #expect(headroom.highestOrder?["GFP_KERNEL"] != nil)
  }

  /// A zone whose Movable lists are empty while it has Movable pageblocks (the capture's DMA32
  /// with its Movable free counts cleared); the real capture has free Movable pages.
  @Test func movablePageblocksExhausted() throws {
    let step = "alloc-failure/m512M/01-fragmented"
    let (_, real) = try Self.inspect(step)
    #expect(!real.findings.contains { $0.id == "movable-exhausted" })
    let (watermarks, emptied) = try Self.inspect(step) { info in
      for index in info.freeRows.indices
      where info.freeRows[index].zone == "DMA32" && info.freeRows[index].type == "Movable" {
        info.freeRows[index].counts = info.freeRows[index].counts.map { _ in 0 }
      }
    }
    let finding = try #require(emptied.findings.first { $0.id == "movable-exhausted" })
    #expect(finding.title.hasPrefix("0/DMA32: Movable pageblocks exhausted"))
    let dma32 = try #require(watermarks.zones.first { $0.zone == "DMA32" })
    #expect(dma32.largestFreeOrder?["Movable"] == -1)
    #expect(dma32.headroom?.movableFreePages == 0)
  }

  /// Mode 2 reports CommitLimit − Committed_AS.
  @Test func commitHeadroomInModeTwo() throws {
    let proc = Fixtures.groundTruth.appendingPathComponent("overcommit/m1G/01-mode2-ratio50/proc")
    let memInfo = try MemInfo(
      parsing: Fixtures.text(of: proc.appendingPathComponent("meminfo")))
    let headroom = HeadroomInspection(
      memInfo: memInfo, sysVM: SysVM(overcommitMemory: 2), watermarks: nil, allocatable: nil,
      requests: [])
    #expect(headroom.commitHeadroomKB == 473_440 - 8024)
    #expect(headroom.highestOrder == nil)
  }
}
