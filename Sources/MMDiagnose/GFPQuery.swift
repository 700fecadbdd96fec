public import MMCore
internal import _MMUtilities

/// A GFP mask someone asked about, in any of the forms people paste: `0x2084020`,
/// `0x2084020(GFP_ATOMIC|__GFP_COMP)`, `mode:0x…(…)`, or names such as `GFP_KERNEL|__GFP_COMP`.
///
/// Resolving a query picks the kernel whose rules apply: the one given, else the kernels whose
/// `%pGg` table renders the hex as the printed names, else the newest kernel oomlab knows.
public struct GFPQuery: Hashable, Sendable {
  /// The hex value, when one was given.
  public var rawValue: UInt64?
  /// The names: printed after the hex, or given alone.
  public var names: String?

  /// Reads a query.
  ///
  /// A leading field name (`mode:`, `gfp_mask=`, `gfp_flags=`, `gfp=`, `mask=`)
  /// is ignored.
  ///
  /// - Throws: ``GFPParseError`` for malformed hex or an unclosed parenthesis.
  public init(parsing input: String) throws(GFPParseError) {
    var text = input.trimmingASCIIWhitespace()
    for field in ["mode:", "gfp_mask=", "gfp_flags=", "gfp=", "mask="] where text.hasPrefix(field) {
      text.removeFirst(field.count)
      break
    }
    guard text.hasPrefix("0x") || text.hasPrefix("0X") else {
      rawValue = nil
      names = text
      return
    }
    let hex: Substring
    if let open = text.firstIndex(of: "(") {
      hex = text[..<open]
      guard text.hasSuffix(")") else {
        throw GFPParseError(token: String(text[open...]), reason: "unclosed '(' after the mask")
      }
      names = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
    } else {
      hex = Substring(text)
      names = nil
    }
    guard let value = parseHexMask(hex) else {
      throw GFPParseError(
        token: String(hex), reason: "malformed hex: expected 0x and 1 to 16 hex digits")
    }
    rawValue = value
  }

  /// Decodes the query for `kernel`, or for the kernel its printed names point to.
  ///
  /// - Throws: ``GFPParseError`` for a name the kernel does not define, or when the printed names
  ///   fit no kernel oomlab knows and no kernel was given.
  public func resolve(kernel: KernelVersion?, order: Int = 0) throws(GFPParseError) -> GFPDecoding {
    if let kernel {
      let dialect = GFPDialect(kernel: kernel)
      let raw = try rawValue(in: dialect)
      let mask = GFPMask(rawValue: raw, kernel: kernel, dialect: dialect)
      var mismatch: String?
      if rawValue != nil, let printed = names, dialect.printsNames, mask.names != printed {
        mismatch = printed
      }
      return GFPDecoding(
        mask: mask, order: order, kernelSource: .given, fittingKernels: nil,
        printedNamesMismatch: mismatch)
    }
    if let raw = rawValue, let printed = names {
      let fits = GFPDialect.candidates(rawValue: raw, printedNames: printed)
      guard let newest = fits.last(where: { $0.quirk == nil }) ?? fits.last else {
        throw GFPParseError(
          token: printed, reason: "no known kernel prints 0x\(String(raw, radix: 16)) this way")
      }
      let kernel = KernelVersion(newest.era.first.major, newest.era.first.minor)
      return GFPDecoding(
        mask: GFPMask(rawValue: raw, kernel: kernel, dialect: newest), order: order,
        kernelSource: .inferred, fittingKernels: GFPDialect.releaseSpans(of: fits),
        printedNamesMismatch: nil)
    }
    let kernel = KernelVersion.newestKnown
    let dialect = GFPDialect(kernel: kernel)
    let raw = try rawValue(in: dialect)
    return GFPDecoding(
      mask: GFPMask(rawValue: raw, kernel: kernel, dialect: dialect), order: order,
      kernelSource: .newestKnown, fittingKernels: nil, printedNamesMismatch: nil)
  }
}

extension GFPQuery {
  /// The hex value, or the names parsed in `dialect`.
  private func rawValue(in dialect: GFPDialect) throws(GFPParseError) -> UInt64 {
    if let rawValue { return rawValue }
    return try dialect.parseNames(names ?? "")
  }
}

/// A resolved ``GFPQuery``: the decoded mask and how its kernel was chosen.
public struct GFPDecoding: Hashable, Sendable {
  /// How the kernel whose rules apply was chosen.
  public enum KernelSource: String, Hashable, Sendable, Codable {
    /// Given by the user (`--kernel`).
    case given
    /// Inferred from the printed names.
    case inferred
    /// None given or printed: the newest kernel oomlab knows.
    case newestKnown
  }

  /// The decoded mask.
  public var mask: GFPMask
  /// The request's order.
  public var order: Int
  /// How ``mask``'s kernel was chosen.
  public var kernelSource: KernelSource
  /// When inferred: every release span whose kernels print the mask this way.
  public var fittingKernels: String?
  /// When a kernel was given and the printed names differ from its rendering: the printed names.
  public var printedNamesMismatch: String?

  /// The plain-words meaning of the mask.
  public var explanation: GFPExplanation { GFPExplanation(mask: mask, order: order) }

  /// A line saying which kernel's rules were used, and why.
  public var kernelLine: String {
    let dialect = mask.dialect
    switch kernelSource {
    case .given:
      var line = "kernel \(mask.kernel): GFP bits of \(dialect.era.layout.releases), "
      line +=
        dialect.printsNames ? "names as \(dialect.era.releases) print them" : "printed as hex only"
      return line
    case .inferred:
      return "kernel not given: the printed names fit kernels \(fittingKernels ?? "?"); "
        + "decoded as \(dialect.era.releases)"
    case .newestKnown:
      return "kernel not given: decoded for the newest layout (\(dialect.era.releases)); "
        + "pass --kernel for another"
    }
  }
}
