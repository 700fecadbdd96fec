internal import MMCore

/// `oomlab watch`'s state: the last samples of a machine, a sliding window the trends are
/// fitted over.
///
/// Each ``record(_:)`` adds a sample, drops the oldest beyond ``window``, and reports the sample
/// with the trends and predictions of the window (``WatchReport``). Only the figures the fits
/// need are kept, not the whole sample.
public struct MemoryWatch: Sendable {
  /// The most samples a fit spans.
  public let window: Int
  /// The samples in the window, oldest first.
  private var points: [Point] = []
  /// Samples recorded so far.
  private var recorded = 0

  /// What the fits need of one sample, in kB.
  struct Point {
    var time: Double
    var memFree: Int?
    var memAvailable: Int?
    /// MemAvailable + SwapFree (SwapFree 0 when not printed).
    var headroom: Int?
    var tasks: [Int: TaskPoint]
  }

  /// One task in one sample.
  struct TaskPoint {
    var comm: String
    var rss: Int
    var swap: Int
  }

  /// Creates an empty watch.
  ///
  /// - Parameter window: the most samples a fit spans; at least 2.
  public init(window: Int = 12) {
    precondition(window >= 2, "a trend needs a window of at least 2 samples")
    self.window = window
  }

  /// The least-squares fits over the window.
  struct Fits {
    var memFree: LinearFit?
    var memAvailable: LinearFit?
    var headroom: LinearFit?
  }

  /// Adds a sample and reports it with the window's trends and predictions.
  ///
  /// - Complexity: O(*window* × *tasks*).
  public mutating func record(_ sample: WatchSample) -> WatchReport {
    recorded += 1
    points.append(Self.point(sample))
    if points.count > window { points.removeFirst(points.count - window) }
    let memInfo = sample.memInfo
    let fits = Fits(
      memFree: fit(\.memFree), memAvailable: fit(\.memAvailable), headroom: fit(\.headroom))
    var report = WatchReport(
      sample: recorded, time: rounded(sample.time), source: sample.source,
      memFreeKB: memInfo?.memFree, memAvailableKB: memInfo?.memAvailable,
      swapFreeKB: memInfo?.swapFree, zones: Self.zones(sample), topGrowers: growers(),
      trend: nil, predictions: nil)
    // MemFree is in every kernel's meminfo; MemAvailable only from 3.14.
    if let memFree = fits.memFree {
      report.trend = WatchReport.Trend(
        samples: memFree.samples, seconds: rounded(memFree.span),
        memFreeKBPerSecond: rounded(memFree.slope),
        memAvailableKBPerSecond: fits.memAvailable.map { rounded($0.slope) },
        headroomKBPerSecond: fits.headroom.map { rounded($0.slope) })
      report.predictions = predictions(sample, fits: fits)
    }
    return report
  }

  /// The fit of one figure over the window's samples that have it.
  private func fit(_ figure: KeyPath<Point, Int?>) -> LinearFit? {
    LinearFit(
      points.compactMap { point in point[keyPath: figure].map { (point.time, Double($0)) } })
  }

  /// The fit of a task's RSS (or swap) over the window's samples where the same pid had the
  /// same name.
  func taskFit(pid: Int, comm: String, _ figure: KeyPath<TaskPoint, Int>) -> LinearFit? {
    LinearFit(
      points.compactMap { point in
        point.tasks[pid].flatMap {
          $0.comm == comm ? (point.time, Double($0[keyPath: figure])) : nil
        }
      })
  }

  private static func point(_ sample: WatchSample) -> Point {
    let memInfo = sample.memInfo
    var tasks: [Int: TaskPoint] = [:]
    for process in sample.processes {
      guard let status = process.status, let rss = status.vmRSS else { continue }
      tasks[process.pid] = TaskPoint(
        comm: process.comm ?? status.name ?? "", rss: rss, swap: status.vmSwap ?? 0)
    }
    return Point(
      time: sample.time, memFree: memInfo?.memFree, memAvailable: memInfo?.memAvailable,
      headroom: memInfo?.memAvailable.map { $0 &+ (memInfo?.swapFree ?? 0) }, tasks: tasks)
  }

  private static func zones(_ sample: WatchSample) -> [WatchReport.Zone] {
    let check = sample.fastPathCheck()
    let entries = (sample.zoneInfo?.entries ?? []).filter { $0.isPopulated || $0.managed > 0 }
    return entries.map { entry in
      let blocks = sample.buddyInfo?.rows.first {
        $0.node == entry.node && $0.zone == entry.zone
      }?.freeBlocks
      return WatchReport.Zone(
        node: entry.node, zone: entry.zone, freePages: entry.free, minPages: entry.min,
        lowPages: entry.low, highPages: entry.high,
        largestFreeOrder: blocks.map { $0.lastIndex { $0 > 0 } ?? -1 },
        highestOrder: check.flatMap {
          $0.orders.highestOrders(of: $0.requests, node: entry.node, zone: entry.zone)
        })
    }
  }

  /// The five tasks whose RSS rises fastest over the window.
  private func growers() -> [WatchReport.Grower] {
    guard let current = points.last else { return [] }
    let growing = current.tasks.compactMap { pid, task -> WatchReport.Grower? in
      guard let fit = taskFit(pid: pid, comm: task.comm, \.rss), rounded(fit.slope) > 0 else {
        return nil
      }
      return WatchReport.Grower(
        pid: pid, comm: task.comm, rssKB: task.rss, swapKB: task.swap,
        rssKBPerSecond: rounded(fit.slope))
    }
    return Array(
      growing.sorted {
        ($0.rssKBPerSecond, $1.pid) > ($1.rssKBPerSecond, $0.pid)
      }.prefix(5))
  }
}

/// A figure rounded to 0.1, as the report prints it.
func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
