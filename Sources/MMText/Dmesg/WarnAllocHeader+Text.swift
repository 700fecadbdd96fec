public import MMCore
internal import _MMUtilities

extension WarnAllocHeader {
  /// Parses a header from its text: the header line, with the line before it for a pre-4.9
  /// vmalloc message and the line after it for 4.11–4.20's cpuset line.
  ///
  /// - Parameters:
  ///   - text: the kernel's lines, without log prefixes (what ``render()`` writes).
  ///   - kernel: the release that printed it, which picks between layouts whose text is the same
  ///     (2.6.39–4.3 and 4.4–4.5; 4.6–4.8 and 4.9–4.10); without it the more common one.
  ///   - file: the name errors report.
  /// - Throws: ``TextParseError`` at the first field that is missing or malformed, or at text
  ///   after the header.
  public init(
    parsing text: String, kernel: KernelVersion? = nil, file: String = "header"
  ) throws(TextParseError) {
    var scanner = LogScanner(text: text, file: file, stripsPrefixes: false)
    guard let first = scanner.nextLine(after: -1) else {
      throw TextParseError(file: file, line: 1, column: 1, reason: "empty text")
    }
    var start = first
    if scanner.vmallocPreamble(at: first) != nil, let next = scanner.nextLine(after: first) {
      start = next
    }
    guard scanner.headerStart(at: start) != nil else {
      throw scanner.error(at: start, offset: 0, "expected a warn_alloc header")
    }
    let assembly = scanner.assembleHeader(at: start)
    if let problem = assembly.problems.first { throw problem }
    if let extra = scanner.nextLine(after: -1) {
      throw scanner.error(at: extra, offset: 0, "unexpected text after the header")
    }
    guard let fields = assembly.fields, let header = fields.header(kernel: kernel) else {
      throw scanner.error(at: start, offset: 0, "expected a warn_alloc header")
    }
    self = header
  }

  /// The header's lines as the kernel prints them, each ending in a newline.
  public func render() -> String {
    var text = ""
    render(into: &text)
    return text
  }

  /// Appends the header's lines to `text`.
  public func render(into text: inout String) {
    let commPrefix = comm.map { $0 + ": " } ?? ""
    var line = commPrefix
    switch message {
    case .pageAllocationFailure:
      line +=
        layout == .v2_6 ? "page allocation failure. order:" : "page allocation failure: order:"
      if let order { line += String(order) }
    case .pageAllocationStalls(let milliseconds):
      line += "page allocation stalls for \(milliseconds)ms, order:"
      if let order { line += String(order) }
    case .vmalloc(let failure):
      if layout.printsVMallocInline {
        line += failure.kernelText
      } else {
        text += failure.kernelText + "\n"
        line += "page allocation failure: order:"
        if let order { line += String(order) }
      }
    }
    if let gfpMask {
      line += ", mode:" + layout.maskText(gfpMask)
      if let gfpNames { line += "(" + gfpNames + ")" }
    }
    if let nodemask { line += ", nodemask=" + nodemask }
    if let cpuset, layout >= .v5_0 {
      line += ",cpuset=" + cpuset + ",mems_allowed=" + (memsAllowed ?? "")
    }
    text += line + "\n"
    if let cpuset, layout < .v5_0 {
      text += (comm ?? "") + " cpuset=" + cpuset + " mems_allowed=" + (memsAllowed ?? "") + "\n"
    }
  }
}

extension WarnAllocHeader.VMallocFailure {
  /// The message as `mm/vmalloc.c` prints it.
  public var kernelText: String {
    switch self {
    case .allocationFailure(let bytes): "vmalloc: allocation failure: \(bytes) bytes"
    case .partialAllocation(let allocated, let requested):
      "vmalloc: allocation failure, allocated \(allocated) of \(requested) bytes"
    case .exceedsTotalPages(let size): "vmalloc error: size \(size), exceeds total pages"
    case .vmStructAllocationFailed(let size):
      "vmalloc error: size \(size), vm_struct allocation failed"
    case .pageArrayAllocationFailed(let size, let arraySize):
      "vmalloc error: size \(size), failed to allocated page array size \(arraySize)"
    case .pagesAllocationFailed(let size, let order):
      "vmalloc error: size \(size), page order \(order), failed to allocate pages"
    case .mapFailed(let size): "vmalloc error: size \(size), failed to map pages"
    case .other(let size, let text): "vmalloc error: size \(size), \(text)"
    }
  }
}

