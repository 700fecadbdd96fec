internal import Glibc

/// Where a log's bytes come from: a file, standard input, a gzip stream, memory.
///
/// A source hands out the log in pieces of any size; the reader
/// (``ReportWindows``) never holds more than a few chunks of it.
public protocol LogSource {
  /// The log's name, for errors.
  var path: String { get }

  /// Reads the next bytes into `buffer`.
  ///
  /// - Returns: how many bytes were read, 0 at the end of the log.
  /// - Throws: ``LogInputError`` when reading fails.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> Int
}

/// `strerror(errno)`.
func errorText(_ errno: Int32) -> String {
  guard let text = strerror(errno) else { return "errno \(errno)" }
  return String(cString: text)
}
