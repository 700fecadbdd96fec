internal import _MMUtilities

/// Why a GFP mask text could not be read.
public struct GFPParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The offending token (or the whole text when it is empty).
  public var token: String
  /// What is wrong with it.
  public var reason: String

  /// Creates the error for `token`.
  public init(token: String, reason: String) {
    self.token = token
    self.reason = reason
  }

  /// `bad GFP token '<token>': <reason>`.
  public var description: String { "bad GFP token '\(token)': \(reason)" }
}

extension GFPDialect {
  /// Parses `%pGg`-style names back into a raw mask.
  ///
  /// Names look like `GFP_KERNEL|__GFP_COMP`, with `0x…` tokens for bits that have no name. Any
  /// composite or flag this build defines is accepted, not only
  /// those in its printed table. Spaces around `|` are allowed.
  ///
  /// `names(of:)` followed by this gives back the mask (except under the linux-next trace-table
  /// quirk, whose table prints `GFP_ATOMIC` both for the composite and for the bit).
  ///
  /// - Throws: ``GFPParseError`` naming the first token that is not a name of this build.
  public func parseNames(_ text: String) throws(GFPParseError) -> UInt64 {
    let trimmed = text.trimmingASCIIWhitespace()
    guard !trimmed.isEmpty else { throw GFPParseError(token: text, reason: "no names given") }
    var mask: UInt64 = 0
    for piece in trimmed.split(separator: "|", omittingEmptySubsequences: false) {
      let token = piece.trimmingASCIIWhitespace()
      mask |= try rawValue(ofToken: token)
    }
    return mask
  }

  /// The raw bits one name or hex token stands for.
  private func rawValue(ofToken token: String) throws(GFPParseError) -> UInt64 {
    if token.hasPrefix("0x") || token.hasPrefix("0X") {
      guard let value = parseHexMask(token) else {
        throw GFPParseError(token: token, reason: "not a hexadecimal number")
      }
      return value
    }
    guard !token.isEmpty else {
      throw GFPParseError(token: token, reason: "empty name between '|'")
    }
    if let entry = nameTable.first(where: { $0.name == token }) { return entry.mask }
    if let composite = GFPComposite.allCases.first(where: { $0.kernelName == token }),
      let value = rawValue(of: composite)
    {
      return value
    }
    if let flag = GFPFlag.allCases.first(where: { $0.kernelName == token }) {
      let value = rawValue(of: flag)
      if value != 0 { return value }
    }
    throw GFPParseError(token: token, reason: unknownNameReason(token))
  }

  /// Says where an unknown name does exist, if anywhere.
  private func unknownNameReason(_ token: String) -> String {
    let thisBuild = "not a GFP name of kernels \(era.releases)"
    if let flag = GFPFlag.allCases.first(where: { $0.kernelName == token }) {
      let eras = GFPEra.allCases.filter {
        GFPDialect(era: $0, config: [.kasanHWTags, .lockdep, .slabObjExt]).rawValue(of: flag) != 0
      }
      return thisBuild + eraHint(eras, optional: flag)
    }
    if let composite = GFPComposite.allCases.first(where: { $0.kernelName == token }) {
      return thisBuild + eraHint(GFPEra.allCases.filter { composite.flags(in: $0) != nil })
    }
    return "unknown GFP name"
  }

  private func eraHint(_ eras: [GFPEra], optional flag: GFPFlag? = nil) -> String {
    guard let first = eras.first, let last = eras.last else { return "" }
    let span = GFPEra.releaseSpan(from: first.first, through: last.last)
    let definedHere = eras.contains(era)
    if definedHere, let flag {
      let option =
        flag == .noLockdep
        ? "CONFIG_LOCKDEP" : flag == .noObjExt ? "CONFIG_SLAB_OBJ_EXT" : "CONFIG_KASAN_HW_TAGS"
      return " without \(option)"
    }
    return " (defined in \(span))"
  }
}

/// Parses `0x` followed by 1–16 hex digits.
package func parseHexMask(_ token: some StringProtocol) -> UInt64? {
  let utf8 = Array(token.utf8)
  guard utf8.count > 2, utf8.count <= 18, utf8[0] == UInt8(ascii: "0"),
    utf8[1] | 0x20 == UInt8(ascii: "x")
  else { return nil }
  var value: UInt64 = 0
  for byte in utf8[2...] {
    guard let digit = hexDigitValue(byte) else { return nil }
    value = value << 4 | UInt64(digit)
  }
  return value
}
