internal import Glibc

/// A log read from a file descriptor with `read(2)`: a file, or standard input.
public final class FileLogSource: LogSource {
  /// The file's path as given, `-` for standard input.
  public let path: String
  private let descriptor: Int32
  private let closesDescriptor: Bool
  private var offset = 0

  /// Opens the file at `path` for reading.
  ///
  /// - Throws: ``LogInputError`` with `cannotOpen` when `open(2)` fails.
  public init(path: String) throws(LogInputError) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw LogInputError(path: path, kind: .cannotOpen(errno: errno))
    }
    self.path = path
    self.descriptor = descriptor
    closesDescriptor = true
  }

  /// Standard input, named `-` in errors.
  public init(standardInputNamed path: String = "-") {
    self.path = path
    descriptor = STDIN_FILENO
    closesDescriptor = false
  }

  deinit {
    if closesDescriptor { close(descriptor) }
  }

  /// Reads with `read(2)`, retrying when interrupted.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> Int {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    while true {
      let count = Glibc.read(descriptor, base, buffer.count)
      if count >= 0 {
        offset += count
        return count
      }
      if errno == EINTR { continue }
      throw LogInputError(path: path, kind: .cannotRead(errno: errno), offset: offset)
    }
  }
}
