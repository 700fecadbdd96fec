internal import CZlib

/// A gzip-compressed log (`kern.log.2.gz`), inflated as it is read with the system zlib.
///
/// Concatenated gzip members (what `cat a.gz b.gz` and some log rotators write) are read one
/// after another as one log, as `gzip -d` does.
public final class GzipLogSource: LogSource {
  /// The compressed log's name.
  public var path: String { compressed.path }
  private var compressed: any LogSource
  private let stream: UnsafeMutablePointer<z_stream>
  private let input: UnsafeMutableRawBufferPointer
  /// Compressed bytes consumed by the members that ended.
  private var finishedMembersSize = 0
  private var inputEnded = false
  private var inMember = false

  /// The size of the compressed reads.
  private static let inputSize = 256 * 1024

  /// Inflates `compressed`, which must start with a gzip member.
  public init(inflating compressed: any LogSource) {
    self.compressed = compressed
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    input = .allocate(byteCount: Self.inputSize, alignment: 16)
    // 15 + 16: the largest window, gzip framing only.
    inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
    input.deallocate()
  }

  /// Inflates the next bytes into `buffer`.
  ///
  /// - Throws: ``LogInputError`` with `corruptGzip` at data zlib rejects, `truncatedGzip` when
  ///   the input ends inside a member (both with the compressed byte offset), or the compressed
  ///   source's own error.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> Int {
    guard let out = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    while true {
      if stream.pointee.avail_in == 0, !inputEnded {
        let count = try compressed.read(into: input)
        if count == 0 {
          inputEnded = true
        } else {
          stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
          stream.pointee.avail_in = uInt(count)
        }
      }
      if stream.pointee.avail_in == 0, inputEnded {
        guard !inMember else { throw error(.truncatedGzip) }
        return 0
      }
      inMember = true
      stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_out = uInt(buffer.count)
      let status = inflate(stream, Z_NO_FLUSH)
      let produced = buffer.count - Int(stream.pointee.avail_out)
      switch status {
      case Z_STREAM_END:
        // The member ended; another may follow.
        finishedMembersSize += Int(stream.pointee.total_in)
        inMember = false
        inflateReset(stream)
      case Z_OK, Z_BUF_ERROR:
        break
      default:
        let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
        throw error(.corruptGzip(reason: reason))
      }
      if produced > 0 { return produced }
    }
  }

  /// An error at the compressed byte reached so far.
  private func error(_ kind: LogInputError.Kind) -> LogInputError {
    LogInputError(
      path: path, kind: kind, offset: finishedMembersSize + Int(stream.pointee.total_in))
  }
}
