internal import Glibc

/// The fixed texts that can only occur on a line of a report (or on a line that names the
/// kernel release), searched in raw log bytes with one multi-pattern pass (Wu–Manber, 2-byte
/// blocks), so that the lines of ordinary log noise are never lexed.
///
/// The set covers every line the whole-log finders start a report from:
/// - warn_alloc headers (`headerKeyword(in:)`): `page allocation failure`, `page allocation
///   stalls for`, `vmalloc error: size`, `vmalloc: allocation failure`;
/// - headerless allocation-failure stack dumps: a `warn_alloc` frame;
/// - OOM headers and the lines a headerless OOM report can start from (`startsOOMReport`,
///   `startsHeadlessOOMReport`): `invoked oom-killer:` and `oom-killer: gfp_mask=`
///   (`oom-kill`), `Mem-Info:` (`Mem-info:` from arm's 3.x `show_mem()`), memcg `…: usage NkB, limit NkB` (`kB, limit `), `Memory cgroup
///   stats for`, `Task in … killed as a result of limit of …`, `Tasks state`, the task-table
///   header (`total_vm`), `oom-kill:`, `Out of memory`/`out of memory`, `Killed process`,
///   `Tasks in … are going to be killed due to memory.oom.group set`, `OOM victim … is already
///   exiting`, `oom_reaper:`.
///
/// Every text is at least 8 bytes long, so that the window moves up to 7 bytes a step.
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

  private static let reportTexts: [String] = [
    "allocation failure", "allocation stalls", "vmalloc error", "warn_alloc", "oom-kill",
    "oom_reaper", "ut of memory", "Killed process", "Mem-Info", "Mem-info", "kB, limit ",
    "Memory cgroup",
    "killed as a result of limit", "Tasks state", "memory.oom.group", "total_vm", "OOM victim",
  ]
  private static let versionTexts: [String] = ["Linux version ", "Not tainted ", "Tainted: "]

  /// The 40 most frequent English letter pairs, poor anchors for the shift table.
  private static let commonPairs: Set<String> = [
    "th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or", "te", "of",
    "ed", "is", "it", "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le",
    "ve", "co", "me", "de", "hi", "ri", "ro", "ic", "ne", "ea",
  ]

  /// The length every pattern is aligned on (the shortest pattern's).
  private let window: Int
  /// The patterns' bytes, one after another; pattern `k` is `bytes[starts[k]..<starts[k + 1]]`.
  private let bytes: [UInt8]
  private let starts: [Int]
  /// Where the `window`-byte part that the shift table indexes starts in each pattern.
  private let anchors: [Int]
  private let kinds: [Kind]
  /// How far the window may move when its last two bytes are a given pair.
  private let shift: [UInt8]
  /// The first pattern whose anchored part ends in a pair, `-1` for none; `next` chains the
  /// others.
  private let head: [Int16]
  private let next: [Int16]

  init() {
    let texts =
      Self.reportTexts.map { ($0, Kind.report) } + Self.versionTexts.map { ($0, Kind.version) }
    let window = texts.map(\.0.utf8.count).min() ?? 2
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var anchors: [Int] = []
    for (text, _) in texts {
      let pattern = Array(text.utf8)
      starts.append(bytes.count)
      bytes += pattern
      // Anchor on the part whose last pair is least like text: capitals, digits and
      // punctuation first, then uncommon letter pairs; never a space.
      func score(_ pair: ArraySlice<UInt8>) -> Int {
        if pair.contains(0x20) { return 0 }
        if pair.allSatisfy({ $0 &- UInt8(ascii: "a") < 26 }) {
          return Self.commonPairs.contains(String(decoding: pair, as: UTF8.self)) ? 1 : 2
        }
        return 3
      }
      let best = (0...(pattern.count - window)).max { a, b in
        score(pattern[(a + window - 2)...(a + window - 1)])
          < score(pattern[(b + window - 2)...(b + window - 1)])
      }
      anchors.append(best ?? 0)
    }
    starts.append(bytes.count)
    var shift = [UInt8](repeating: UInt8(window - 1), count: 1 << 16)
    var head = [Int16](repeating: -1, count: 1 << 16)
    var next = [Int16](repeating: -1, count: texts.count)
    for index in texts.indices {
      let part = starts[index] + anchors[index]
      for q in 1..<window {
        let pair = Int(bytes[part + q - 1]) | Int(bytes[part + q]) << 8
        shift[pair] = min(shift[pair], UInt8(window - 1 - q))
      }
      let last = Int(bytes[part + window - 2]) | Int(bytes[part + window - 1]) << 8
      next[index] = head[last]
      head[last] = Int16(index)
    }
    self.window = window
    self.bytes = bytes
    self.starts = starts
    self.anchors = anchors
    kinds = texts.map(\.1)
    self.shift = shift
    self.head = head
    self.next = next
  }

  /// The first match in `text[range]`: where the matched text starts and its kind.
  ///
  /// - Complexity: O(*n*) in the range's size, sublinear in practice (the window moves by up
  ///   to its length minus one byte per step).
  func first(in text: UnsafeRawBufferPointer, _ range: Range<Int>) -> (Int, Kind)? {
    guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self),
      range.count >= window
    else { return nil }
    return shift.withUnsafeBufferPointer { shift in
      bytes.withUnsafeBufferPointer { patterns in
        search(base, range, shift, patterns)
      }
    }
  }

  /// The bytes of window ends one interleaved search covers before it looks at the next ones
  /// (so that a hit in the first half wastes at most half of this in the second).
  private static let segment = 1 << 16

  /// The Wu–Manber loop, run as two cursors over the two halves of each segment so that their
  /// chains of dependent loads (bytes, shift, next position) overlap: the first half's first
  /// hit wins, else the second half's.
  @inline(__always)
  private func search(
    _ base: UnsafePointer<UInt8>, _ range: Range<Int>, _ shift: UnsafeBufferPointer<UInt8>,
    _ patterns: UnsafeBufferPointer<UInt8>
  ) -> (Int, Kind)? {
    guard let patternBase = patterns.baseAddress else { return nil }
    let upper = range.upperBound
    var from = range.lowerBound + window - 1
    while from < upper {
      let to = min(from + Self.segment, upper)
      let mid = from + (to - from) / 2
      var a = from
      var b = mid
      var later: (Int, Kind)?
      while a < mid {
        let pair = Int(base[a - 1]) | Int(base[a]) << 8
        let step = Int(shift[pair])
        if step != 0 {
          a += step
        } else {
          if let hit = match(at: a, pair: pair, base, range, patternBase) { return hit }
          a += 1
        }
        if b < to {
          let pair = Int(base[b - 1]) | Int(base[b]) << 8
          let step = Int(shift[pair])
          if step != 0 {
            b += step
          } else if let hit = match(at: b, pair: pair, base, range, patternBase) {
            later = hit
            b = to
          } else {
            b += 1
          }
        }
      }
      if let later { return later }
      while b < to {
        let pair = Int(base[b - 1]) | Int(base[b]) << 8
        let step = Int(shift[pair])
        if step != 0 {
          b += step
          continue
        }
        if let hit = match(at: b, pair: pair, base, range, patternBase) { return hit }
        b += 1
      }
      from = b
    }
    return nil
  }

  /// The earliest-starting pattern whose anchored part ends at `i` with the byte pair `pair`,
  /// wholly inside `range`.
  @inline(__always)
  private func match(
    at i: Int, pair: Int, _ base: UnsafePointer<UInt8>, _ range: Range<Int>,
    _ patternBase: UnsafePointer<UInt8>
  ) -> (Int, Kind)? {
    var k = Int(head[pair])
    var found: (Int, Kind)?
    while k >= 0 {
      let length = starts[k + 1] - starts[k]
      let start = i - (window - 1) - anchors[k]
      if start >= range.lowerBound, start + length <= range.upperBound,
        found.map({ start < $0.0 }) ?? true,
        memcmp(base + start, patternBase + starts[k], length) == 0
      {
        found = (start, kinds[k])
      }
      k = Int(next[k])
    }
    return found
  }
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
