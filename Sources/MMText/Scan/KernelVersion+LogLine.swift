public import MMCore
internal import _MMUtilities

extension KernelVersion {
  /// Finds the kernel release a log line names, if it is one of the lines that print it.
  ///
  /// Those lines are:
  ///
  ///     CPU: 0 PID: 179 Comm: AiApp Not tainted 4.9.56 #53
  ///     CPU: 3 UID: 101 PID: 77 Comm: kworker/3:1 Tainted: G        W  6.13.0 #1
  ///     Pid: 1343, comm: rhythmbox Tainted: P         C 2.6.31-19-generic #56-Ubuntu
  ///     Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) …
  ///
  /// Any prefix before these (timestamps, syslog or journal fields, quote marks) is skipped.
  /// A line cut before the release (a hard-wrapped paste) gives `nil`.
  ///
  /// Kernel: `dump_stack_print_info()` in `lib/dump_stack.c` (`__show_regs` on 2.6/3.x x86),
  /// `linux_banner` in `init/version.c`.
  public static func find(inLogLine line: some StringProtocol) -> KernelVersion? {
    let bytes = Array(line.utf8)
    return find(inLogLine: bytes.span)
  }

  /// Byte-level form of ``find(inLogLine:)-(StringProtocol)``.
  public static func find(inLogLine bytes: Span<UInt8>) -> KernelVersion? {
    if let banner = firstIndex(of: "Linux version ", in: bytes) {
      return parsedRelease(bytes, at: banner + 14)
    }
    // The dump_stack line: a PID field, then the comm, then the taint state.
    guard firstIndex(of: "PID: ", in: bytes) ?? firstIndex(of: "Pid: ", in: bytes) != nil else {
      return nil
    }
    if let clean = firstIndex(of: " Not tainted ", in: bytes) {
      return parsedRelease(bytes, at: clean + 13)
    }
    guard let tainted = firstIndex(of: " Tainted: ", in: bytes) else { return nil }
    // Taint letters and padding spaces, then the release.
    var i = tainted + 10
    while i < bytes.count, bytes[i] == UInt8(ascii: " ") || isUppercaseLetter(bytes[i]) { i += 1 }
    return parsedRelease(bytes, at: i)
  }

  private static func parsedRelease(_ bytes: Span<UInt8>, at index: Int) -> KernelVersion? {
    guard index < bytes.count, let (version, _) = parsePrefix(bytes, from: index),
      version >= oldestKnown
    else { return nil }
    return version
  }
}

private func isUppercaseLetter(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
