import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// The overcommit model against the real kernel (`Tests/Fixtures/ground-truth/INDEX.md` §2):
/// every captured CommitLimit, and the `mmap-probe` runs of `overcommit/m1G` replayed request by
/// request.
///
/// The probe (kernel-lab `src/mmap-probe.c`) maps anonymous private writable memory and never
/// touches it. `grow` maps chunks of 1 MiB, doubling after each success until the first
/// failure, then halves the chunk after each failure (keeping it after a success) down to one
/// page, holding every mapping; `-M` caps the total. `single-max` bisects, to the page, for the
/// largest single mapping (each one unmapped again), after first trying the ceiling. `malloc N`
/// maps N MiB plus glibc's header page. Each file's `before:` line gives Committed_AS and the
/// probe's own VmSize (its `total_vm`) as the probe started.
@Suite(.timeLimit(.minutes(1)))
struct OvercommitGroundTruthTests {
  static let run = OvercommitProbes.run

  /// Every captured `proc/` folder with a meminfo and the overcommit sysctls.
  static let snapshots = Fixtures.procFolders(holding: "meminfo").filter {
    FileManager.default.fileExists(
      atPath: $0.appendingPathComponent("sys/vm/overcommit_memory").path)
  }

  static func sysVM(_ folder: URL) throws -> SysVM {
    try SysVM(parsing: Fixtures.sysVMFiles(in: folder))
  }

  static func memInfo(_ folder: URL) throws -> MemInfo {
    try MemInfo(parsing: Fixtures.text(of: folder.appendingPathComponent("meminfo")))
  }

