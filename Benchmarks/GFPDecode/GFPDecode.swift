import Benchmark
import MMCore
import _MMUtilities

/// Decoding GFP masks: `%pGg` rendering and the meaning, over 1 M masks per measured iteration
/// block (`scalingFactor: .mega`), for a 6.1 kernel (the ground-truth machines) and 4.9 (the seed
/// board).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    scalingFactor: .mega,
    maxDuration: .seconds(10),
    maxIterations: 10)

  /// 1,024 masks shaped like those in real logs: a composite of the kernel's table plus zero to
  /// three single flags, drawn with a fixed seed.
  func sampleMasks(for dialect: GFPDialect) -> [UInt64] {
    var random = SplitMix64(seed: 0x6f6f_6d6c_6162)
    func next() -> UInt64 { random.next() }
    let composites = dialect.nameTable.filter { $0.mask.nonzeroBitCount > 1 }.map(\.mask)
    let singles = dialect.nameTable.filter { $0.mask.nonzeroBitCount == 1 }.map(\.mask)
    return (0..<1024).map { _ in
      var mask = composites[Int(next() % UInt64(composites.count))]
      for _ in 0..<(next() % 4) { mask |= singles[Int(next() % UInt64(singles.count))] }
      return mask
    }
  }

  for release in ["6.1.0-56-amd64", "4.9.56"] {
    guard let kernel = try? KernelVersion(parsing: release) else { continue }
    let dialect = GFPDialect(kernel: kernel)
    let masks = sampleMasks(for: dialect)

    Benchmark("names(of:) %pGg, \(release)") { benchmark in
      for i in benchmark.scaledIterations { blackHole(dialect.names(of: masks[i & 1023])) }
    }

    Benchmark("GFPMask decode + meaning, \(release)") { benchmark in
      for i in benchmark.scaledIterations {
        let mask = GFPMask(rawValue: masks[i & 1023], kernel: kernel, dialect: dialect)
        blackHole(mask.zone)
        blackHole(mask.migrateType)
        blackHole(mask.slowPathAllocFlags(order: 0))
      }
    }
  }
}
