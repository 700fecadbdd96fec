public import MMCore

/// An allocation request `oomlab inspect` tests against a machine's zones: a name for the
/// report and the GFP mask, decoded for the machine's kernel.
public struct AllocationRequest: Hashable, Sendable {
  /// The name the report keys the request by: `GFP_ATOMIC`, or the mask as the user gave it.
  public var name: String
  /// The mask, decoded for the machine's kernel.
  public var mask: GFPMask

  /// Creates a request.
  public init(name: String, mask: GFPMask) {
    self.name = name
    self.mask = mask
  }

  /// The composite masks every report tests, in this order.
  public static let standardNames = [
    "GFP_KERNEL", "GFP_ATOMIC", "GFP_NOWAIT", "GFP_HIGHUSER_MOVABLE", "GFP_DMA32", "GFP_DMA",
  ]

  /// The standard requests (``standardNames``) for `kernel`.
  public static func standard(kernel: KernelVersion) -> [AllocationRequest] {
    standardNames.compactMap { try? AllocationRequest(parsing: $0, kernel: kernel) }
  }

  /// A request given as `--gfp`: names (`GFP_KERNEL|__GFP_COMP`) or hex (`0xa20`, with or
  /// without printed names), decoded for `kernel` with ``GFPQuery``.
  ///
  /// - Throws: ``GFPParseError`` for malformed hex or a name the kernel does not define.
  public init(parsing text: String, kernel: KernelVersion) throws(GFPParseError) {
    let decoding = try GFPQuery(parsing: text).resolve(kernel: kernel)
    self.init(name: text, mask: decoding.mask)
  }
}