  static func version(_ folder: URL) throws -> KernelVersion {
    try #require(
      KernelVersion.find(inLogLine: Fixtures.text(of: folder.appendingPathComponent("version"))))
  }

  /// The accounting of a step as a probe found it: the step's sysctls and meminfo, the probe's
  /// Committed_AS, and the batch of the run's cpus (`run-info.txt`, `smp:`).
  static func accounting(step: String, committedKB: Int) throws -> OvercommitAccounting {
    let folder = run.appendingPathComponent(step + "/proc")
    let memInfo = try memInfo(folder)
    let memory = try CommitMemory(memInfo: memInfo)
    let settings = try OvercommitSettings(
      sysVM: sysVM(folder), freeKbytes: try #require(memInfo.memFree))
    let version = try version(folder)
    let cpus = try #require(
      Int(try value(of: "smp", in: run.appendingPathComponent("run-info.txt"))))
    let batch = OvercommitFormulas.committedBatch(
      mode: settings.mode, presentCPUs: cpus, totalRAMPages: memory.totalRAMPages,
      version: version)
    return OvercommitAccounting(
      version: version, settings: settings, memory: memory,
      committed: CommittedCounter(count: committedKB / 4, cpus: cpus, batch: batch))
  }

  /// The text after `key:` on the line that starts with it.
  static func value(of key: String, in file: URL) throws -> String {
    let line = try #require(try Fixtures.lines(of: file).first { $0.hasPrefix(key + ":") })
    return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
  }

  // MARK: - CommitLimit

  @Test func everyCapturedCommitLimitIsReproducedExactly() throws {
    #expect(Self.snapshots.count == 70)
    var exact = 0
    for folder in Self.snapshots {
      let memInfo = try Self.memInfo(folder)
      let memory = try CommitMemory(memInfo: memInfo)
      let settings = try OvercommitSettings(
        sysVM: Self.sysVM(folder), freeKbytes: try #require(memInfo.memFree))
      let model = OvercommitFormulas.commitLimitPages(
        totalRAMPages: memory.totalRAMPages, hugetlbPages: memory.hugetlbPages,
        totalSwapPages: memory.totalSwapPages, settings: settings,
        version: try Self.version(folder))
      let kernel = try #require(memInfo.commitLimit)
      #expect(model * 4 == kernel, "\(Fixtures.relativePath(folder))")
      if model * 4 == kernel { exact += 1 }
    }
    #expect(exact == Self.snapshots.count)
  }

  // MARK: - Probes

  /// `mmap-probe [-M capMB] grow` against the model: the same chunks in the same order.
  static func grow(
    _ accounting: OvercommitAccounting, task: OvercommitAccounting.Task, capMB: Int = 0
  ) throws -> OvercommitProbes.GrowResult {
    var accounting = accounting
    var task = task
    var result = OvercommitProbes.GrowResult()
    var chunk = 256
    var total = 0
    let cap = capMB * 256
    while true {
      if cap > 0 && total >= cap { break }
      if cap > 0 && total + chunk > cap { chunk = cap - total }
      if try accounting.vmEnoughMemory(pages: chunk, task: task).granted {
        total += chunk
        task.totalVMPages = (task.totalVMPages ?? 0) + chunk
        result.mappings += 1
        if result.failures == 0 { chunk *= 2 }
        continue
      }
      result.failures += 1
      if result.failures == 1 {
        result.firstFailTotalKB = total * 4
        result.firstFailChunkKB = chunk * 4
        result.committedAtFirstFailureKB = accounting.committed.sum * 4
      }
      if chunk <= 1 { break }
      chunk /= 2
    }
    result.totalPages = total
    result.committedAtEndKB = accounting.committed.sum * 4
    return result
  }

  /// The probe as the task it ran as: root has CAP_SYS_ADMIN, uid 65534 has not.
  static func task(_ file: URL) throws -> OvercommitAccounting.Task {
    let header = try OvercommitProbes.fields("mmap-probe:", in: file)
    let before = try OvercommitProbes.fields("before:", in: file)
    return OvercommitAccounting.Task(
      capSysAdmin: header["euid"] == 0, totalVMPages: try #require(before["VmSize_kb"]) / 4)
  }

  /// Each `grow` run fails first at the kernel's total and chunk, ends at the kernel's total
  /// to the page (mode 2 only through the per-cpu batch), and leaves the kernel's Committed_AS.
  @Test(arguments: OvercommitProbes.growProbes)
  func growProbeIsRefusedWhereTheKernelRefusedIt(step: String, file: String, capMB: Int) throws {
    let url = Self.run.appendingPathComponent(step).appendingPathComponent(file)
    let before = try OvercommitProbes.fields("before:", in: url)
    let accounting = try Self.accounting(
      step: step, committedKB: try #require(before["Committed_AS_kb"]))
    let model = try Self.grow(accounting, task: try Self.task(url), capMB: capMB)
    let kernel = try OvercommitProbes.fields("grow: result", in: url)
    let end = try OvercommitProbes.fields("at_end_holding_mappings:", in: url)
    let expected = OvercommitProbes.GrowResult(
      firstFailTotalKB: try #require(kernel["first_fail_total_kb"]),
      firstFailChunkKB: try #require(kernel["first_fail_chunk_kb"]),
      totalPages: try #require(kernel["total_pages"]), mappings: try #require(kernel["mappings"]),
      failures: try #require(kernel["failures"]),
      committedAtFirstFailureKB: kernel["failures"] == 0
        ? nil : try OvercommitProbes.fields("at_first_failure:", in: url)["Committed_AS_kb"],
      committedAtEndKB: try #require(end["Committed_AS_kb"]))
    #expect(model == expected)
  }

  /// Counting every page at once (no per-cpu batch) misses the mode-2 totals: the batch is
  /// what the kernel's check sees.
  @Test func exactCounterMissesTheStrictGrowTotal() throws {
    var accounting = try Self.accounting(step: "01-mode2-ratio50", committedKB: 8340)
    #expect(accounting.committed.batch == 924)
    accounting.committed.batch = 1
    let model = try Self.grow(accounting, task: .init(capSysAdmin: true, totalVMPages: 249))
    #expect(model.totalPages == 112_744)
  }

  /// The largest single mapping, to the page; mode 1 grants the 1 TiB ceiling.
  @Test(arguments: OvercommitProbes.singleMaxProbes)
  func singleMaxProbeFindsTheKernelsLargestMapping(step: String, file: String) throws {
    let url = Self.run.appendingPathComponent(step).appendingPathComponent(file)
    let before = try OvercommitProbes.fields("before:", in: url)
    let accounting = try Self.accounting(
      step: step, committedKB: try #require(before["Committed_AS_kb"]))
    let ceiling = (1 << 20) * 256  // the probe's default -M: 1 TiB
    let model = accounting.largestGrantedRequest(task: try Self.task(url), ceiling: ceiling)
    let kernel = try OvercommitProbes.fields("single-max: result", in: url)
    if let pages = kernel["max_ok_pages"] {
      #expect(model == pages)
      #expect(kernel["first_fail_pages"] == pages + 1)
    } else {
      #expect(model == nil)
      #expect(kernel["max_ok_kb"] == ceiling * 4)
    }
  }

  static let mallocProbes = [
    ("04-mode0", "malloc-ramswap-plus-1M.txt"), ("04-mode0", "malloc-ramswap-minus-64M.txt"),
    ("04-mode0", "malloc-2x-ramswap.txt"), ("05-mode1", "malloc-2x-ramswap.txt"),
    ("05-mode1", "malloc-64G.txt"),
  ]

  /// `malloc(N MiB)` is one mmap of N × 256 pages plus a header page: mode 0 refuses it exactly
  /// when that exceeds RAM + swap, mode 1 never.
  @Test(arguments: mallocProbes)
  func mallocProbeMatches(step: String, file: String) throws {
    let url = Self.run.appendingPathComponent(step).appendingPathComponent(file)
    let before = try OvercommitProbes.fields("before:", in: url)
    let accounting = try Self.accounting(
      step: step, committedKB: try #require(before["Committed_AS_kb"]))
    let line = try #require(try Fixtures.lines(of: url).first { $0.hasPrefix("malloc:") })
    let sizeMB = try #require(try OvercommitProbes.fields("malloc:", in: url)["size_mb"])
    let decision = try accounting.decision(
      pages: sizeMB * 256 + 1, task: try Self.task(url))
    #expect(decision.granted == line.contains("result=ok"), "\(decision)")
  }

  /// Mode 0 refuses a single request one page larger than RAM + swap and says why; mode 1
  /// grants it.
  @Test func guessRefusesMoreThanRAMPlusSwapAndAlwaysGrantsIt() throws {
    let guess = try Self.accounting(step: "04-mode0", committedKB: 8340)
    let always = try Self.accounting(step: "05-mode1", committedKB: 8340)
    let task = OvercommitAccounting.Task(capSysAdmin: false, totalVMPages: 249)
    let ramPlusSwap = 236_720
    let refused = try guess.decision(pages: ramPlusSwap + 1, task: task)
    #expect(!refused.granted)
    #expect(refused.test == .singleRequest(limitPages: ramPlusSwap))
    #expect(refused.description == "236721 pages refused (ENOMEM): > RAM + swap 236720 pages")
    #expect(try guess.decision(pages: ramPlusSwap, task: task).granted)
    let granted = try always.decision(pages: ramPlusSwap + 1, task: task)
    #expect(granted.granted && granted.test == .always)
  }
}
