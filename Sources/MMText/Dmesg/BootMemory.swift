public import MMCore
internal import _MMUtilities

extension BootMemory {
  /// Collects the boot-memory lines of a kernel log.
  ///
  /// Lines may carry any prefix ``DmesgLine`` knows (syslog, journal, `<N>` priority,
  /// `[    0.000000] ` timestamp, caller id). Lines that are not one of the shapes below are
  /// skipped; a log without them gives empty lists:
  ///
  ///     Freeing initrd memory: 2772K
  ///     Freeing unused kernel image (initmem) memory: 2824K
  ///     Zone ranges:
  ///       DMA      [mem 0x0000000000001000-0x0000000000ffffff]
  ///       Normal   empty
  ///     Movable zone start for each node
  ///       Node 0: 0x0000000100000000
  ///     Early memory node ranges
  ///       node   0: [mem 0x0000000000001000-0x000000000009efff]
  ///
  /// Only the `Freeing` lines of ``lateFreeAreas`` count as late frees.
  public init(parsingLog text: String) {
    let bytes = Array(text.utf8)
    self.init(parsingLog: bytes.span)
  }

  /// Collects the boot-memory lines of a kernel log's bytes; the byte-level form of the `String`
  /// initializer.
  public init(parsingLog bytes: Span<UInt8>) {
    self.init()
    var block = Block.none
    for line in DmesgLine.lines(in: bytes) where !line.isComment {
      read(line: line.message, number: line.number, bytes, &block)
    }
  }

  /// The multi-line block of `free_area_init()` the previous line started or continued.
  private enum Block { case none, zoneRanges, movableZoneStarts, nodeRanges }

  /// Reads one message (the line after its prefix).
  private mutating func read(
    line: Range<Int>, number: Int, _ bytes: Span<UInt8>, _ block: inout Block
  ) {
    let i = line.lowerBound
    switch block {
    case .zoneRanges:
      if let range = zoneRange(bytes, i, end: line.upperBound) {
        zoneRanges.append(range)
        return
      }
    case .movableZoneStarts:
      if matches("  Node ", in: bytes, at: i), let start = movableZoneStart(bytes, i + 7, line) {
        movableZoneStarts.append(start)
        return
      }
    case .nodeRanges:
      if matches("  node ", in: bytes, at: i), let range = nodeRange(bytes, i + 7, line) {
        nodeRanges.append(range)
        return
      }
    case .none:
      break
    }
    block = .none
    if matches("Zone ranges:", in: bytes, at: i) {
      block = .zoneRanges
    } else if matches("Movable zone start for each node", in: bytes, at: i) {
      block = .movableZoneStarts
    } else if matches("Early memory node ranges", in: bytes, at: i) {
      block = .nodeRanges
    } else if matches("Freeing ", in: bytes, at: i),
      let free = lateFree(bytes, (i + 8)..<line.upperBound, number: number)
    {
      lateFrees.append(free)
    }
  }

  /// `<area> memory: <N>K` (the rest of a `Freeing ` line), if the area is a late one.
  private func lateFree(_ bytes: Span<UInt8>, _ rest: Range<Int>, number: Int) -> LateFree? {
    guard let offset = firstIndex(of: " memory: ", in: bytes.extracting(rest)) else { return nil }
    let marker = rest.lowerBound + offset
    var i = marker + 9
    guard let kilobytes = hexOrDecimal(bytes, &i, hex: false), i + 1 == rest.upperBound,
      bytes[i] == UInt8(ascii: "K")
    else { return nil }
    let area = string(bytes, rest.lowerBound..<marker)
    guard Self.lateFreeAreas.contains(area) else { return nil }
    return LateFree(area: area, kilobytes: Int(kilobytes), line: number)
  }

  /// `  %-8s [mem %#018Lx-%#018Lx]` or `  %-8s empty`.
  private func zoneRange(_ bytes: Span<UInt8>, _ start: Int, end: Int) -> ZoneRange? {
    guard matches("  ", in: bytes, at: start) else { return nil }
    var i = start + 2
    let nameStart = i
    while i < end, bytes[i] != UInt8(ascii: " ") { i += 1 }
    guard i > nameStart else { return nil }
    let zone = string(bytes, nameStart..<i)
    while i < end, bytes[i] == UInt8(ascii: " ") { i += 1 }
    if matches("empty", in: bytes, at: i), i + 5 == end {
      return ZoneRange(zone: zone, addresses: nil)
    }
    guard let addresses = memoryRange(bytes, i, end: end) else { return nil }
    return ZoneRange(zone: zone, addresses: addresses)
  }

  /// `%d: %#018Lx` after `  Node `.
  private func movableZoneStart(
    _ bytes: Span<UInt8>, _ start: Int, _ line: Range<Int>
  ) -> MovableZoneStart? {
    var i = start
    guard let node = hexOrDecimal(bytes, &i, hex: false), matches(": 0x", in: bytes, at: i) else {
      return nil
    }
    i += 4
    guard let address = hexOrDecimal(bytes, &i, hex: true), i == line.upperBound else {
      return nil
    }
    return MovableZoneStart(node: Int(node), address: address)
  }

  /// `%3d: [mem %#018Lx-%#018Lx]` after `  node `.
  private func nodeRange(_ bytes: Span<UInt8>, _ start: Int, _ line: Range<Int>) -> NodeRange? {
    var i = start
    while i < line.upperBound, bytes[i] == UInt8(ascii: " ") { i += 1 }
    guard let node = hexOrDecimal(bytes, &i, hex: false), matches(": ", in: bytes, at: i),
      let addresses = memoryRange(bytes, i + 2, end: line.upperBound)
    else { return nil }
    return NodeRange(node: Int(node), addresses: addresses)
  }

  /// `[mem 0x…-0x…]` from `start` to exactly `end`.
  private func memoryRange(_ bytes: Span<UInt8>, _ start: Int, end: Int) -> ClosedRange<UInt64>? {
    var i = start
    guard matches("[mem 0x", in: bytes, at: i) else { return nil }
    i += 7
    guard let low = hexOrDecimal(bytes, &i, hex: true), matches("-0x", in: bytes, at: i) else {
      return nil
    }
    i += 3
    guard let high = hexOrDecimal(bytes, &i, hex: true), low <= high,
      matches("]", in: bytes, at: i), i + 1 == end
    else { return nil }
    return low...high
  }

  /// Reads a hexadecimal or decimal number of at most 16 or 18 digits (so that it fits an `Int`).
  private func hexOrDecimal(_ bytes: Span<UInt8>, _ i: inout Int, hex: Bool) -> UInt64? {
    let start = i
    var value: UInt64 = 0
    while i < bytes.count, i - start < (hex ? 16 : 18) {
      if hex, let digit = hexDigitValue(bytes[i]) {
        value = value << 4 | UInt64(digit)
      } else if !hex, isDigit(bytes[i]) {
        value = value * 10 + UInt64(bytes[i] &- UInt8(ascii: "0"))
      } else {
        break
      }
      i += 1
    }
    return i > start ? value : nil
  }
}
