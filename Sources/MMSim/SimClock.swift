/// The simulation's virtual clock: the only time the engine knows.
///
/// Time advances only when the engine says so, so the same scenario and seed give byte-identical
/// output. The value prints as the kernel log's `[%5lu.%06lu]` timestamp.
public struct SimClock: Hashable, Sendable {
  /// Nanoseconds since simulated boot.
  public private(set) var nanoseconds: UInt64 = 0

  /// A clock at simulated boot.
  public init() {}

  /// Moves the clock forward by `delta` nanoseconds.
  public mutating func advance(byNanoseconds delta: UInt64) { nanoseconds &+= delta }

  /// The kernel log timestamp of the current time: `[    4.744236]` (`printk`'s
  /// `[%5lu.%06lu]`, microseconds).
  public var logTimestamp: String {
    let seconds = String(nanoseconds / 1_000_000_000)
    let micros = String(nanoseconds / 1_000 % 1_000_000)
    let paddedSeconds = String(repeating: " ", count: max(0, 5 - seconds.count)) + seconds
    let paddedMicros = String(repeating: "0", count: 6 - micros.count) + micros
    return "[" + paddedSeconds + "." + paddedMicros + "]"
  }
}
