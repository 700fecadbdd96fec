import Benchmark
import MMCore
import MMSim

/// The buddy allocator's cost per operation on 1 GiB, 16 GiB and 256 GiB x86_64 machines
/// (6.1 rules): order-0 allocate+free pairs (the per-cpu path) and a mixed-order working set.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    scalingFactor: .mega,
    maxDuration: .seconds(10),
    maxIterations: 10)

  let kernel = (try? KernelVersion(parsing: "6.1.0")) ?? .newestKnown
  let kernelMask = GFPMask(rawValue: 0xcc0, kernel: kernel)
  let movableMask = GFPMask(rawValue: 0x100cca, kernel: kernel)

  for gib in [1, 16, 256] {
    Benchmark("order-0 alloc+free pair, \(gib) GiB") { benchmark in
      var memory = PhysicalMemory(
        layout: .fromRAM(gib << 30, architecture: .x86_64), rules: AllocatorRules(kernel: kernel))
      let flags = memory.fastPathFlags(for: kernelMask)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        if let block = memory.allocateFromFreelist(order: 0, mask: kernelMask, flags: flags) {
          memory.free(block.pfn, order: 0)
        }
      }
      benchmark.stopMeasurement()
      blackHole(memory.freePages(zone: 1))
    }

    Benchmark("mixed-order alloc or free (orders 0-10, 4096 held), \(gib) GiB") { benchmark in
      var memory = PhysicalMemory(
        layout: .fromRAM(gib << 30, architecture: .x86_64), rules: AllocatorRules(kernel: kernel))
      var held = [Allocation?](repeating: nil, count: 4096)
      var state: UInt64 = 0x6f6f_6d6c_6162
      let orders = [0, 0, 0, 0, 1, 2, 3, 4, 9, 10]
      let flags = memory.fastPathFlags(for: movableMask)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        state &+= 0x9e37_79b9_7f4a_7c15
        let slot = Int(state >> 52)
        if let block = held[slot] {
          memory.free(block.pfn, order: block.order)
          held[slot] = nil
        } else {
          let order = orders[Int((state >> 20) % 10)]
          held[slot] = memory.allocateFromFreelist(order: order, mask: movableMask, flags: flags)
        }
      }
      benchmark.stopMeasurement()
      blackHole(memory.freePages(zone: 1))
    }
  }
}
