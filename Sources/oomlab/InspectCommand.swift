internal import ArgumentParser
internal import Foundation
internal import MMCore
internal import MMDiagnose
internal import MMText

/// `oomlab inspect`: what a live or captured machine's memory zones are set up to do, checked
/// against the model.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract:
      "Show a machine's watermarks, reserves, fragmentation, allocatable orders and headroom.",
    discussion: """
      Reads zoneinfo (and sys/vm, version, pagetypeinfo when present) from /proc or from a \
      directory laid out like it, recomputes min_free_kbytes, min/low/high and protection with \
      the kernel's formulas, and says which history explains each zone: computed at boot, or \
      recomputed since. Boot values need the boot log's late frees: --dmesg FILE, or on the \
      live machine /dev/kmsg. With meminfo and <pid>/status files, it also recomputes each \
      task's OOM badness and oom_score and names the task a global OOM would kill now. From \
      meminfo and the overcommit sysctls it recomputes CommitLimit and says what the \
      overcommit mode would grant now. With buddyinfo and pagetypeinfo, it computes the \
      fragmentation indices debugfs prints, and for GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, \
      GFP_HIGHUSER_MOVABLE, GFP_DMA32, GFP_DMA and every --gfp mask the highest order each \
      zone would grant now; then the headroom against the watermarks, and findings. \
      Missing files leave their sections out. JSON keys: docs/inspect.md.
      """)

  @Option(help: "A directory laid out like /proc.")
  var proc = "/proc"

  @Option(help: "A kernel log with the boot messages (for the late 'Freeing … memory' lines).")
  var dmesg: String?

  @Option(help: "The kernel release, when the directory has no 'version' file.")
  var kernel: String?

  @Option(
    name: .customLong("gfp"),
    help: "Also test this allocation request: names or hex (GFP_KERNEL|__GFP_COMP, 0xa20).")
  var masks: [String] = []

  @Flag(help: "Print a JSON object instead of text.")
  var json = false

  func run() throws {
    do {
      let directory = ProcDirectory(path: proc)
      let memInfo = try directory.memInfo()
      // Without zoneinfo, a meminfo still gives the commit section.
      let zoneInfo =
        memInfo != nil && !directory.contains("zoneinfo") ? nil : try directory.zoneInfo()
      let version = try resolveKernel(directory)
      let sysVM = try directory.sysVM()
      let pageTypeInfo = try directory.pageTypeInfo()
      let buddyInfo = try directory.buddyInfo()
      var watermarks = try zoneInfo.map { zoneInfo in
        let bootLog = try dmesg.map(readLog) ?? (directory.isLive ? liveKernelLog() : nil)
        return WatermarkInspection(
          zoneInfo: zoneInfo, sysVM: sysVM, kernel: version,
          bootMemory: bootLog.map { BootMemory(parsingLog: $0) },
          transparentHugepage: directory.isLive ? liveTransparentHugepageMode() : nil,
          buddyInfo: buddyInfo, pageblockOrder: pageTypeInfo?.pageblockOrder ?? 9)
      }
      let requests =
        AllocationRequest.standard(kernel: version)
        + (try masks.map { mask throws(GFPParseError) in
          try AllocationRequest(parsing: mask, kernel: version)
        })
      let allocatable = zoneInfo.map { zoneInfo in
        WatermarkInspection.allocatable(
          zoneInfo: zoneInfo, pageTypeInfo: pageTypeInfo, buddyInfo: buddyInfo,
          rules: AllocatorRules(kernel: version))
      }
      if let zoneInfo, let allocatable {
        watermarks?.addOutlook(
          zoneInfo: zoneInfo, pageTypeInfo: pageTypeInfo, buddyInfo: buddyInfo,
          allocatable: allocatable, requests: requests)
      }
      let commit = try memInfo.map { memInfo throws(OvercommitError) in
        try CommitInspection(memInfo: memInfo, sysVM: sysVM, kernel: version, zoneInfo: zoneInfo)
      }
      let tasks = try directory.taskInspection(kernel: version, sysVM: sysVM, memInfo: memInfo)
      let headroom = HeadroomInspection(
        memInfo: memInfo, sysVM: sysVM, watermarks: watermarks, allocatable: allocatable,
        requests: requests)
      let report = InspectionReport(
        watermarks: watermarks, tasks: tasks, commit: commit, headroom: headroom)
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
      } else {
        print(report.text, terminator: "")
      }
    } catch let error as InputError {
      throw failure(error.message, status: 1)
    } catch let error as OvercommitError {
      throw failure(error.description, status: 1)
    } catch let error as KernelVersionError {
      throw failure(error.description, status: 2)
    } catch let error as GFPParseError {
      throw failure("--gfp: \(error.description)", status: 2)
    }
  }

  private func resolveKernel(_ directory: ProcDirectory) throws -> KernelVersion {
    if let kernel { return try KernelVersion(parsing: kernel) }
    if let version = try directory.kernelVersion() { return version }
    throw InputError(message: "\(proc): no 'version' file; pass --kernel")
  }

  private func readLog(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError(message: "\(path): cannot read")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// THP's mode from /sys/kernel/mm/transparent_hugepage/enabled (`always [madvise] never`).
  private func liveTransparentHugepageMode() -> TransparentHugepageMode? {
    guard
      let data = FileManager.default.contents(
        atPath: "/sys/kernel/mm/transparent_hugepage/enabled")
    else { return nil }
    let text = String(decoding: data, as: UTF8.self)
    guard let open = text.firstIndex(of: "["), let close = text.firstIndex(of: "]") else {
      return nil
    }
    return TransparentHugepageMode(rawValue: String(text[text.index(after: open)..<close]))
  }
}
