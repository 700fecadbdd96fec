internal import MMCore
internal import _MMUtilities

/// A GFP mask printed in a log line: `mode:0x2084020(GFP_ATOMIC|__GFP_COMP)`,
/// `gfp_mask=0xd0`, SLUB's `gfp=0x820(GFP_ATOMIC)`.
public struct GFPMaskMention: Hashable, Sendable {
  /// The field name before the value: `mode:`, `gfp_mask=`, `gfp_flags=`, `gfp=` or `mask=`.
  public var field: String
  /// The printed hex value.
  public var rawValue: UInt64
  /// The `%pGg` names in the parentheses (possibly empty), or `nil` when none were printed
  /// (kernels before 4.6).
  public var printedNames: String?
  /// The 0-based byte offset of the field in the line.
  public var column: Int

  /// Creates a mention.
  public init(field: String, rawValue: UInt64, printedNames: String?, column: Int) {
    self.field = field
    self.rawValue = rawValue
    self.printedNames = printedNames
    self.column = column
  }

  /// Every GFP mask printed in `line`, left to right.
  ///
  /// Kernel formats: `warn_alloc()` (`mode:%#x(%pGg)`), `dump_header()` (`gfp_mask=%#x(%pGg)`),
  /// `slab_out_of_memory()` (`gfp=%#x(%pGg)`), tracepoints (`gfp_flags=`).
  public static func all(in line: some StringProtocol) -> [GFPMaskMention] {
    let bytes = Array(line.utf8)
    return all(in: bytes.span)
  }

  /// Byte-level form of ``all(in:)-(StringProtocol)``.
  public static func all(in bytes: Span<UInt8>) -> [GFPMaskMention] {
    var found: [GFPMaskMention] = []
    var search = 0
    while let hex = firstIndex(of: "0x", in: bytes, from: search) {
      search = hex + 2
      guard let field = fieldName(endingAt: hex, in: bytes) else { continue }
      var i = hex + 2
      var value: UInt64 = 0
      while i < bytes.count, i - hex - 2 < 16, let digit = hexDigitValue(bytes[i]) {
        value = value << 4 | UInt64(digit)
        i += 1
      }
      guard i > hex + 2 else { continue }
      var names: String?
      if i < bytes.count, bytes[i] == UInt8(ascii: "(") {
        var close = i + 1
        while close < bytes.count, bytes[close] != UInt8(ascii: ")") { close += 1 }
        if close < bytes.count {
          names = string(bytes, (i + 1)..<close)
          i = close + 1
        }
      }
      found.append(
        GFPMaskMention(
          field: field, rawValue: value, printedNames: names, column: hex - field.utf8.count))
      search = i
    }
    return found
  }

  /// The mask field whose name ends just before `index`, if any.
  private static func fieldName(endingAt index: Int, in bytes: Span<UInt8>) -> String? {
    if matches("mode:", in: bytes, at: index - 5) { return "mode:" }
    if matches("gfp_mask=", in: bytes, at: index - 9) { return "gfp_mask=" }
    if matches("gfp_flags=", in: bytes, at: index - 10) { return "gfp_flags=" }
    if matches("gfp=", in: bytes, at: index - 4) { return "gfp=" }
    if matches("mask=", in: bytes, at: index - 5), !matches("nodemask=", in: bytes, at: index - 9) {
      return "mask="
    }
    return nil
  }
}
