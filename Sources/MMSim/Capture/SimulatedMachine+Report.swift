public import MMCore

/// The `page allocation failure` report a simulated machine's kernel prints (`warn_alloc()`):
/// the header in its version's layout, the `CPU:` line, a call trace and `show_mem`.
extension SimulatedMachine {
  /// The report for a failed allocation of `order` with `mask` by task `comm` (`pid`).
  ///
  /// The call trace is the simulator's (function names, no addresses): the real one depends on
  /// the caller.
  public func allocationFailureReport(
    order: Int, mask: GFPMask, comm: String, pid: Int, config: ShowMemConfig? = nil
  ) -> AllocFailureReport {
    let kernel = memory.rules.kernel
    let header = WarnAllocHeader(
      kernel: kernel, comm: comm, message: .pageAllocationFailure, order: order,
      gfpMask: mask.rawValue)
    let task = DumpStackInfo(
      cpu: 0, pid: pid, comm: comm, taint: nil, release: kernel.description, build: "#1")
    let allocator = kernel.isAtLeast(5, 13) ? "__alloc_pages" : "__alloc_pages_nodemask"
    let trace =
      ["Call Trace:"]
      + ["dump_stack", "warn_alloc", "__alloc_pages_slowpath", allocator]
      .map { " \($0)+0x0/0x0" }
    return AllocFailureReport(
      header: header, task: task, trace: trace,
      showMem: showMem(highestZoneIndex: memory.highestZoneIndex(for: mask), config: config))
  }
}
