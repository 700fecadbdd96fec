public import MMCore
internal import _MMUtilities

extension DumpStackInfo {
  /// Parses a `CPU: … Comm: …` or `Pid: …, comm: …` line (without log prefixes).
  ///
  /// - Throws: ``TextParseError`` at the first field that is missing or malformed.
  public init(parsing text: String, file: String = "line") throws(TextParseError) {
    let bytes = Array(text.utf8)
    do throws(ScanStop) {
      self = try scanDumpStackInfo(bytes.span)
    } catch {
      let (offset, reason) = error.positionAndReason
      throw TextParseError(file: file, line: 1, column: offset + 1, reason: reason)
    }
  }

  /// The line as the kernel prints it, without a newline.
  public func render() -> String {
    var text: String
    switch style {
    case .cpu:
      text = "CPU: \(cpu ?? 0) "
      if let uid { text += "UID: \(uid) " }
      text += "PID: \(pid) Comm: \(comm) "
    case .pid:
      text = "Pid: \(pid), comm: \(comm) "
    }
    if kdumpLoaded { text += "Kdump: loaded " }
    text += taint.map { "Tainted: " + $0 } ?? "Not tainted"
    text += " " + release
    if let build { text += " " + build }
    return text
  }
}

extension ScanStop {
  /// Where the scan stopped and why, for an error message.
  var positionAndReason: (Int, String) {
    switch self {
    case .needs(let expectation, let at): (at, "unexpected end of line, expected \(expectation)")
    case .invalid(let reason, let at, _): (at, reason)
    }
  }
}

/// Whether `b` starts like a dump_stack line: `CPU: <n> ` or `Pid: <n>, comm: `.
func looksLikeDumpStackInfo(_ b: Span<UInt8>) -> Bool {
  (matches("CPU: ", in: b, at: 0) || matches("Pid: ", in: b, at: 0)) && b.count > 5
    && isDigit(b[5])
}

/// Reads a dump_stack line.
///
/// - Throws: ``ScanStop``: `needs(.lineText)` when the line ends before the release (a
///   hard-wrapped paste), `invalid` when it does not have the shape.
func scanDumpStackInfo(_ b: Span<UInt8>) throws(ScanStop) -> DumpStackInfo {
  var s = Scanner()
  var info = DumpStackInfo(cpu: nil, pid: 0, comm: "", taint: nil, release: "", build: nil)
  if s.skip("CPU: ", b) {
    info.cpu = try s.decimal(b, .lineText)
    try s.expect(" ", b, .lineText)
    if s.skip("UID: ", b) {
      info.uid = try s.decimal(b, .lineText)
      try s.expect(" ", b, .lineText)
    }
    try s.expect("PID: ", b, .lineText)
    info.pid = try s.decimal(b, .lineText)
    try s.expect(" Comm: ", b, .lineText)
  } else {
    try s.expect("Pid: ", b, .lineText)
    info.style = .pid
    info.pid = try s.decimal(b, .lineText)
    try s.expect(", comm: ", b, .lineText)
  }
  // The comm may hold spaces: it ends where the taint state starts.
  let commStart = s.i
  let found = taintMarkers.compactMap { firstIndex(of: $0, in: b, from: commStart + 1) }.min()
  guard let commEnd = found else { throw .needs(.lineText, at: b.count) }
  info.comm = string(b, commStart..<commEnd)
  s.i = commEnd + 1
  if s.skip("Kdump: loaded ", b) { info.kdumpLoaded = true }
  var releaseStart: Int
  if s.skip("Not tainted ", b) {
    releaseStart = s.i
  } else {
    try s.expect("Tainted: ", b, .lineText)
    // Taint letters and padding, then one space, then the release (which starts with a digit).
    releaseStart = s.i
    while releaseStart < b.count, !isDigit(b[releaseStart]) { releaseStart += 1 }
    guard releaseStart < b.count, releaseStart > s.i, b[releaseStart - 1] == 0x20 else {
      throw .needs(.lineText, at: b.count)
    }
    info.taint = string(b, s.i..<(releaseStart - 1))
  }
  s.i = releaseStart
  let release = s.word(b)
  guard !release.isEmpty else { throw .needs(.lineText, at: s.i) }
  info.release = string(b, release)
  if s.i + 1 < b.count {
    info.build = string(b, (s.i + 1)..<b.count)
  }
  return info
}

/// What follows the comm on a dump_stack line.
private let taintMarkers: [StaticString] = [" Kdump: loaded ", " Not tainted ", " Tainted: "]
