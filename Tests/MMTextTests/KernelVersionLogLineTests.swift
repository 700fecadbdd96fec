import MMCore
import MMText
import Testing

struct KernelVersionLogLineTests {
  @Test(arguments: [
    ("[  123.456] CPU: 0 PID: 179 Comm: AiApp Not tainted 4.9.56 #53", "4.9.56"),
    ("CPU: 3 UID: 101 PID: 77 Comm: kworker/3:1 Tainted: G        W          6.13.0 #1", "6.13.0"),
    (
      "Pid: 1343, comm: rhythmbox Tainted: P         C 2.6.31-19-generic #56-Ubuntu",
      "2.6.31-19-generic"
    ),
    ("Feb 23 16:10:58 host kernel: Pid: 1, comm: init Not tainted 3.2.0 #1", "3.2.0"),
    (
      "CPU: 32 PID: 2910 Comm: systemd-udevd Tainted: G           OE      6.2-generic-64k",
      "6.2-generic-64k"
    ),
    (
      "[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) (gcc-12)",
      "6.1.0-56-amd64"
    ),
    (">>> CPU: 0 PID: 41 Comm: kswapd0 Not tainted 6.9.0-gentoo-PMacG4 #1", "6.9.0-gentoo-PMacG4"),
  ])
  func findsTheRelease(line: String, release: String) throws {
    #expect(KernelVersion.find(inLogLine: line) == (try KernelVersion(parsing: release)))
  }

  @Test(arguments: [
    "CPU: 0 PID: 1535 Comm: com.nvt.dialser Tainted: G",  // hard-wrapped paste
    "Tainted: [W]=WARN, [O]=OOT_MODULE",
    "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)",
    "kernel: Not tainted but no pid field 4.9",
  ])
  func ignoresLinesWithoutARelease(line: String) {
    #expect(KernelVersion.find(inLogLine: line) == nil)
  }
}