// MARK: - Scanning

/// The fields of a header as far as they were read, with the facts about its shape that place
/// its layout.
struct HeaderFields {
  var comm: String?
  var message: WarnAllocHeader.Message?
  var order: Int?
  var mask: UInt64?
  var names: String?
  var nodemask: String?
  var cpuset: String?
  var memsAllowed: String?
  /// `page allocation failure. order:` (≤ 2.6.38).
  var periodForm = false
  /// `,cpuset=…,mems_allowed=…` on the header line (5.0+).
  var inlineCpuset = false
  /// The separate `comm cpuset=… mems_allowed=…` line (4.11–4.20).
  var separateCpusetLine = false
  /// A vmalloc message on the line before (≤ 4.8).
  var preamble = false
  /// Whether the header line was read to its end.
  var complete = false
  /// Text before the message that is not `comm: `.
  var junkBeforeMessage = false

  /// The header, with its layout placed from its shape and `kernel`; `nil` when the message
  /// itself could not be read.
  func header(kernel: KernelVersion?) -> WarnAllocHeader? {
    guard let message else { return nil }
    return WarnAllocHeader(
      comm: comm, message: message, order: order, gfpMask: mask, gfpNames: names,
      nodemask: nodemask, cpuset: cpuset, memsAllowed: memsAllowed, layout: layout(kernel: kernel))
  }

  /// The layout: the versions the text's shape allows, narrowed by `kernel` when known, else
  /// the most common one of them.
  func layout(kernel: KernelVersion?) -> WarnAllocHeader.Layout {
    typealias Layout = WarnAllocHeader.Layout
    if periodForm { return .v2_6 }
    var low = Layout.v2_6_39
    var high = Layout.v5_0
    if names != nil { low = max(low, .v4_6) }
    if preamble { high = min(high, .v4_6) }
    switch message {
    case .pageAllocationStalls: low = max(low, .v4_9)
    case .vmalloc where !preamble: low = max(low, .v4_9)
    default: break
    }
    if nodemask != nil { low = max(low, .v4_11) }
    if inlineCpuset { low = .v5_0 }
    if separateCpusetLine {
      low = max(low, .v4_11)
      high = min(high, .v4_11)
    }
    if complete, mask != nil {
      if names == nil { high = min(high, .v4_4) }
      if nodemask == nil { high = min(high, .v4_9) }
    }
    if high < low { high = low }
    if let kernel { return min(max(Layout(kernel: kernel), low), high) }
    let preferred: [Layout] = [.v5_0, .v4_9, .v2_6_39, .v4_11, .v4_6, .v4_4]
    return preferred.first { $0 >= low && $0 <= high } ?? low
  }
}

/// The message texts a warn_alloc header can carry.
enum HeaderKeyword {
  case pageAllocationFailure, pageAllocationStalls, vmallocError, vmallocAllocationFailure
}

/// The first warn_alloc message keyword in `b`, and where it starts.
func headerKeyword(in b: Span<UInt8>) -> (offset: Int, keyword: HeaderKeyword)? {
  var i = 0
  while i < b.count {
    switch b[i] {
    case UInt8(ascii: "p"):
      if matches("page allocation failure", in: b, at: i) { return (i, .pageAllocationFailure) }
      if matches("page allocation stalls for ", in: b, at: i) {
        return (i, .pageAllocationStalls)
      }
    case UInt8(ascii: "v"):
      if matches("vmalloc error: size ", in: b, at: i) { return (i, .vmallocError) }
      if matches("vmalloc: allocation failure", in: b, at: i) {
        return (i, .vmallocAllocationFailure)
      }
    default: break
    }
    i += 1
  }
  return nil
}

