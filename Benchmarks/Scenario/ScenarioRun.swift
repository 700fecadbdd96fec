import Benchmark
import Foundation
import MMSim

/// `Scenario.play()` end to end: the bundled seed case (1 GiB, 4.9) played in full, and an hour
/// of a 16 GiB x86_64 desktop on 6.1 (`desktop-16g-hour.yaml` beside this file).
///
/// Both scenario files are read from the source tree (paths relative to this file), so the seed
/// case measured is the one `oomlab run` ships. Loading the YAML is not measured. The desktop
/// run also reports how many virtual seconds it plays per wall-clock second.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
    maxDuration: .seconds(60), maxIterations: 10)

  let speed = BenchmarkMetric.custom(
    "virtual s per wall s", polarity: .prefersLarger, useScalingFactor: false)

  Benchmark("seed-cma-leak played in full (1 GiB, 4.9)") { benchmark throws in
    let scenario = try ScenarioFile.load("../../Sources/oomlab/scenarios/seed-cma-leak.yaml")
    benchmark.startMeasurement()
    let record = try scenario.play()
    benchmark.stopMeasurement()
    blackHole(record.samples.count)
  }

  Benchmark(
    "desktop-16g-hour: 1 virtual hour, 16 GiB x86_64 (6.1)",
    configuration: .init(
      metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, speed],
      maxDuration: .seconds(300), maxIterations: 3)
  ) { benchmark throws in
    let scenario = try ScenarioFile.load("desktop-16g-hour.yaml")
    let clock = ContinuousClock()
    let start = clock.now
    benchmark.startMeasurement()
    let record = try scenario.play()
    benchmark.stopMeasurement()
    let wall = clock.now - start
    let virtual = Duration.nanoseconds(Int64(record.endNanoseconds))
    benchmark.measurement(speed, Int((virtual / wall).rounded()))
  }
}

/// A scenario file of the source tree, found relative to this file.
private enum ScenarioFile {
  /// Loads the scenario at `path` (relative to this file's folder).
  static func load(_ path: String) throws -> Scenario {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent(path)
    let text = try String(contentsOf: url, encoding: .utf8)
    return try Scenario(yaml: text, file: url.lastPathComponent)
  }
}
