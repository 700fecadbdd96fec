internal import _MMUtilities

/// Whether a lexed line can continue a report whose window is open: a stack frame, a
/// register line, a task-table row, a zone, node, buddy or counter line of `Mem-Info:`, a memcg
/// stat, a `KERN_CONT` fragment… The streaming reader keeps a window open over such lines and
/// ends it after a run of lines that are none of these (log noise).
///
/// The test errs towards "continues": a noise line taken into a window only costs parsing
/// time, while a report line left out would change what the whole-log finders read.
enum ReportLineShape {
  /// Whether the line `line` (lexed from `bytes`) can be part of a report.
  static func continuesReport(_ line: DmesgLine, in bytes: Span<UInt8>) -> Bool {
    if line.isComment { return true }
    if line.isBlank { return false }
    let b = bytes.extracting(line.message)
    guard !b.isEmpty else { return true }
    switch b[0] {
    case 0x20, 0x09, UInt8(ascii: "["), UInt8(ascii: "<"), UInt8(ascii: "?"),
      UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: "="),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default: break
    }
    if starts.contains(where: { matches($0, in: b, at: 0) }) { return true }
    if firstIndex(of: "cpuset=", in: b) != nil || firstIndex(of: "mems_allowed=", in: b) != nil {
      return true
    }
    return isFrame(b) || isRegister(b) || isCounter(b) || isSlabRow(b)
  }

  /// A row of `Unreclaimable slab info:`: `name   12KB   34KB`.
  private static func isSlabRow(_ b: Span<UInt8>) -> Bool {
    var end = b.count
    while end > 0, b[end - 1] == 0x20 { end -= 1 }
    return end >= 3 && b[end - 2] == UInt8(ascii: "K") && b[end - 1] == UInt8(ascii: "B")
      && isDigit(b[end - 3])
  }

  /// How report lines that are none of the general shapes begin.
  private static let starts: [StaticString] = [
    "Call Trace", "Call trace", "CPU: ", "Pid: ", "Hardware name:", "Workqueue:", "Mem-Info",
    "Node ", "DMA", "Normal", "HighMem", "Movable", "Device", "lowmem_reserve", "Free swap",
    "Total swap", "Swap cache", "Tasks", "Task in", "Memory cgroup", "Killed process",
    "Out of memory", "oom", "Kernel panic", "Kernel Offset", "Rebooting", "---[", "------------[",
    "Unreclaimable", "Name ", "Modules linked in", "Backtrace", "Exception stack", "Stack:",
    "Code:", "Showing", "warn_alloc", "Memory allocations", "Hugepages", "hugetlb", "pc :",
    "lr :", "sp :", "pstate:", "Mem abort", "Free pages",
  ]

  /// `name+0x12/0x40` as the first word: an unindented stack frame.
  private static func isFrame(_ b: Span<UInt8>) -> Bool {
    var i = 0
    while i + 2 < b.count, b[i] != 0x20 {
      if b[i] == UInt8(ascii: "+"), b[i + 1] == UInt8(ascii: "0"), b[i + 2] == UInt8(ascii: "x") {
        return true
      }
      i += 1
    }
    return false
  }

  /// `RIP:`, `R13:`, `CR2:`, `x29:`: a register name of up to four letters and digits that
  /// starts with a capital (or arm64's `x`), then a colon.
  private static func isRegister(_ b: Span<UInt8>) -> Bool {
    guard !b.isEmpty, isUppercase(b[0]) || b[0] == UInt8(ascii: "x") else { return false }
    var i = 1
    while i < b.count, i < 5, isUppercase(b[i]) || isDigit(b[i]) { i += 1 }
    return i < b.count && b[i] == UInt8(ascii: ":") && (b[0] != UInt8(ascii: "x") || i > 1)
  }

  /// `name value` (a memcg stat) or `name:value …` (a `Mem-Info:` counter line).
  private static func isCounter(_ b: Span<UInt8>) -> Bool {
    var i = 0
    while i < b.count, isLowercase(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
    guard i > 0, i + 1 < b.count else { return false }
    if b[i] == UInt8(ascii: ":") { return isDigit(b[i + 1]) }
    guard b[i] == 0x20, isDigit(b[i + 1]) else { return false }
    var j = i + 1
    while j < b.count, isDigit(b[j]) { j += 1 }
    return j == b.count
  }

  private static func isUppercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
  private static func isLowercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }
}
