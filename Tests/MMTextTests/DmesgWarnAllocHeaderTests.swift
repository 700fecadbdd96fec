import MMCore
import MMText
import Testing

/// The warn_alloc header in each historical layout: rendered from values, parsed back.
struct DmesgWarnAllocHeaderTests {
  typealias Layout = WarnAllocHeader.Layout

  @Test(arguments: [
    ("2.6.16", Layout.v2_6), ("2.6.38.8", .v2_6), ("2.6.39", .v2_6_39), ("3.10.0", .v2_6_39),
    ("4.3.6", .v2_6_39), ("4.4.114", .v4_4), ("4.5.7", .v4_4), ("4.6.2", .v4_6), ("4.8.17", .v4_6),
    ("4.9.56", .v4_9), ("4.10.17", .v4_9), ("4.11.0", .v4_11), ("4.20.0", .v4_11), ("5.0.1", .v5_0),
    ("6.12.39", .v5_0),
  ])
  func picksTheLayoutFromTheRelease(release: String, layout: Layout) throws {
    #expect(Layout(kernel: try KernelVersion(parsing: release)) == layout)
  }

  /// One header per layout, built with `init(kernel:…)`; masks and names as real logs of those
  /// releases print them.
  static let examples: [(String, WarnAllocHeader.Message, Int?, UInt64, String?, String)] = [
    (
      "2.6.32", .pageAllocationFailure, 4, 0xd0, "/",
      "gnome-shell: page allocation failure. order:4, mode:0xd0\n"
    ),
    (
      "3.7.10", .pageAllocationFailure, 4, 0xc0d0, "/",
      "gnome-shell: page allocation failure: order:4, mode:0xc0d0\n"
    ),
    (
      "4.4.114", .vmalloc(.allocationFailure(bytes: 17_178_820_608)), 0, 0x24000c2, "/",
      "vmalloc: allocation failure: 17178820608 bytes\n"
        + "gnome-shell: page allocation failure: order:0, mode:0x24000c2\n"
    ),
    (
      "4.6.2", .vmalloc(.partialAllocation(allocated: 4_097_114_112, requested: 17_179_934_720)),
      0, 0x2080020, "/",
      "vmalloc: allocation failure, allocated 4097114112 of 17179934720 bytes\n"
        + "gnome-shell: page allocation failure: order:0, mode:0x2080020(GFP_ATOMIC)\n"
    ),
    (
      "4.9.56", .pageAllocationFailure, 10, 0x2084020, "/",
      "gnome-shell: page allocation failure: order:10, mode:0x2084020(GFP_ATOMIC|__GFP_COMP)\n"
    ),
    (
      "4.9.56", .pageAllocationStalls(milliseconds: 10_008), 0, 0x2084020, "/",
      "gnome-shell: page allocation stalls for 10008ms, order:0, mode:0x2084020(GFP_ATOMIC|__GFP_COMP)\n"
    ),
    (
      "4.14.158", .pageAllocationFailure, 0, 0x1080020, nil,
      "gnome-shell: page allocation failure: order:0, mode:0x1080020(GFP_ATOMIC), nodemask=(null)\n"
    ),
    (
      "4.19.69", .vmalloc(.partialAllocation(allocated: 8192, requested: 20480)), nil, 0x7080c0,
      "/",
      "gnome-shell: vmalloc: allocation failure, allocated 8192 of 20480 bytes, "
        + "mode:0x7080c0(GFP_KERNEL_ACCOUNT|__GFP_ZERO), nodemask=(null)\n"
        + "gnome-shell cpuset=/ mems_allowed=0\n"
    ),
    (
      "5.10.2", .pageAllocationFailure, 5, 0x40dc0, "lxc.payload.openwrt",
      "gnome-shell: page allocation failure: order:5, mode:0x40dc0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO), "
        + "nodemask=(null),cpuset=lxc.payload.openwrt,mems_allowed=0\n"
    ),
    (
      "6.0.0", .vmalloc(.vmStructAllocationFailed(size: 16384)), nil, 0xcc0, "/",
      "gnome-shell: vmalloc error: size 16384, vm_struct allocation failed, mode:0xcc0(GFP_KERNEL), "
        + "nodemask=(null),cpuset=/,mems_allowed=0\n"
    ),
    (
      "6.1.0", .vmalloc(.pagesAllocationFailed(size: 65536, order: 2)), nil, 0xa20, nil,
      "gnome-shell: vmalloc error: size 65536, page order 2, failed to allocate pages, "
        + "mode:0xa20(GFP_ATOMIC), nodemask=(null)\n"
    ),
  ]

  @Test(arguments: examples)
  func rendersAndParsesEachLayout(
    release: String, message: WarnAllocHeader.Message, order: Int?, mask: UInt64,
    cpuset: String?, text: String
  ) throws {
    let kernel = try KernelVersion(parsing: release)
    let header = WarnAllocHeader(
      kernel: kernel, comm: "gnome-shell", message: message, order: order, gfpMask: mask,
      cpuset: cpuset)
    #expect(header.render() == text)
    #expect(try WarnAllocHeader(parsing: text, kernel: kernel) == header)
  }