/// Reads a header line (`comm: message, mode:…[, nodemask=…[,cpuset=…,mems_allowed=…]]`) into
/// `f`, as far as it goes.
///
/// - Throws: ``ScanStop`` where the line ends early or stops fitting; `f` keeps what was read.
func scanHeaderLine(_ b: Span<UInt8>, into f: inout HeaderFields) throws(ScanStop) {
  guard let (start, keyword) = headerKeyword(in: b) else {
    throw .invalid("expected a warn_alloc message", at: 0, expecting: .headerText)
  }
  if start >= 2, b[start - 2] == UInt8(ascii: ":"), b[start - 1] == 0x20 {
    if start > 2 { f.comm = string(b, 0..<(start - 2)) }
  } else if start > 0 {
    f.junkBeforeMessage = true
  }
  var s = Scanner(at: start)
  switch keyword {
  case .pageAllocationFailure:
    s.i += 23
    f.message = .pageAllocationFailure
    if s.skip(". order:", b) {
      f.periodForm = true
    } else {
      try s.expect(": order:", b, .headerText)
    }
    f.order = try s.decimal(b, .headerText)
  case .pageAllocationStalls:
    s.i += 27
    let milliseconds = try s.decimal(b, .headerText)
    f.message = .pageAllocationStalls(milliseconds: milliseconds)
    try s.expect("ms, order:", b, .headerText)
    f.order = try s.decimal(b, .headerText)
  case .vmallocError:
    s.i += 20
    let size = try s.decimal(b, .headerText)
    try s.expect(", ", b, .headerText)
    let textStart = s.i
    let mode = firstIndex(of: ", mode:", in: b, from: textStart)
    var textEnd = mode ?? b.count
    while textEnd > textStart, b[textEnd - 1] == 0x20 { textEnd -= 1 }
    f.message = .vmalloc(vmallocError(size: size, b, textStart..<textEnd))
    guard let mode else { throw .needs(.mode, at: b.count) }
    s.i = mode
  case .vmallocAllocationFailure:
    s.i += 27
    f.message = .vmalloc(try scanOldVMallocRest(b, &s))
  }
  if s.atEnd(b) { throw .needs(.mode, at: s.i) }
  try s.expect(", mode:", b, .mode)
  if s.skip("0x", b) {
    f.mask = try s.hexadecimal(b, .headerText)
  } else if s.skip("0", b) {
    f.mask = 0
  } else {
    throw s.atEnd(b)
      ? .needs(.headerText, at: s.i)
      : .invalid("expected a hexadecimal number", at: s.i, expecting: .end)
  }
  if s.skip("(", b) {
    guard let close = firstIndex(of: ")", in: b, from: s.i) else {
      throw .needs(.headerText, at: b.count)
    }
    f.names = string(b, s.i..<close)
    s.i = close + 1
  }
  if s.atEnd(b) {
    f.complete = true
    return
  }
  try s.expect(", nodemask", b, .end)
  try s.equals(b, .headerText)
  if s.skip("(null)", b) {
    f.nodemask = "(null)"
  } else {
    let list = s.nodeList(b)
    if list.isEmpty, s.atEnd(b) { throw .needs(.nodemaskValue, at: s.i) }
    f.nodemask = list
  }
  if s.atEnd(b) {
    f.complete = true
    return
  }
  try s.expect(",cpuset", b, .end)
  try s.equals(b, .headerText)
  try scanCpusetAndMems(b, &s, marker: ",mems_allowed", missing: .inlineMemsAllowed, into: &f)
  f.inlineCpuset = true
  guard s.atEnd(b) else {
    throw .invalid("unexpected text after the header", at: s.i, expecting: .end)
  }
  f.complete = true
}

