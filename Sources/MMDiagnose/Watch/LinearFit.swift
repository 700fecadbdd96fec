/// A least-squares straight line through (time, value) points: value ≈ level + slope × (time −
/// the last time), so that ``level`` is the line's value at the newest point.
///
/// `oomlab watch` fits one over a sliding window of samples for MemFree, MemAvailable + SwapFree
/// and each task's RSS and swap, and extrapolates it to predict when a threshold is crossed.
public struct LinearFit: Hashable, Sendable {
  /// Change per second.
  public var slope: Double
  /// The line's value at ``lastTime``.
  public var level: Double
  /// The newest point's time, in seconds.
  public var lastTime: Double
  /// How many points the line was fitted to.
  public var samples: Int
  /// The seconds from the oldest point to the newest.
  public var span: Double

  /// Fits a line to the points by ordinary least squares.
  ///
  /// - Returns: `nil` with fewer than two points or when every point has the same time (no
  ///   slope can be told).
  /// - Complexity: O(*n*).
  public init?(_ points: [(time: Double, value: Double)]) {
    guard points.count >= 2, let last = points.map(\.time).max(),
      let first = points.map(\.time).min()
    else { return nil }
    let count = Double(points.count)
    // Times relative to the newest one keep the sums small for epoch clocks.
    let meanTime = points.reduce(0) { $0 + ($1.time - last) } / count
    let meanValue = points.reduce(0) { $0 + $1.value } / count
    var covariance = 0.0
    var variance = 0.0
    for point in points {
      let dt = point.time - last - meanTime
      covariance += dt * (point.value - meanValue)
      variance += dt * dt
    }
    guard variance > 0 else { return nil }
    slope = covariance / variance
    level = meanValue - slope * meanTime
    lastTime = last
    self.samples = points.count
    span = last - first
  }

  /// The seconds after ``lastTime`` at which the falling line reaches `threshold` (0 when the
  /// line is already below it), or `nil` when the line is flat or rising (or falls so slowly
  /// that the time is not a finite number).
  public func secondsUntilFalling(to threshold: Double) -> Double? {
    guard slope < 0 else { return nil }
    let seconds = max((threshold - level) / slope, 0)
    return seconds.isFinite ? seconds : nil
  }
}
