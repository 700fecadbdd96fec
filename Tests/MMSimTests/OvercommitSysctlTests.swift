import MMCore
import MMSim
import Testing

/// The overcommit sysctls of the simulated machine: boot values, the handlers' side effects and
/// the CommitLimit /proc/meminfo shows (show-mem-meminfo-overcommit.md §4).
@Suite(.timeLimit(.minutes(1)))
struct OvercommitSysctlTests {
  /// The reserves a machine boots with: 1/32 of the free memory, capped at 8 MiB and 128 MiB.
  @Test func bootSetsTheReservesFromTheFreeMemory() throws {
    let machine = try SlowPathTests.machine()
    let freeKB = try #require(machine.memInfo().memFree)
    #expect(machine.overcommit.settings.adminReserveKbytes == min(freeKB / 32, 8192))
    #expect(machine.overcommit.settings.userReserveKbytes == freeKB / 32)
    #expect(machine.overcommit.settings.mode == .guess && machine.overcommit.settings.ratio == 50)
  }

  @Test func overcommitSysctlWritesFollowTheKernelsHandlers() throws {
    var machine = try SlowPathTests.machine()
    try machine.writeOvercommitKbytes(100_000)
    #expect(machine.overcommit.settings.ratio == 0)
    #expect(machine.commitLimitPages == 25_000)
    try machine.writeOvercommitRatio(60)
    #expect(machine.overcommit.settings.kbytes == 0)
    #expect(
      throws: OvercommitError.sysctlOutOfRange(
        name: "overcommit_ratio", value: -1, range: 0...Int.max)
    ) { try machine.writeOvercommitRatio(-1) }
    // Each mode write sizes the batch: 1/256 of RAM per cpu in mode 2, 1/4 in modes 0 and 1.
    let managed = machine.memory.layout.zones.reduce(0) { $0 + $1.managed }
    machine.writeOvercommitMemory(.never)
    #expect(machine.overcommit.committed.batch == max(managed / 256, 32))
    machine.writeOvercommitMemory(.always)
    #expect(machine.overcommit.committed.batch == managed / 4)
    #expect(machine.overcommit.settings.mode == .always)
    try machine.writeAdminReserveKbytes(0)
    try machine.writeUserReserveKbytes(0)
    #expect(machine.overcommit.settings.adminReserveKbytes == 0)
    #expect(machine.overcommit.settings.userReserveKbytes == 0)
  }

  @Test func meminfoShowsTheCommitLimitOfTheSysctls() throws {
    var machine = try SlowPathTests.machine(swapPages: 1000)
    let managed = machine.memory.layout.zones.reduce(0) { $0 + $1.managed }
    #expect(machine.memInfo().commitLimit == (managed * 50 / 100 + 1000) * 4)
    #expect(machine.memInfo().committedAS == 0)
    try machine.writeOvercommitRatio(80)
    #expect(machine.memInfo().commitLimit == (managed * 80 / 100 + 1000) * 4)
    #expect(machine.commitLimitPages == managed * 80 / 100 + 1000)
  }
}