/// Reads 4.11–4.20's `comm cpuset=<name> mems_allowed=<nodes>` line into `f`.
///
/// - Throws: ``ScanStop`` where the line ends early or stops fitting.
func scanCpusetLine(_ b: Span<UInt8>, into f: inout HeaderFields) throws(ScanStop) {
  guard let marker = firstIndex(of: "cpuset", in: b) else {
    throw .invalid("expected 'cpuset='", at: 0, expecting: .end)
  }
  var s = Scanner(at: marker + 6)
  try s.equals(b, .cpusetName)
  try scanCpusetAndMems(b, &s, marker: " mems_allowed", missing: .spacedMemsAllowed, into: &f)
  f.separateCpusetLine = true
  guard s.atEnd(b) else {
    throw .invalid("unexpected text after 'mems_allowed='", at: s.i, expecting: .end)
  }
}

/// Reads `<cpuset name><marker>=<nodes>` from `s` into `f`: the name runs up to `marker`
/// (`,mems_allowed` inline, ` mems_allowed` on 4.11–4.20's own line).
///
/// - Throws: ``ScanStop`` `missing` where the line ends before `marker`, after keeping the name.
private func scanCpusetAndMems(
  _ b: Span<UInt8>, _ s: inout Scanner, marker: StaticString, missing: Expectation,
  into f: inout HeaderFields
) throws(ScanStop) {
  let nameStart = s.i
  guard let mems = firstIndex(of: marker, in: b, from: nameStart) else {
    var nameEnd = b.count
    while nameEnd > nameStart, b[nameEnd - 1] == 0x20 { nameEnd -= 1 }
    if nameEnd == nameStart { throw .needs(.cpusetName, at: nameStart) }
    f.cpuset = string(b, nameStart..<nameEnd)
    throw .needs(missing, at: b.count)
  }
  f.cpuset = string(b, nameStart..<mems)
  s.i = mems + marker.utf8CodeUnitCount
  try s.equals(b, .headerText)
  f.memsAllowed = s.nodeList(b)
}

/// Reads a whole ≤ 4.8 vmalloc line (`vmalloc: allocation failure…`, no mask), or `nil`.
func scanVMallocPreamble(_ b: Span<UInt8>) -> WarnAllocHeader.VMallocFailure? {
  var s = Scanner()
  guard s.skip("vmalloc: allocation failure", b),
    let failure = try? scanOldVMallocRest(b, &s), s.atEnd(b)
  else { return nil }
  return failure
}

/// Reads `: %lu bytes` or `, allocated %ld of %ld bytes` after `vmalloc: allocation failure`.
private func scanOldVMallocRest(
  _ b: Span<UInt8>, _ s: inout Scanner
) throws(ScanStop) -> WarnAllocHeader.VMallocFailure {
  if s.skip(": ", b) {
    let bytes = try s.decimal(b, .headerText)
    try s.expect(" bytes", b, .headerText)
    return .allocationFailure(bytes: bytes)
  }
  try s.expect(", allocated ", b, .headerText)
  let allocated = try s.signedDecimal(b, .headerText)
  try s.expect(" of ", b, .headerText)
  let requested = try s.signedDecimal(b, .headerText)
  try s.expect(" bytes", b, .headerText)
  return .partialAllocation(allocated: allocated, requested: requested)
}

/// The 5.13+ `vmalloc error: size %lu, <text>` message for the text after the size.
private func vmallocError(
  size: Int, _ b: Span<UInt8>, _ range: Range<Int>
) -> WarnAllocHeader.VMallocFailure {
  let text = string(b, range)
  switch text {
  case "exceeds total pages": return .exceedsTotalPages(size: size)
  case "vm_struct allocation failed": return .vmStructAllocationFailed(size: size)
  case "failed to map pages": return .mapFailed(size: size)
  default: break
  }
  var s = Scanner(at: range.lowerBound)
  if s.skip("failed to allocated page array size ", b),
    let arraySize = try? s.decimal(b, .end), s.i == range.upperBound
  {
    return .pageArrayAllocationFailed(size: size, arraySize: arraySize)
  }
  s = Scanner(at: range.lowerBound)
  if s.skip("page order ", b), let order = try? s.decimal(b, .end),
    s.skip(", failed to allocate pages", b), s.i == range.upperBound
  {
    return .pagesAllocationFailed(size: size, order: order)
  }
  return .other(size: size, text: text)
}
