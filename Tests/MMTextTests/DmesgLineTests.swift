import MMText
import Testing

/// The prefixes real logs carry in front of the kernel's messages.
struct DmesgLineTests {
  typealias Prefixes = DmesgLine.Prefixes

  @Test(
    arguments: [
      ("[ 1234.567890] cat: page allocation failure", "cat: page allocation failure", [.timestamp]),
      ("<4>[    0.000000] Linux version 6.1.0", "Linux version 6.1.0", [.priority, .timestamp]),
      (
        "Feb 23 16:10:58 dalburk kernel: [1223639.929720] Mem-Info:", "Mem-Info:",
        [.syslog, .timestamp]
      ),
      (
        "> Mar 14 18:55:03 [kernel] [563482.243067] DVBRead: x", "DVBRead: x",
        [.quote, .syslog, .timestamp]
      ),
      ("Dec  3 17:30:24 gdOv kernel: Call Trace:", "Call Trace:", [.syslog]),
      ("2021-02-20T10:11:12+0100 host kernel: Mem-Info:", "Mem-Info:", [.syslog]),
      ("[21161.092614] kernel: earlyoom: x", "earlyoom: x", [.timestamp, .journal]),
      (">>> kswapd0: page allocation failure", "kswapd0: page allocation failure", [.quote]),
      (">   [   64.242499] systemd-udevd: x", "systemd-udevd: x", [.quote, .timestamp]),
      ("[   14.017417][    T1] swapper/0: x", "swapper/0: x", [.timestamp, .caller]),
      ("[ 3239.898444][    C1] kworker/u4:4: x", "kworker/u4:4: x", [.timestamp, .caller]),
      ("[Sun Jun 29 15:57:11 2025] Mem-Info:", "Mem-Info:", [.timestamp]),
      ("[ 2161.637947]", "", [.timestamp]),
      ("[    3.297904]  <TASK>", " <TASK>", [.timestamp]),
      ("[<802f63f2>] dump_stack+0x1e/0x3c", "[<802f63f2>] dump_stack+0x1e/0x3c", []),
      (
        "[c1c65940] [c07926d4] dump_stack_lvl+0x80/0xac",
        "[c1c65940] [c07926d4] dump_stack_lvl+0x80/0xac", []
      ),
      ("[86554.235243] > 00000100 00000000", "> 00000100 00000000", [.timestamp]),
      ("[...]", "[...]", []),
      ("                   active_file:156164", "                   active_file:156164", []),
      ("Mem-Info:\r", "Mem-Info:", []),
      ("[Di Aug 12 03:54:03 2025] memory: usage 1kB", "memory: usage 1kB", [.timestamp]),
      ("[dim. 19 avril 18:03:30 2026] oom-kill:x", "oom-kill:x", [.timestamp]),
      ("> [Jul31 01:56] kthreadd invoked", "kthreadd invoked", [.quote, .timestamp]),
      ("> [  +0.000001] [ pid ]   uid", "[ pid ]   uid", [.quote, .timestamp]),
      (
        "<6>[63651.067779s][pid:2912,cpu3,sh][  250]     0", "[  250]     0",
        [.priority, .timestamp, .caller]
      ),
      ("6,30574074,3816544225491,-;Tasks state", "Tasks state", [.priority, .timestamp]),
      ("[  474]     0   474", "[  474]     0   474", []),
      ("[ pid ]   uid  tgid total_vm", "[ pid ]   uid  tgid total_vm", []),
    ] as [(String, String, Prefixes)])
  func stripsThePrefixes(line: String, message: String, prefixes: Prefixes) {
    let bytes = Array(line.utf8)
    let lexed = DmesgLine.lex(bytes.span, 0..<bytes.count, number: 1)
    #expect(String(decoding: bytes[lexed.message], as: UTF8.self) == message)
    #expect(lexed.prefixes == prefixes)
    #expect(!lexed.isComment)
  }

  @Test func readsTheKmsgRecordsTimestamp() {
    let bytes = Array("6,30574074,3816544225491,-;Tasks state".utf8)
    let line = DmesgLine.lex(bytes.span, 0..<bytes.count, number: 1)
    #expect(line.timestamp == 3_816_544_225_491)
    let android = Array("<4>[63651.040008s][pid:2912,cpu3,sh]sh invoked".utf8)
    #expect(DmesgLine.lex(android.span, 0..<android.count, number: 1).timestamp == 63_651_040_008)
  }

  @Test func readsTheTimestampInMicroseconds() {
    let bytes = Array("[ 2161.623563] x\n[    3.5] y\n[Sun Jun 29 15:57:11 2025] z".utf8)
    let lines = DmesgLine.lines(in: bytes.span)
    #expect(lines.map(\.timestamp) == [2_161_623_563, 3_500_000, nil])
    #expect(lines.map(\.number) == [1, 2, 3])
    #expect(lines.allSatisfy { $0.hasLoggingPrefix })
  }

  @Test func marksCommentsAndBlankLines() {
    let bytes = Array("# kind: allocfail\n\ncontinued".utf8)
    let lines = DmesgLine.lines(in: bytes.span)
    #expect(lines.map(\.isComment) == [true, false, false])
    #expect(lines.map(\.isBlank) == [false, true, false])
    #expect(!lines[2].hasLoggingPrefix)
    #expect(DmesgLine.messages(of: "# kind: x\n[ 1.0] a\n>>> b\n") == ["a", "b"])
  }

  @Test func leavesRendererOutputAlone() {
    let text = "> 00000100 00000000\n[ 2161.637947] x\n<4>y"
    #expect(
      DmesgLine.messages(of: text, stripsPrefixes: false)
        == text.split(separator: "\n").map(String.init))
  }
}
