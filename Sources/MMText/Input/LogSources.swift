/// Opening logs by path, plain or gzip-compressed.
public enum LogSources {
  /// The two bytes every gzip member starts with (RFC 1952 §2.3.1).
  public static let gzipMagic: [UInt8] = [0x1f, 0x8b]

  /// Opens the log at `path` (`-`: standard input), inflating it when it starts with gzip's
  /// magic bytes whatever its name.
  ///
  /// - Throws: ``LogInputError`` when the file cannot be opened or read.
  public static func open(_ path: String) throws(LogInputError) -> any LogSource {
    let file = path == "-" ? FileLogSource(standardInputNamed: path) : try FileLogSource(path: path)
    return try decompressing(file)
  }

  /// `source`, inflated when it starts with gzip's magic bytes.
  ///
  /// - Throws: ``LogInputError`` when reading its first bytes fails.
  public static func decompressing(_ source: any LogSource) throws(LogInputError) -> any LogSource {
    var source = source
    var head: [UInt8] = []
    var byte: [UInt8] = [0]
    while head.count < gzipMagic.count {
      let count = try byte.withUnsafeMutableBytes { buffer in
        Result { () throws(LogInputError) in try source.read(into: buffer) }
      }.get()
      if count == 0 { break }
      head.append(byte[0])
    }
    let replayed = PrefixedLogSource(prefix: head, rest: source)
    return head == gzipMagic ? GzipLogSource(inflating: replayed) : replayed
  }
}

/// A source whose first bytes were already read (to look at them): they are handed out again
/// before the rest.
struct PrefixedLogSource: LogSource {
  let prefix: [UInt8]
  var rest: any LogSource
  private var position = 0

  init(prefix: [UInt8], rest: any LogSource) {
    self.prefix = prefix
    self.rest = rest
  }

  var path: String { rest.path }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> Int {
    guard position < prefix.count else { return try rest.read(into: buffer) }
    let count = min(buffer.count, prefix.count - position)
    for k in 0..<count { buffer[k] = prefix[position + k] }
    position += count
    return count
  }
}
