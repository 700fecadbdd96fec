internal import _MMUtilities

/// Ordinary kernel log lines (devices, file systems, audit, firewall, network), with varied
/// prefixes and rising timestamps, none of which belongs to a report: the noise between
/// reports in a real `kern.log`.
package struct NoiseLog {
  /// The messages, as drivers and subsystems print them.
  package static let messages: [String] = [
    "usb 1-1.2: new high-speed USB device number 7 using ehci-pci",
    "EXT4-fs (sda2): mounted filesystem with ordered data mode. Quota mode: none.",
    "audit: type=1400 audit(1700000000.123:45): apparmor=\"STATUS\" operation=\"profile_load\""
      + " profile=\"unconfined\" name=\"snap.lxd.daemon\" pid=1234 comm=\"apparmor_parser\"",
    "IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready",
    "e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
    "wlan0: associated",
    "Bluetooth: RFCOMM TTY layer initialized",
    "nf_conntrack: default automatic helper assignment has been turned off for security reasons",
    "[UFW BLOCK] IN=eth0 OUT= MAC=01:00:5e:00:00:fb:52:54:00:12:34:56:08:00 SRC=10.0.0.5"
      + " DST=224.0.0.251 LEN=72 TOS=0x00 PREC=0x00 TTL=255 ID=0 DF PROTO=UDP SPT=5353 DPT=5353",
    "perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to"
      + " 79750",
    "systemd-journald[312]: Received client request to flush runtime journal.",
    "r8169 0000:03:00.0 enp3s0: Link is Down",
    "ata1.00: configured for UDMA/133",
    "sd 0:0:0:0: [sda] 976773168 512-byte logical blocks: (500 GB/466 GiB)",
    "device veth3f2a1b0 entered promiscuous mode",
    "docker0: port 2(veth3f2a1b0) entered forwarding state",
  ]

  private var random: SplitMix64
  private var micros: UInt64 = 1_000_000

  /// A generator with a fixed seed.
  package init(seed: UInt64 = 0x6e6f_6973_65) {
    random = SplitMix64(seed: seed)
  }

  /// The next noise line, without its newline: a `dmesg` timestamp (most lines), a syslog line
  /// with the timestamp, or a journal-style syslog line without it.
  package mutating func nextLine() -> String {
    micros += random.next() % 2_000_000
    let message = Self.messages[Int(random.next() % UInt64(Self.messages.count))]
    let seconds = String(micros / 1_000_000)
    let fraction = String(micros % 1_000_000)
    let stamp =
      "[" + String(repeating: " ", count: max(0, 5 - seconds.count)) + seconds + "."
      + String(repeating: "0", count: 6 - fraction.count) + fraction + "] "
    switch random.next() % 8 {
    case 0: return "Nov 29 15:28:17 buildhost kernel: " + stamp + message
    case 1: return "Nov 29 15:28:17 buildhost kernel: " + message
    default: return stamp + message
    }
  }

  /// `count` noise lines, each ending in a newline.
  package mutating func lines(_ count: Int) -> String {
    var text = ""
    for _ in 0..<count { text += nextLine() + "\n" }
    return text
  }
}
