/// The fixed texts that can only occur on a line of a report (or on a line that names the
/// kernel release), searched in raw log bytes with one multi-pattern pass (Wu–Manber, 2-byte
/// blocks), so that the lines of ordinary log noise are never lexed.
///
/// The set covers every line the whole-log finders start a report from:
/// - warn_alloc headers (`headerKeyword(in:)`): `page allocation failure`, `page allocation
///   stalls for`, `vmalloc error: size`, `vmalloc: allocation failure`;
/// - headerless allocation-failure stack dumps: a `warn_alloc` frame;
/// - OOM headers and the lines a headerless OOM report can start from (`startsOOMReport`,
///   `startsHeadlessOOMReport`): `invoked oom-killer:`, `oom-killer: gfp_mask=`,
///   `Mem-Info:`, memcg `…: usage …`, `Memory cgroup stats for`, `Task in … killed as a
///   result of limit`, `Tasks state`, the `[ pid ]`/`[  pid  ]` task-table header, `oom-kill:`,
///   `Out of memory`/`out of memory`, `Killed process`, `Tasks in … are going to be killed`,
///   `OOM victim … is already exiting`, `oom_reaper:`.
///
/// Two more texts name a kernel release without starting a report: the `Linux version` banner
/// and the `Tainted:`/`Not tainted` of a `CPU: … PID:` line.
struct ReportTriggers {
  /// What a matched text says about its line.
  enum Kind: Hashable {
    /// The line can belong to a report.
    case report
    /// The line may name the kernel release.
    case version
  }

  private struct Pattern {
    var bytes: [UInt8]
    var kind: Kind
    /// Where the `blockWindow`-byte window that the shift table indexes starts in `bytes`.
    var anchor: Int
  }

  private static let reportTexts: [String] = [
    "allocation failure", "allocation stalls", "vmalloc error", "warn_alloc", "oom-kill",
    "oom_reaper", "ut of memory", "Killed process", "Mem-Info", ": usage ", "Memory cgroup",
    "Task in ", "Tasks state", "Tasks in ", "[ pid ]", "[  pid  ]", "OOM victim",
  ]
  private static let versionTexts: [String] = ["Linux version ", "Not tainted ", "Tainted: "]

  /// The length every pattern is aligned on (the shortest pattern's).
  private let window: Int
  private let patterns: [Pattern]
  /// How far the window may move when its last two bytes are a given pair.
  private let shift: [UInt8]
  /// The first pattern whose anchored window ends in a pair, `-1` for none; `next` chains the
  /// others.
  private let head: [Int16]
  private let next: [Int16]

  init() {
    let texts =
      Self.reportTexts.map { ($0, Kind.report) } + Self.versionTexts.map { ($0, Kind.version) }
    let window = texts.map(\.0.utf8.count).min() ?? 2
    var patterns: [Pattern] = []
    for (text, kind) in texts {
      let bytes = Array(text.utf8)
      // Anchor on the window whose last pair is least like English text: pairs with
      // capitals, digits or punctuation are rare in log noise.
      var best = 0
      var bestScore = -1
      for start in 0...(bytes.count - window) {
        let pair = bytes[start + window - 2...start + window - 1]
        let score = pair.filter { !($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) }.count
        if score > bestScore {
          best = start
          bestScore = score
        }
      }
      patterns.append(Pattern(bytes: bytes, kind: kind, anchor: best))
    }
    var shift = [UInt8](repeating: UInt8(window - 1), count: 1 << 16)
    var head = [Int16](repeating: -1, count: 1 << 16)
    var next = [Int16](repeating: -1, count: patterns.count)
    for (index, pattern) in patterns.enumerated() {
      let w = pattern.bytes[pattern.anchor..<pattern.anchor + window]
      for q in 1..<window {
        let pair = Int(w[w.startIndex + q - 1]) | Int(w[w.startIndex + q]) << 8
        shift[pair] = min(shift[pair], UInt8(window - 1 - q))
      }
      let last = Int(w[w.endIndex - 2]) | Int(w[w.endIndex - 1]) << 8
      next[index] = head[last]
      head[last] = Int16(index)
    }
    self.window = window
    self.patterns = patterns
    self.shift = shift
    self.head = head
    self.next = next
  }

  /// The first match in `bytes[range]`: where the matched text starts and its kind.
  ///
  /// - Complexity: O(*n*) in the range's size, sublinear in practice (the window moves by up
  ///   to its length minus one byte per step).
  func first(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> (Int, Kind)? {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
      range.count >= window
    else { return nil }
    let upper = range.upperBound
    let lower = range.lowerBound
    return shift.withUnsafeBufferPointer { shift in
      var i = lower + window - 1
      while i < upper {
        let pair = Int(base[i - 1]) | Int(base[i]) << 8
        let step = Int(shift[pair])
        if step != 0 {
          i += step
          continue
        }
        var k = Int(head[pair])
        var found: (Int, Kind)?
        while k >= 0 {
          let pattern = patterns[k]
          let start = i - (window - 1) - pattern.anchor
          if start >= lower, start + pattern.bytes.count <= upper,
            pattern.bytes.withUnsafeBytes({ memcmpEqual(base + start, $0) })
          {
            if found.map({ start < $0.0 }) ?? true { found = (start, pattern.kind) }
          }
          k = Int(next[k])
        }
        if let found { return found }
        i += 1
      }
      return nil
    }
  }
}

/// Whether the bytes at `pointer` equal `bytes`.
@inline(__always)
private func memcmpEqual(_ pointer: UnsafePointer<UInt8>, _ bytes: UnsafeRawBufferPointer) -> Bool {
  for k in 0..<bytes.count where pointer[k] != bytes[k] { return false }
  return true
}

extension ReportTriggers {
  /// What the line `range` holds: `.report` when any report text occurs in it, else
  /// `.version` when a release text does, else `nil`.
  func kind(ofLine bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Kind? {
    var kind: Kind?
    var from = range.lowerBound
    while let (start, found) = first(in: bytes, from..<range.upperBound) {
      if found == .report { return .report }
      kind = found
      from = start + 1
    }
    return kind
  }
}
