import MMCore
import Testing

/// The overcommit formulas against the fact sheet's worked examples
/// (show-mem-meminfo-overcommit.md §4) and the rules' version boundaries.
struct OvercommitFormulaTests {
  static let v61 = KernelVersion(6, 1)

  static func settings(
    _ mode: OvercommitMode = .never, ratio: Int = 50, kbytes: Int = 0
  ) -> OvercommitSettings {
    OvercommitSettings(
      mode: mode, ratio: ratio, kbytes: kbytes, adminReserveKbytes: 8192, userReserveKbytes: 29043)
  }

  static func limit(
    ram: Int, hugetlb: Int = 0, swap: Int = 0, _ settings: OvercommitSettings,
    version: KernelVersion = v61
  ) -> Int {
    OvercommitFormulas.commitLimitPages(
      totalRAMPages: ram, hugetlbPages: hugetlb, totalSwapPages: swap, settings: settings,
      version: version)
  }

  /// The sheet's 1 GiB guest with a 256 MiB swap: 735572 / 1019632 / 662140 kB, the division
  /// applied to the RAM part alone; and its 8 GiB example.
  @Test func commitLimitWithSwap() {
    #expect(Self.limit(ram: 236_717, swap: 65535, Self.settings(ratio: 50)) * 4 == 735_572)
    #expect(Self.limit(ram: 236_717, swap: 65535, Self.settings(ratio: 80)) * 4 == 1_019_632)
    #expect(
      Self.limit(ram: 236_717, swap: 65535, Self.settings(ratio: 0, kbytes: 400_000)) * 4
        == 662_140)
    #expect(Self.limit(ram: 2_000_000, swap: 524_288, Self.settings()) * 4 == 6_097_152)
  }

  /// Huge page pools come off the RAM part (ratio only); `overcommit_kbytes` exists from 3.14.
  @Test func hugetlbAndKbytesByVersion() {
    #expect(Self.limit(ram: 236_720, hugetlb: 51200, Self.settings()) == 92760)
    #expect(Self.limit(ram: 236_720, hugetlb: 51200, Self.settings(kbytes: 400_000)) == 100_000)
    #expect(
      Self.limit(ram: 236_720, Self.settings(kbytes: 400_000), version: KernelVersion(3, 13))
        == 118_360)
  }

  /// Boot reserves: 1/32 of free memory, capped at 8 MiB (admin) and 128 MiB (user); the
  /// captures show 29043 kB / 8192 kB at 1 GiB and 4912 kB for both at 256 MiB.
  @Test func initialReserves() {
    #expect(OvercommitFormulas.initialUserReserveKbytes(freeKbytes: 929_376) == 29043)
    #expect(OvercommitFormulas.initialAdminReserveKbytes(freeKbytes: 929_376) == 8192)
    #expect(OvercommitFormulas.initialAdminReserveKbytes(freeKbytes: 157_184) == 4912)
    #expect(OvercommitFormulas.initialUserReserveKbytes(freeKbytes: 64 << 20) == 131_072)
  }

  /// The batch: 924 pages for 1 GiB on one cpu in mode 2, a quarter of RAM in modes 0/1 from
  /// 5.9, and at least 32 or 2 × cpus.
  @Test func committedBatch() {
    func batch(
      _ mode: OvercommitMode, cpus: Int = 1, ram: Int = 236_720, _ v: KernelVersion = Self.v61
    )
      -> Int
    {
      OvercommitFormulas.committedBatch(
        mode: mode, presentCPUs: cpus, totalRAMPages: ram, version: v)
    }
    #expect(batch(.never) == 924)
    #expect(batch(.guess) == 59180)
    #expect(batch(.always, KernelVersion(5, 4)) == 924)
    #expect(batch(.never, ram: 4096) == 32)
    #expect(batch(.never, cpus: 64, ram: 4096) == 128)
  }

  /// A change below the batch stays in the cpu's delta; reaching it folds the delta and the
  /// change into the global count.
  @Test func perCPUCounterFoldsAtTheBatch() throws {
    var counter = CommittedCounter(count: 2085, cpus: 2, batch: 924)
    try counter.add(900)
    #expect(counter.count == 2085 && counter.sum == 2985)
    try counter.add(24)
    #expect(counter.count == 3009 && counter.deltas == [0, 0])
    try counter.add(-100, cpu: 1)
    #expect(counter.readPositive == 3009 && counter.sum == 2909)
    counter.sync()
    #expect(counter.count == 2909 && counter.deltas == [0, 0])
    #expect(throws: OvercommitError.noSuchCPU(2, cpus: 2)) { try counter.add(1, cpu: 2) }
  }

  /// Strict mode on 6.1, root and an unprivileged task: allowed − 1 − Committed_AS is the
  /// largest request (116267 and 114219 pages in the ground truth).
  @Test func strictModeReserves() throws {
    let accounting = OvercommitAccounting(
      version: Self.v61, settings: Self.settings(), memory: CommitMemory(totalRAMPages: 236_720),
      committed: CommittedCounter(count: 2085, batch: 924))
    let root = OvercommitAccounting.Task(capSysAdmin: true, totalVMPages: 249)
    let nobody = OvercommitAccounting.Task(capSysAdmin: false, totalVMPages: 249)
    #expect(accounting.largestGrantedRequest(task: root, ceiling: 1 << 28) == 116_267)
    #expect(accounting.largestGrantedRequest(task: nobody, ceiling: 1 << 28) == 114_219)
    let refused = try accounting.decision(pages: 114_220, task: nobody)
    #expect(
      refused.description
        == "114220 pages refused (ENOMEM): Committed_AS 116305 ≥ allowed 116305 pages "
        + "(CommitLimit 118360 − admin reserve 2048 − user reserve 7)")
    // The user reserve is capped by user_reserve_kbytes; without an mm there is none.
    let big = OvercommitAccounting.Task(capSysAdmin: true, totalVMPages: 1 << 20)
    let noMM = OvercommitAccounting.Task(capSysAdmin: true, totalVMPages: nil)
    #expect(accounting.largestGrantedRequest(task: big, ceiling: 1 << 28) == 116_274 - 7260)
    #expect(accounting.largestGrantedRequest(task: noMM, ceiling: 1 << 28) == 116_274)
    // A granted mapping stays accounted until it is unmapped.
    var mapped = accounting
    #expect(try mapped.vmEnoughMemory(pages: 100_000, task: root).granted)
    #expect(mapped.committed.count == 102_085)
    #expect(mapped.largestGrantedRequest(task: root, ceiling: 1 << 28) == 16_267)
    try mapped.unaccount(pages: 100_000)
    #expect(mapped.committed == accounting.committed)
  }

  /// Before 3.10 the reserves were hard-coded: 1/32 of the RAM part for non-root, 1/32 of the
  /// task's size for everyone.
  @Test func strictModeBefore310() throws {
    var accounting = OvercommitAccounting(
      version: KernelVersion(3, 9), settings: Self.settings(),
      memory: CommitMemory(totalRAMPages: 236_720, totalSwapPages: 1000),
      committed: CommittedCounter(count: 2085, batch: 924))
    let nobody = OvercommitAccounting.Task(capSysAdmin: false, totalVMPages: 3200)
    let decision = try accounting.vmEnoughMemory(pages: 200_000, task: nobody)
    guard case .commitLimit(let strict) = decision.test else {
      Issue.record("\(decision)")
      return
    }
    #expect(strict.limitPages == 119_360)
    #expect(strict.adminReservePages == 118_360 / 32)
    #expect(strict.userReservePages == 100)
    #expect(!decision.granted && accounting.committed.count == 2085)
  }

  /// The heuristic before 5.2 estimates free memory: free + file − shmem + free swap + slab
  /// reclaimable (+ misc from 4.20) − totalreserve − the admin reserve (1/32 before 3.10).
  @Test func guessHeuristicBefore52() throws {
    let memory = CommitMemory(
      totalRAMPages: 236_720, freePages: 100_000, filePages: 30000, shmemPages: 5000,
      freeSwapPages: 10000, slabReclaimablePages: 4000, miscReclaimablePages: 1000,
      totalreservePages: 12000)
    func free(_ version: KernelVersion, root: Bool) throws -> Int {
      let accounting = OvercommitAccounting(
        version: version, settings: Self.settings(.guess), memory: memory,
        committed: CommittedCounter(count: 0, batch: 924))
      let decision = try accounting.decision(
        pages: 1, task: .init(capSysAdmin: root, totalVMPages: 0))
      guard case .estimatedFree(let free) = decision.test else { return -1 }
      return free
    }
    #expect(try free(KernelVersion(5, 1), root: true) == 128_000)
    #expect(try free(KernelVersion(5, 1), root: false) == 128_000 - 2048)
    #expect(try free(KernelVersion(4, 19), root: true) == 127_000)
    #expect(try free(KernelVersion(3, 9), root: false) == 127_000 - 127_000 / 32)
    let accounting = OvercommitAccounting(
      version: KernelVersion(4, 19), settings: Self.settings(.guess), memory: memory,
      committed: CommittedCounter(count: 0, batch: 924))
    let root = OvercommitAccounting.Task(capSysAdmin: true, totalVMPages: 0)
    #expect(accounting.largestGrantedRequest(task: root, ceiling: 1 << 28) == 126_999)
  }

  /// Bad input is a value: an unknown mode, a negative size or request.
  @Test func badInputThrows() throws {
    #expect(
      throws: OvercommitError.sysctlOutOfRange(name: "overcommit_memory", value: 3, range: 0...2)
    ) {
      try OvercommitSettings(sysVM: SysVM(overcommitMemory: 3), freeKbytes: 0)
    }
    #expect(
      throws: OvercommitError.sysctlOutOfRange(
        name: "overcommit_ratio", value: -1, range: 0...Int.max)
    ) { try OvercommitSettings(sysVM: SysVM(overcommitRatio: -1), freeKbytes: 0) }
    let defaults = try OvercommitSettings(sysVM: SysVM(), freeKbytes: 929_376)
    #expect(defaults == Self.settings(.guess))
    var accounting = OvercommitAccounting(
      version: Self.v61, settings: defaults, memory: CommitMemory(totalRAMPages: 1000),
      committed: CommittedCounter(count: 0, batch: 32))
    #expect(throws: OvercommitError.negativeRequest(pages: -1)) {
      try accounting.vmEnoughMemory(pages: -1, task: .init(capSysAdmin: true, totalVMPages: nil))
    }
    #expect(throws: OvercommitError.missingMemInfoField("MemTotal")) {
      try CommitMemory(memInfo: MemInfo(fields: []))
    }
  }

  /// A damaged meminfo whose file figures sum past Int.max wraps (as the kernel's `unsigned
  /// long` sums would) instead of trapping.
  @Test func hugeMemInfoFiguresWrap() throws {
    let huge = Int.max / 2 + 1
    let fields = ["MemTotal", "Cached", "SwapCached", "Buffers"].map {
      MemInfo.Field(name: $0, value: huge, hasUnit: true)
    }
    let memory = try CommitMemory(memInfo: MemInfo(fields: fields))
    #expect(memory.filePages == (huge &* 3) >> 2)
  }
}
