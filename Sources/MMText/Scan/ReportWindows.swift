public import MMCore

/// Reads a log from a ``LogSource`` in chunks and hands out the windows of whole lines that
/// can hold reports, in log order, without lexing the lines of log noise.
///
/// Each chunk's bytes are searched for the texts of ``ReportTriggers`` in one pass. At a
/// trigger line a window opens:
/// - it reaches back over the lines before the trigger that have a report's shape
///   (``ReportLineShape``: a headerless task table, `KERN_CONT` fragments) and up to
///   ``leadingLines`` other lines (an interleaved `comm:` line, a ≤ 4.8 vmalloc line), as far as
///   the end of the previous window and ``lookBehindBytes`` allow;
/// - it goes on, lexing each line, while lines have a report's shape or hold a trigger, and
///   ends after ``trailingLines`` lines in a row that have neither (or at the end of the log);
/// - it ends early at ``maximumWindowBytes`` so that memory stays bounded.
///
/// Memory is a few chunks plus one window, whatever the log's size.
public struct ReportWindows {
  /// The lines of noise in a row that end a window (they stay in it).
  public static let trailingLines = 32
  /// The lines of any kind a window takes before its first trigger.
  public static let leadingLines = 3
  /// How far back, in bytes, a window can reach before its first trigger.
  public static let lookBehindBytes = 1 << 20
  /// The largest window.
  public static let maximumWindowBytes = 64 << 20

  private var source: any LogSource
  private let chunkSize: Int
  private let maximumLineBytes: Int
  private let triggers = ReportTriggers()
  private var buffer: [UInt8] = []
  /// Bytes before this offset are complete lines; after it, a partial last line.
  private var completeEnd = 0
  private var ended = false
  /// The next line to look at, and its number.
  private var position = 0
  private var line = 1
  /// The end of the last window (a window never reaches back before it).
  private var floor = 0
  private var open: (start: Int, line: Int, gap: Int)?
  /// The first release the log printed so far.
  public private(set) var logKernel: KernelVersion?

  /// Reads `source` in chunks of `chunkSize` bytes.
  ///
  /// A line longer than `maximumLineBytes` (binary or damaged input) is cut into pieces of
  /// about that size, read as lines with one line number, so that memory stays bounded.
  public init(source: any LogSource, chunkSize: Int = 4 << 20, maximumLineBytes: Int = 16 << 20) {
    self.source = source
    self.chunkSize = max(chunkSize, 1)
    self.maximumLineBytes = max(maximumLineBytes, 1)
  }

  /// The next window, `nil` at the end of the log.
  ///
  /// - Throws: ``LogInputError`` when the source cannot be read.
  public mutating func next() throws(LogInputError) -> ReportWindow? {
    while true {
      if open != nil {
        if let window = extendWindow() { return window }
      } else {
        searchTriggers()
        if open != nil { continue }
      }
      if ended {
        if open != nil, position >= buffer.count { return closeWindow(at: position) }
        if open == nil, position >= buffer.count { return nil }
        continue
      }
      try readChunk()
    }
  }

  // MARK: - Reading