  @Test func initDropsWhatTheLayoutDoesNotPrint() throws {
    let header = WarnAllocHeader(
      kernel: try KernelVersion(parsing: "4.9.0"), comm: "a",
      message: .vmalloc(.mapFailed(size: 4096)), order: 3, gfpMask: 0, nodemask: "0-1",
      cpuset: "/", memsAllowed: "0-1")
    #expect(header.order == nil)
    #expect(header.nodemask == nil && header.cpuset == nil && header.memsAllowed == nil)
    #expect(header.gfpNames == "")
    // `%#x` prints 0 as `0`; `0x%x` (before 4.6) as `0x0`.
    #expect(header.render() == "a: vmalloc error: size 4096, failed to map pages, mode:0()\n")
    #expect(Layout.v4_4.maskText(0) == "0x0")
  }

  @Test(arguments: [
    "exceeds total pages", "vm_struct allocation failed", "failed to allocated page array size 16",
    "page order 9, failed to allocate pages", "failed to map pages", "something new",
  ])
  func readsEveryVMallocErrorText(text: String) throws {
    let line =
      "insmod: vmalloc error: size 8192, \(text), mode:0xcc0(GFP_KERNEL), nodemask=(null)\n"
    let header = try WarnAllocHeader(parsing: line)
    guard case .vmalloc(let failure) = header.message else {
      Issue.record("not a vmalloc message: \(header.message)")
      return
    }
    #expect(failure.kernelText == "vmalloc error: size 8192, \(text)")
    if text == "something new" { #expect(failure == .other(size: 8192, text: text)) }
    #expect(header.render() == line)
  }

  /// Without a release, text that several layouts print reads as the most common of them.
  @Test(arguments: [
    ("a: page allocation failure: order:1, mode:0xd0", Layout.v2_6_39),
    ("a: page allocation failure: order:1, mode:0x2080020(GFP_ATOMIC)", .v4_9),
    ("a: page allocation failure: order:1, mode:0x820(GFP_ATOMIC), nodemask=(null)", .v5_0),
    (
      "a: page allocation failure: order:1, mode:0x820(GFP_ATOMIC), nodemask=0-1\na cpuset=/ mems_allowed=0",
      .v4_11
    ),
    ("a: page allocation failure. order:1, mode:0xd0", .v2_6),
  ])
  func placesTheLayoutFromTheTextAlone(text: String, layout: Layout) throws {
    #expect(try WarnAllocHeader(parsing: text).layout == layout)
  }

  @Test(arguments: [
    ("", 1, 1, "empty text"),
    ("hello", 1, 1, "expected a warn_alloc header"),
    ("cat: page allocation failure: order:x, mode:0x1", 1, 37, "expected a number"),
    (
      "cat: page allocation failure: order:5", 1, 38,
      "the header ends here; expected ', mode:'"
    ),
    (
      "cat: page allocation failure: order:99999999999999999999, mode:0x1", 1, 37,
      "number too large"
    ),
    ("cat: page allocation failure: order:5, mode:0xq", 1, 47, "expected a hexadecimal number"),
    (
      "cat: page allocation failure: order:5, mode:0x1\nmore", 2, 1,
      "unexpected text after the header"
    ),
    ("cat: page allocation failure: order:5, mode:0x1 junk", 1, 48, "expected ', nodemask'"),
  ])
  func badHeadersThrowWithTheirPosition(text: String, line: Int, column: Int, reason: String) {
    #expect(throws: TextParseError(file: "header", line: line, column: column, reason: reason)) {
      try WarnAllocHeader(parsing: text)
    }
  }

  @Test(arguments: [
    "CPU: 0 PID: 179 Comm: AiApp Not tainted 4.9.56 #53",
    "CPU: 3 UID: 101 PID: 4191 Comm: systemd-network Not tainted 6.12.39 #8",
    "CPU: 0 PID: 244 Comm: insmod Tainted: G           OE      6.1.0-56-amd64 #1  Debian 6.1.192-2",
    "Pid: 25561, comm: DVBRead Tainted: G         C   3.7.10-gentoo #4",
    "CPU: 1 PID: 9 Comm: Web Content Kdump: loaded Not tainted 5.14.0-70.el9.x86_64 #1",
    "CPU: 32 PID: 2910 Comm: systemd-udevd Tainted: G           OE      6.2-generic-64k",
  ])
  func readsAndRendersTheCPULine(line: String) throws {
    let info = try DumpStackInfo(parsing: line)
    #expect(info.render() == line)
    #expect(info.kernel != nil)
  }

  @Test func readsTheCPULineFields() throws {
    let info = try DumpStackInfo(
      parsing:
        "CPU: 0 PID: 244 Comm: insmod Tainted: G           OE      6.1.0-56-amd64 #1  Debian 6.1.192-2"
    )
    #expect(info.cpu == 0 && info.pid == 244 && info.comm == "insmod" && info.uid == nil)
    #expect(info.taint == "G           OE     ")
    #expect(info.release == "6.1.0-56-amd64")
    #expect(info.build == "#1  Debian 6.1.192-2")
    #expect(info.kernel == (try KernelVersion(parsing: "6.1.0-56-amd64")))
    let spaced = try DumpStackInfo(
      parsing: "CPU: 1 PID: 9 Comm: Web Content Kdump: loaded Not tainted 5.14.0 #1")
    #expect(spaced.comm == "Web Content" && spaced.kdumpLoaded && spaced.taint == nil)
  }

  @Test func aCPULineCutBeforeItsReleaseThrows() {
    #expect(throws: TextParseError.self) {
      try DumpStackInfo(parsing: "CPU: 3 UID: 101 PID: 4191 Comm: systemd-network Not")
    }
  }
}
