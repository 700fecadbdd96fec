/// Why a log could not be read: it could not be opened or read, or its gzip stream is damaged.
public struct LogInputError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Hashable, Sendable {
    /// `open(2)` failed with `errno`.
    case cannotOpen(errno: Int32)
    /// `read(2)` failed with `errno`.
    case cannotRead(errno: Int32)
    /// zlib found data that is not a gzip stream (`reason` is zlib's message).
    case corruptGzip(reason: String)
    /// The input ended inside a gzip member.
    case truncatedGzip
  }

  /// The log's name as given (`-` for standard input).
  public var path: String
  /// What went wrong.
  public var kind: Kind
  /// The byte offset in the file (the compressed stream, for gzip) where it went wrong.
  public var offset: Int?

  /// Creates the error.
  public init(path: String, kind: Kind, offset: Int? = nil) {
    self.path = path
    self.kind = kind
    self.offset = offset
  }

  /// `cannot read <path>: <what went wrong>[ at byte offset N]`.
  public var description: String {
    let what: String
    switch kind {
    case .cannotOpen(let errno), .cannotRead(let errno): what = errorText(errno)
    case .corruptGzip(let reason): what = "corrupt gzip data (\(reason))"
    case .truncatedGzip: what = "gzip stream ends early (truncated file?)"
    }
    return "cannot read \(path): \(what)" + (offset.map { " at byte offset \($0)" } ?? "")
  }
}