  /// Drops the bytes nothing can reach any more and appends the next chunk.
  private mutating func readChunk() throws(LogInputError) {
    var keep = floor
    if let window = open {
      keep = window.start
    } else if position - floor > Self.lookBehindBytes {
      let lineStart = buffer.withUnsafeBytes {
        ByteCounting.lastNewline(in: $0, floor..<(position - Self.lookBehindBytes))
      }
      keep = lineStart.map { $0 + 1 } ?? floor
    }
    if keep >= max(chunkSize, 64 << 10) {
      buffer.removeSubrange(0..<keep)
      completeEnd -= keep
      position -= keep
      floor = max(floor - keep, 0)
      if let window = open { open = (window.start - keep, window.line, window.gap) }
    }
    let old = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: chunkSize))
    let count = try buffer.withUnsafeMutableBytes { bytes in
      Result { () throws(LogInputError) in
        try source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[old...]))
      }
    }.get()
    buffer.removeLast(chunkSize - count)
    if count == 0 {
      ended = true
      completeEnd = buffer.count
      return
    }
    if let last = buffer.withUnsafeBytes({
      ByteCounting.lastNewline(in: $0, old..<buffer.count)
    }) {
      completeEnd = last + 1
    } else if buffer.count - completeEnd > maximumLineBytes {
      // A line this long is binary or damaged input: it is cut here rather than held whole.
      completeEnd = buffer.count
    }
  }

  // MARK: - Noise

  /// Searches the complete lines after `position` for a trigger; opens a window at a report
  /// trigger, or notes the release a version line names and goes on.
  private mutating func searchTriggers() {
    while position < completeEnd {
      let hit = buffer.withUnsafeBytes { triggers.first(in: $0, position..<completeEnd) }
      guard let (at, _) = hit else {
        line += buffer.withUnsafeBytes { ByteCounting.newlines(in: $0, position..<completeEnd) }
        position = completeEnd
        return
      }
      let (start, end) = buffer.withUnsafeBytes { bytes in
        let start = ByteCounting.lastNewline(in: bytes, position..<at).map { $0 + 1 } ?? position
        let end = ByteCounting.firstNewline(in: bytes, at..<completeEnd) ?? completeEnd
        return (start, end)
      }
      line += buffer.withUnsafeBytes { ByteCounting.newlines(in: $0, position..<start) }
      position = start
      let kind = buffer.withUnsafeBytes { triggers.kind(ofLine: $0, start..<end) }
      if kind == .report {
        openWindow()
        return
      }
      if logKernel == nil { logKernel = version(inLine: start..<end) }
      position = min(end + 1, completeEnd)
      line += end < completeEnd ? 1 : 0
    }
  }

  /// The release the line `range` names, if any.
  private func version(inLine range: Range<Int>) -> KernelVersion? {
    let span = buffer.span
    let lexed = DmesgLine.lex(span, range, number: 0)
    guard !lexed.isComment else { return nil }
    return KernelVersion.find(inLogLine: span.extracting(lexed.message))
  }

  // MARK: - Windows

  /// Opens a window at the trigger line at `position`, reaching back over the lines before it
  /// that can belong to its report.
  private mutating func openWindow() {
    let (start, startLine) = lookBehindStart()
    open = (start, startLine, 0)
  }

  /// Where a window whose trigger line is at `position` starts, and that line's number.
  private func lookBehindStart() -> (Int, Int) {
    var start = position
    var startLine = line
    var k = position
    var kLine = line
    var gap = 0
    while k > floor, position - k < Self.lookBehindBytes {
      let previous = buffer.withUnsafeBytes {
        ByteCounting.lastNewline(in: $0, floor..<(k - 1)).map { $0 + 1 } ?? floor
      }
      // A line cut for its length is no report line.
      if k - 1 - previous >= maximumLineBytes { break }
      kLine -= 1
      if continuesReport(previous..<(k - 1)) {
        gap = 0
        (start, startLine) = (previous, kLine)
      } else {
        gap += 1
        if gap > Self.trailingLines { break }
        if gap <= Self.leadingLines { (start, startLine) = (previous, kLine) }
      }
      k = previous
    }
    return (start, startLine)
  }

  /// Whether the line `range` holds a trigger or has a report line's shape.
  private func continuesReport(_ range: Range<Int>, triggers checksTriggers: Bool = false) -> Bool {
    if checksTriggers, buffer.withUnsafeBytes({ triggers.kind(ofLine: $0, range) }) != nil {
      return true
    }
    let span = buffer.span
    return ReportLineShape.continuesReport(DmesgLine.lex(span, range, number: 0), in: span)
  }

  /// Takes the complete lines after `position` into the open window; returns the window when a
  /// run of noise lines or the size limit ends it.
  private mutating func extendWindow() -> ReportWindow? {
    guard var window = open else { return nil }
    while position < completeEnd {
      let end =
        buffer.withUnsafeBytes { ByteCounting.firstNewline(in: $0, position..<completeEnd) }
        ?? completeEnd
      if continuesReport(position..<end, triggers: true) {
        window.gap = 0
      } else {
        window.gap += 1
        if window.gap > Self.trailingLines {
          open = window
          return closeWindow(at: position)
        }
      }
      position = min(end + 1, completeEnd)
      line += end < completeEnd ? 1 : 0
      if position - window.start >= Self.maximumWindowBytes {
        open = window
        return closeWindow(at: position)
      }
    }
    open = window
    return nil
  }

  /// Ends the open window before `end` and hands it out.
  private mutating func closeWindow(at end: Int) -> ReportWindow? {
    guard let window = open else { return nil }
    open = nil
    floor = end
    let bytes = Array(buffer[window.start..<end])
    if logKernel == nil {
      let span = bytes.span
      for lexed in DmesgLine.lines(in: span) where !lexed.isComment {
        if let version = KernelVersion.find(inLogLine: span.extracting(lexed.message)) {
          logKernel = version
          break
        }
      }
    }
    return ReportWindow(bytes: bytes, firstLine: window.line, logKernel: logKernel)
  }
}
