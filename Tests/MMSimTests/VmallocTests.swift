import MMCore
import MMSim
import MMText
import Testing

/// vmalloc's failure paths and their messages per version.
@Suite(.timeLimit(.minutes(2)))
struct VmallocTests {
  @Test(arguments: [("5.15.0", true), ("4.19.60", false)])
  func moreThanTotalRAMFailsAtOnce(kernel: String, modern: Bool) throws {
    var machine = try SlowPathTests.machine(kernel: kernel)
    let size = 128 << 20
    let outcome = machine.vmalloc(size: size, mask: try SlowPathTests.mask(.kernel, kernel))
    #expect(
      outcome == .failed(modern ? .exceedsTotalPages(size: size) : .allocationFailure(bytes: size)))
  }

  @Test func smallAreasSucceedAndTakeTheirPageArray() throws {
    var machine = try SlowPathTests.machine()
    let outcome = machine.vmalloc(size: 3 * 4096 + 1, mask: try SlowPathTests.mask(.kernel))
    guard case .allocated(let pages, let array) = outcome else {
      Issue.record("expected success, got \(outcome)")
      return
    }
    #expect(pages.count == 4)
    #expect(array.count == 1)
  }

  @Test func aPageFailureOn6_1PrintsThePagesMessage() throws {
    var machine = try SlowPathTests.machine()
    // Memory full down to the (boosted) min watermark but for 1024 pages: the page array (4
    // pages) fits, the 2048 pages of 8 MiB do not.
    let kernelMask = try SlowPathTests.mask(.kernel)
    let spare = (0..<1024).compactMap { _ in machine.allocate(order: 0, mask: kernelMask).allocation
    }
    try SlowPathTests.fill(&machine, with: .kernel)
    for block in spare { machine.memory.free(block.pfn, order: 0) }
    for zone in 0..<2 { machine.memory.drainAllPerCPU(zone: zone) }
    let mask = try SlowPathTests.mask(.kernel, extra: [.retryMayFail])
    let size = 8 << 20
    let free = machine.memory.freePages(zone: 1)
    #expect(
      machine.vmalloc(size: size, mask: mask)
        == .failed(.pagesAllocationFailed(size: size, order: 0)))
    // The pages it got were given back.
    machine.memory.drainAllPerCPU(zone: 1)
    #expect(machine.memory.freePages(zone: 1) == free)
    let header = WarnAllocHeader(
      kernel: mask.kernel, comm: "modprobe",
      message: .vmalloc(.pagesAllocationFailed(size: size, order: 0)),
      order: nil, gfpMask: mask.rawValue)
    var text = ""
    header.render(into: &text)
    #expect(
      text.hasPrefix(
        "modprobe: vmalloc error: size 8388608, page order 0, failed to allocate pages, mode:0x4cc0(GFP_KERNEL|__GFP_RETRY_MAYFAIL)"
      ))
  }

  @Test func aFullVmallocAreaFailsTheVirtualRange() throws {
    var machine = try SlowPathTests.machine(kernel: "6.1.0")
    let outcome = machine.vmalloc(
      size: 40960, mask: try SlowPathTests.mask(.kernel), vmallocSpacePages: 8)
    #expect(outcome == .failed(.vmStructAllocationFailed(size: 40960)))
  }
}
