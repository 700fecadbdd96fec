public import MMCore
internal import _MMUtilities

extension ShowMem {
  /// Parses a `Mem-Info:` block from its text.
  ///
  /// Lines of a shape oomlab does not model are kept as ``Line/unrecognized(_:)``; a line that
  /// starts like a modelled one but does not fit it is an error.
  ///
  /// - Parameters:
  ///   - text: the kernel's lines from `Mem-Info:` on, without log prefixes (what ``render()``
  ///     writes).
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` when the text does not start with `Mem-Info:`, at a line that
  ///   does not fit its shape, or at text after the block.
  public init(parsing text: String, file: String = "show_mem") throws(TextParseError) {
    var scanner = LogScanner(text: text, file: file, stripsPrefixes: false)
    guard let first = scanner.nextLine(after: -1), scanner.isMemInfoLine(first) else {
      throw TextParseError(file: file, line: 1, column: 1, reason: "expected 'Mem-Info:'")
    }
    let block = scanner.assembleShowMem(from: first, memInfoLine: true, limit: scanner.count)
    if let problem = block.problems.first { throw problem }
    if let extra = scanner.nextLine(after: -1) {
      throw scanner.error(at: extra, offset: 0, "unexpected text after the Mem-Info block")
    }
    self = block.showMem
  }

  /// The block as the kernel prints it, its heading (`Mem-Info:`) first, each line ending in a
  /// newline.
  public func render() -> String {
    var text = ""
    render(into: &text)
    return text
  }

  /// Appends the block's lines to `text`.
  public func render(into text: inout String) {
    text += heading + "\n"
    var previousWasCounters = false
    for line in lines {
      if case .counters = line, previousWasCounters { text += " " }
      Self.render(line, into: &text)
      text += "\n"
      if case .counters = line { previousWasCounters = true } else { previousWasCounters = false }
    }
  }

  /// Appends one line's text (without the continuation space or newline).
  static func render(_ line: Line, into text: inout String) {
    switch line {
    case .counters(let values):
      for (k, value) in values.enumerated() {
        if k > 0 { text += " " }
        text += value.name + ":" + String(value.value)
      }
    case .node(let node):
      text += "Node \(node.node)"
      render(node.fields, into: &text)
    case .zone(let zone):
      if let node = zone.node { text += "Node \(node) " }
      text += zone.zone
      render(zone.fields, into: &text)
    case .lowmemReserve(let values):
      text += "lowmem_reserve[]:"
      for value in values { text += " " + String(value) }
    case .freeArea(let area):
      if let node = area.node { text += "Node \(node) " }
      text += area.zone + ": "
      for order in area.orders {
        text += "\(order.count)*\(order.blockKilobytes)kB "
        if let types = order.migrateTypes {
          text += "(" + String(types.map(\.letter)) + ") "
        }
      }
      text += "= \(area.totalKilobytes)kB"
    case .hugepages(let pages):
      text += "Node \(pages.node) hugepages_total=\(pages.total) hugepages_free=\(pages.free)"
      text += " hugepages_surp=\(pages.surplus) hugepages_size=\(pages.sizeKilobytes)kB"
    case .pagecache(let count): text += "\(count) total pagecache pages"
    case .swapCache(let count): text += "\(count) pages in swap cache"
    case .swapCacheStats(let add, let delete, let find, let findTotal):
      text += "Swap cache stats: add \(add), delete \(delete), find \(find)/\(findTotal)"
    case .freeSwap(let kilobytes): text += "Free swap  = \(kilobytes)kB"
    case .totalSwap(let kilobytes): text += "Total swap = \(kilobytes)kB"
    case .pages(let count, let label): text += "\(count) pages \(label)"
    case .unrecognized(let raw): text += raw
    }
  }

  /// Appends ` name:value…` for each field.
  private static func render(_ fields: [Field], into text: inout String) {
    for field in fields {
      text += " " + field.name + field.separator.rawValue
      switch field.value {
      case .number(let value): text += String(value) + field.unit
      case .word(let word): text += word
      }
    }
  }
}

// MARK: - Scanning

/// One line of a `Mem-Info:` block as far as it was read.
struct ShowMemLineScan {
  /// The line, or `nil` when its shape is not modelled (kept as printed) or it is incomplete and
  /// cannot stand alone.
  var line: ShowMem.Line?
  /// What would complete the line, or (for a ``complete`` one) what `KERN_CONT` fragments may
  /// still add to it.
  var wants: Expectation?
  /// Whether the line can stand as it is; a hard-wrapped continuation is joined only to a line
  /// that cannot.
  var complete = false
}

/// Reads one line of a `Mem-Info:` block.
///
/// - Parameters:
///   - b: the line's text.
///   - afterCounters: whether the previous line was a counter line (so that this one may be a
///     continuation).
/// - Throws: ``ScanStop/invalid(_:at:expecting:)`` for a line that starts like a modelled shape
///   but does not fit it.
func scanShowMemLine(_ b: Span<UInt8>, afterCounters: Bool) throws(ScanStop) -> ShowMemLineScan {
  var s = Scanner()
  if s.skip("Node ", b), let node = try? s.decimal(b, .end), s.skip(" ", b) {
    if s.sees("hugepages_total", b) { return try scanHugepages(b, node: node, &s) }
    let word = s.word(b)
    let colon = firstIndex(of: ":", in: b.extracting(word)).map { $0 + word.lowerBound }
    if let colon, colon == word.upperBound - 1, isZoneName(b, word.lowerBound..<colon) {
      return try scanFreeArea(b, node: node, zone: word.lowerBound..<colon, at: word.upperBound)
    }
    if colon != nil {
      s.i = word.lowerBound
      let fields = try scanFields(b, &s)
      let complete = fields.contains { $0.name == "all_unreclaimable" }
      return ShowMemLineScan(
        line: .node(ShowMem.NodeState(node: node, fields: fields)),
        wants: complete ? nil : .lineText)
    }
    if matches(" free:", in: b, at: word.upperBound) {
      return try scanZone(b, node: node, zone: word, &s)
    }
    return ShowMemLineScan()
  }
  s = Scanner()
  if s.skip("lowmem_reserve[]:", b) {
    var values: [Int] = []
    while !s.atEnd(b) {
      s.skipSpaces(b)
      values.append(try s.signedDecimal(b, .end))
    }
    return ShowMemLineScan(
      line: .lowmemReserve(values), wants: .lowmemValues, complete: !values.isEmpty)
  }
  if !b.isEmpty, isDigit(b[0]) { return try scanTotal(b) }
  if s.skip("Swap cache stats: add ", b) {
    let add = try s.decimal(b, .lineText)
    try s.expect(", delete ", b, .lineText)
    let delete = try s.decimal(b, .lineText)
    try s.expect(", find ", b, .lineText)
    let find = try s.decimal(b, .lineText)
    try s.expect("/", b, .lineText)
    let total = try s.decimal(b, .lineText)
    try requireEnd(b, s)
    return ShowMemLineScan(
      line: .swapCacheStats(add: add, delete: delete, find: find, findTotal: total))
  }
  if s.skip("Free swap  ", b) || s.skip("Total swap ", b) {
    let free = b[0] == UInt8(ascii: "F")
    try s.equals(b, .lineText)
    try s.expect(" ", b, .lineText)
    let kilobytes = try s.signedDecimal(b, .lineText)
    try s.expect("kB", b, .lineText)
    try requireEnd(b, s)
    return ShowMemLineScan(
      line: free ? .freeSwap(kilobytes: kilobytes) : .totalSwap(kilobytes: kilobytes))
  }
  // `Normal: …` (free blocks) or `Normal free:…` (zone), without a node prefix.
  let word = s.word(b)
  if !word.isEmpty, b[word.upperBound - 1] == UInt8(ascii: ":"),
    isZoneName(b, word.lowerBound..<(word.upperBound - 1))
  {
    return try scanFreeArea(
      b, node: nil, zone: word.lowerBound..<(word.upperBound - 1), at: word.upperBound)
  }
  if !word.isEmpty, isZoneName(b, word), matches(" free:", in: b, at: word.upperBound) {
    return try scanZone(b, node: nil, zone: word, &s)
  }
  if let values = scanCounters(b, continuation: afterCounters) {
    return ShowMemLineScan(line: .counters(values))
  }
  return ShowMemLineScan()
}

/// Whether `range` of `b` can be a zone name (letters and digits).
private func isZoneName(_ b: Span<UInt8>, _ range: Range<Int>) -> Bool {
  guard !range.isEmpty else { return false }
  for k in range {
    let byte = b[k]
    guard isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 26 else { return false }
  }
  return true
}

private func requireEnd(_ b: Span<UInt8>, _ s: Scanner) throws(ScanStop) {
  guard s.atEnd(b) else { throw .invalid("unexpected text at the end", at: s.i, expecting: .end) }
}

/// `Node %d hugepages_total=%u hugepages_free=%u hugepages_surp=%u hugepages_size=%lukB`.
private func scanHugepages(
  _ b: Span<UInt8>, node: Int, _ s: inout Scanner
) throws(ScanStop) -> ShowMemLineScan {
  do throws(ScanStop) {
    try s.expect("hugepages_total", b, .lineText)
    try s.equals(b, .lineText)
    let total = try s.decimal(b, .lineText)
    try s.expect(" hugepages_free", b, .lineText)
    try s.equals(b, .lineText)
    let free = try s.decimal(b, .lineText)
    try s.expect(" hugepages_surp", b, .lineText)
    try s.equals(b, .lineText)
    let surplus = try s.decimal(b, .lineText)
    try s.expect(" hugepages_size", b, .lineText)
    try s.equals(b, .lineText)
    let size = try s.decimal(b, .lineText)
    try s.expect("kB", b, .lineText)
    try requireEnd(b, s)
    return ShowMemLineScan(
      line: .hugepages(
        ShowMem.Hugepages(
          node: node, total: total, free: free, surplus: surplus, sizeKilobytes: size)))
  } catch {
    if case .needs = error { return ShowMemLineScan(wants: .lineText) }
    throw error
  }
}

/// `[Node %d ]%s free:%lukB …`: the fields after the zone name.
private func scanZone(
  _ b: Span<UInt8>, node: Int?, zone: Range<Int>, _ s: inout Scanner
) throws(ScanStop) -> ShowMemLineScan {
  s.i = zone.upperBound + 1
  let fields = try scanFields(b, &s)
  let complete = fields.last.map { $0.name == "free_cma" || $0.name == "all_unreclaimable" }
  return ShowMemLineScan(
    line: .zone(ShowMem.ZoneState(node: node, zone: string(b, zone), fields: fields)),
    wants: complete == true ? nil : .lineText)
}

/// Space-separated `name:value[unit]`, `name: value[unit]` and `name? word` fields to the end.
private func scanFields(_ b: Span<UInt8>, _ s: inout Scanner) throws(ScanStop) -> [ShowMem.Field] {
  var fields: [ShowMem.Field] = []
  while !s.atEnd(b) {
    s.skipSpaces(b)
    let nameStart = s.i
    while s.i < b.count, b[s.i] != UInt8(ascii: ":"), b[s.i] != UInt8(ascii: "?"),
      b[s.i] != 0x20
    {
      s.i += 1
    }
    guard s.i > nameStart, s.i < b.count, b[s.i] != 0x20 else {
      if s.i >= b.count { throw .needs(.lineText, at: nameStart) }
      throw .invalid("expected 'name:value'", at: nameStart, expecting: .end)
    }
    let name = string(b, nameStart..<s.i)
    var separator = ShowMem.Field.Separator.colon
    if b[s.i] == UInt8(ascii: "?") {
      try s.expect("? ", b, .lineText)
      separator = .question
    } else {
      s.i += 1
      if s.i + 1 < b.count, b[s.i] == 0x20, isDigit(b[s.i + 1]) {
        s.i += 1
        separator = .colonSpace
      }
    }
    if s.i < b.count, isDigit(b[s.i]) {
      let value = try s.decimal(b, .lineText)
      let unitStart = s.i
      while s.i < b.count, (b[s.i] | 0x20) &- UInt8(ascii: "a") < 26 { s.i += 1 }
      fields.append(
        ShowMem.Field(
          name: name, separator: separator, value: .number(value),
          unit: string(b, unitStart..<s.i)))
    } else {
      // Only `name? word` carries a word (`all_unreclaimable? yes`).
      let wordStart = s.i
      while separator == .question, s.i < b.count, (b[s.i] | 0x20) &- UInt8(ascii: "a") < 26 {
        s.i += 1
      }
      guard s.i > wordStart else {
        if s.i >= b.count { throw .needs(.lineText, at: s.i) }
        throw .invalid(
          separator == .question ? "expected 'yes' or 'no'" : "expected a number", at: s.i,
          expecting: .end)
      }
      fields.append(
        ShowMem.Field(
          name: name, separator: separator, value: .word(string(b, wordStart..<s.i)), unit: ""))
    }
    guard s.i >= b.count || b[s.i] == 0x20 else {
      throw .invalid("unexpected text after '\(name)'", at: s.i, expecting: .end)
    }
  }
  return fields
}

/// `%s: ` then `%lu*%lukB [(%s) ]` per order, then `= %lukB`.
private func scanFreeArea(
  _ b: Span<UInt8>, node: Int?, zone: Range<Int>, at start: Int
) throws(ScanStop) -> ShowMemLineScan {
  var s = Scanner(at: start)
  var orders: [ShowMem.FreeArea.Order] = []
  var termsTotal = 0
  while true {
    s.skipSpaces(b)
    if s.i >= b.count { return ShowMemLineScan(wants: .freeAreaTerms) }
    if b[s.i] == UInt8(ascii: "=") {
      do throws(ScanStop) {
        try s.equals(b, .freeAreaTerms)
        s.skipSpaces(b)
        let total = try s.decimal(b, .freeAreaTerms)
        try s.expect("kB", b, .freeAreaTerms)
        try requireEnd(b, s)
        let area = ShowMem.FreeArea(
          node: node, zone: string(b, zone), orders: orders, totalKilobytes: total)
        return ShowMemLineScan(line: .freeArea(area))
      } catch {
        if case .needs = error { return ShowMemLineScan(wants: .freeAreaTerms) }
        throw error
      }
    }
    if b[s.i] == UInt8(ascii: "(") {
      guard !orders.isEmpty, orders[orders.count - 1].migrateTypes == nil else {
        throw .invalid("migratetype letters without a count", at: s.i, expecting: .end)
      }
      s.i += 1
      var types: [MigrateType] = []
      while s.i < b.count, b[s.i] != UInt8(ascii: ")") {
        let letter = Character(Unicode.Scalar(b[s.i]))
        guard let type = MigrateType.allCases.first(where: { $0.letter == letter }) else {
          throw .invalid("unknown migratetype letter '\(letter)'", at: s.i, expecting: .end)
        }
        types.append(type)
        s.i += 1
      }
      guard s.i < b.count else { return ShowMemLineScan(wants: .freeAreaTerms) }
      s.i += 1
      orders[orders.count - 1].migrateTypes = types
      continue
    }
    let termStart = s.i
    do throws(ScanStop) {
      let count = try s.decimal(b, .freeAreaTerms)
      try s.expect("*", b, .freeAreaTerms)
      let size = try s.decimal(b, .freeAreaTerms)
      try s.expect("kB", b, .freeAreaTerms)
      guard s.i >= b.count || b[s.i] == 0x20 else {
        throw ScanStop.invalid("expected ' ' after 'kB'", at: s.i, expecting: .end)
      }
      // Keep `count × size` and the sum of the terms representable.
      let (kilobytes, overflow) = count.multipliedReportingOverflow(by: size)
      guard !overflow, !termsTotal.addingReportingOverflow(kilobytes).overflow else {
        throw ScanStop.invalid("number too large", at: termStart, expecting: .end)
      }
      termsTotal += kilobytes
      orders.append(ShowMem.FreeArea.Order(count: count, blockKilobytes: size))
    } catch {
      if case .needs = error { return ShowMemLineScan(wants: .freeAreaTerms) }
      throw error
    }
  }
}

/// `%ld total pagecache pages`, `%lu pages in swap cache`, `%lu pages <label>`.
private func scanTotal(_ b: Span<UInt8>) throws(ScanStop) -> ShowMemLineScan {
  var s = Scanner()
  let count = try s.signedDecimal(b, .end)
  if s.skip(" total pagecache pages", b), s.atEnd(b) {
    return ShowMemLineScan(line: .pagecache(count))
  }
  if s.skip(" pages in swap cache", b), s.atEnd(b) {
    return ShowMemLineScan(line: .swapCache(count))
  }
  guard s.skip(" pages ", b), !s.atEnd(b) else { return ShowMemLineScan() }
  var end = b.count
  while end > s.i, b[end - 1] == 0x20 { end -= 1 }
  return ShowMemLineScan(line: .pages(count: count, label: string(b, s.i..<end)))
}

/// A line of `name:value` counters (no units), or `nil`.
///
/// The first line of the block has no leading space; continuation lines have one (or, after
/// mangling, any number).
private func scanCounters(_ b: Span<UInt8>, continuation: Bool) -> [NamedValue]? {
  var s = Scanner()
  if !continuation, s.sees(" ", b) { return nil }
  var values: [NamedValue] = []
  while !s.atEnd(b) {
    s.skipSpaces(b)
    let nameStart = s.i
    while s.i < b.count {
      let byte = b[s.i]
      guard
        byte == UInt8(ascii: "_") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
          || isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 26
      else { break }
      s.i += 1
    }
    let nameEnd = s.i
    guard nameEnd > nameStart, s.skip(":", b), let value = try? s.decimal(b, .end),
      s.i >= b.count || b[s.i] == 0x20
    else { return nil }
    values.append(NamedValue(name: string(b, nameStart..<nameEnd), value: value))
  }
  return values.isEmpty ? nil : values
}

// MARK: - Finding

extension ShowMem {
  /// A `Mem-Info:` block found in a log: the block, where it was, and what was wrong with its
  /// text.
  public struct Found: Hashable, Sendable {
    /// The block.
    public var showMem: ShowMem
    /// The 1-based lines from `Mem-Info:` to the block's last line.
    public var lines: ClosedRange<Int>
    /// The damage that was repaired and the lines that could not be read, in log order.
    public var problems: [TextParseError]
    /// The 1-based log line each of `showMem.lines` was read from (the first, for a joined
    /// line); empty when not known.
    public var sourceLines: [Int]
    /// Whether the `Mem-Info:` line follows a stack dump (`Call Trace:`, frames, `</TASK>`),
    /// as in the allocation-failure and OOM reports that print the block; a SysRq-m dump's
    /// follows its `sysrq: Show Memory` line instead.
    public var followsStackDump: Bool

    /// Creates a finding.
    public init(
      showMem: ShowMem, lines: ClosedRange<Int>, problems: [TextParseError],
      sourceLines: [Int] = [], followsStackDump: Bool = false
    ) {
      self.showMem = showMem
      self.lines = lines
      self.problems = problems
      self.sourceLines = sourceLines
      self.followsStackDump = followsStackDump
    }
  }

  /// Finds every `Mem-Info:` block in a log, whatever report printed it (allocation failures,
  /// OOM kills, SysRq-m).
  ///
  /// - Parameters:
  ///   - text: the log.
  ///   - file: the name problems report.
  ///   - stripsPrefixes: `false` for text that is already kernel messages.
  ///   - firstLine: the number of the text's first line in the whole log.
  public static func findAll(
    in text: String, file: String = "log", stripsPrefixes: Bool = true, firstLine: Int = 1
  ) -> [Found] {
    findAll(
      in: LogScanner(
        text: text, file: file, stripsPrefixes: stripsPrefixes, firstLine: firstLine))
  }

  /// What ``findAll(in:file:stripsPrefixes:firstLine:)`` finds, in a log already split into
  /// lines (one split shared by every finder that reads the same text).
  package static func findAll(in log: LogScanner) -> [Found] {
    var scanner = log
    var found: [Found] = []
    for j in 0..<scanner.count
    where !scanner.consumed[j] && !scanner.lines[j].isComment && scanner.isMemInfoLine(j) {
      let afterStack = scanner.previousLine(before: j).map(scanner.isStackDumpLine) ?? false
      let block = scanner.assembleShowMem(from: j, memInfoLine: true, limit: scanner.count)
      found.append(
        Found(
          showMem: block.showMem,
          lines: scanner.lines[j].number...scanner.lines[block.lastLine].number,
          problems: block.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) },
          sourceLines: block.sourceLines, followsStackDump: afterStack))
    }
    return found
  }
}
