/// A log held in memory, handed out at most `readSize` bytes at a time (tests use small sizes
/// so that lines and reports cross chunk boundaries).
public struct MemoryLogSource: LogSource {
  /// The log's name, for errors.
  public let path: String
  private let bytes: [UInt8]
  private let readSize: Int
  private var position = 0

  /// Creates a source over `bytes`.
  public init(_ bytes: [UInt8], path: String = "log", readSize: Int = .max) {
    self.path = path
    self.bytes = bytes
    self.readSize = max(readSize, 1)
  }

  /// Copies the next bytes out.
  public mutating func read(
    into buffer: UnsafeMutableRawBufferPointer
  ) throws(LogInputError) -> Int {
    let count = min(buffer.count, readSize, bytes.count - position)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBytes { source in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
    }
    position += count
    return count
  }
}
