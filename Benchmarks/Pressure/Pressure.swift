import Benchmark
import MMCore
import MMSim
import _MMUtilities

/// A memory-pressure workload on a 16 GiB x86_64 machine (6.1 rules, 4 GiB swap).
///
/// Page cache fills memory, anonymous memory grows, order-3 GFP_ATOMIC bursts come and go. Each measured
/// operation is one `allocate()` through the fast and slow paths (every 65536th also lets kswapd
/// and kcompactd run); the custom metrics give the share of wall time spent in allocations that
/// reclaimed or compacted, and in kswapd or kcompactd, per mille. Memory is
/// filled with page cache before measuring.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    scalingFactor: .mega, maxDuration: .seconds(30), maxIterations: 5)

  let kernel = (try? KernelVersion(parsing: "6.1.0")) ?? .newestKnown
  let dialect = GFPDialect(kernel: kernel)
  func mask(_ composite: GFPComposite, _ extra: GFPFlags = []) -> GFPMask {
    GFPMask(
      rawValue: (dialect.rawValue(of: composite) ?? 0) | dialect.rawValue(for: extra),
      kernel: kernel)
  }
  let movable = mask(.highuserMovable)
  let atomic = mask(.atomic, [.comp])
  let reclaimShare = BenchmarkMetric.custom("reclaim share (‰)", useScalingFactor: false)
  let compactionShare = BenchmarkMetric.custom("compaction share (‰)", useScalingFactor: false)

  Benchmark(
    "pressure: cache + anon + order-3 atomic bursts, 16 GiB",
    configuration: .init(metrics: [.wallClock, .throughput, reclaimShare, compactionShare])
  ) { benchmark in
    var machine = SimulatedMachine(
      layout: .fromRAM(16 << 30, architecture: .x86_64), rules: AllocatorRules(kernel: kernel),
      boot: .init(swapPages: 1 << 20))
    var random = SplitMix64(seed: 7)
    // Setup: page cache fills memory down to the low watermarks, so the measured phase runs
    // under pressure from its first allocation.
    while let block = machine.memory.allocateFastPath(order: 0, mask: movable) {
      machine.memory.setUse(block.pfn, .file)
    }
    var burst: [Allocation] = []
    let clock = ContinuousClock()
    var reclaiming = Duration.zero
    var compacting = Duration.zero
    let start = clock.now
    benchmark.startMeasurement()
    for i in benchmark.scaledIterations {
      let began = clock.now
      let attempt: AllocationAttempt
      if i % 512 < 8 {
        attempt = machine.allocate(order: 3, mask: atomic)
        if let block = attempt.allocation { burst.append(block) }
      } else {
        attempt = machine.allocate(
          order: 0, mask: movable, use: random.next() % 4 == 0 ? .anon : .file)
      }
      if i % 512 == 511 {
        for block in burst { machine.memory.free(block.pfn, order: block.order) }
        burst.removeAll(keepingCapacity: true)
      }
      if i % 65536 == 65535 {
        // kswapd and kcompactd get the CPU now and then; in between, allocations reclaim and
        // compact directly.
        let kswapdBegan = clock.now
        _ = machine.runKswapd()
        let kcompactdBegan = clock.now
        _ = machine.runKcompactd()
        reclaiming += kcompactdBegan - kswapdBegan
        compacting += clock.now - kcompactdBegan
        continue
      }
      let spent = clock.now - began
      if attempt.steps.contains(where: { if case .directCompaction = $0 { true } else { false } }) {
        compacting += spent
      } else if attempt.steps.contains(where: {
        if case .directReclaim = $0 { true } else { false }
      }) {
        reclaiming += spent
      }
    }
    benchmark.stopMeasurement()
    let total = clock.now - start
    func perMille(_ part: Duration) -> Int {
      Int(part / total * 1000)
    }
    benchmark.measurement(reclaimShare, perMille(reclaiming))
    benchmark.measurement(compactionShare, perMille(compacting))
  }
}
