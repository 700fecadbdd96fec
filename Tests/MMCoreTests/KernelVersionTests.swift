import MMCore
import Testing

struct KernelVersionTests {
  @Test(
    arguments: [
      ("4.9.56", 4, 9, 56, 0, nil, ""),
      ("5.14.21-150400.22-default", 5, 14, 21, 0, nil, "-150400.22-default"),
      ("3.10.0-957.27.2.el7.x86_64", 3, 10, 0, 0, nil, "-957.27.2.el7.x86_64"),
      ("6.1.0-56-amd64", 6, 1, 0, 0, nil, "-56-amd64"),
      ("6.9.0-rc7-g4157e5c9501e-dirty", 6, 9, 0, 0, 7, "-g4157e5c9501e-dirty"),
      ("2.6.32-279.19.1.el6.x86_64", 2, 6, 32, 0, nil, "-279.19.1.el6.x86_64"),
      ("4.4.0-rc7-next-20151231+", 4, 4, 0, 0, 7, "-next-20151231+"),
      ("2.6.16.21-0.8-smp", 2, 6, 16, 21, nil, "-0.8-smp"),
      ("6.2-generic-64k", 6, 2, 0, 0, nil, "-generic-64k"),
      ("4.6-master+", 4, 6, 0, 0, nil, "-master+"),
      ("  5.10  ", 5, 10, 0, 0, nil, ""),
    ] as [(String, Int, Int, Int, Int, Int?, String)])
  func parsesReleaseStrings(
    text: String, major: Int, minor: Int, patch: Int, extra: Int, rc: Int?, local: String
  ) throws {
    let version = try KernelVersion(parsing: text)
    #expect(version.major == major)
    #expect(version.minor == minor)
    #expect(version.patch == patch)
    #expect(version.extra == extra)
    #expect(version.releaseCandidate == rc)
    #expect(version.localVersion == local)
  }

  @Test(arguments: [
    "4.9.56", "6.1.0-56-amd64", "2.6.16.21-0.8-smp", "6.2-generic-64k", "4.4.0-rc7-next-20151231+",
    "6.9.0-rc7-g4157e5c9501e-dirty",
  ])
  func printsBackAsParsed(text: String) throws {
    #expect(try KernelVersion(parsing: text).description == text)
  }

  @Test(arguments: ["", "linux", "4", "4.x", "4.9 56", "1.2.13", "2.4.37", "99999999999.1"])
  func rejectsWhatIsNotAPlaceableRelease(text: String) {
    #expect(throws: KernelVersionError.self) { try KernelVersion(parsing: text) }
  }

  @Test func errorNamesTheText() {
    let error = #expect(throws: KernelVersionError.self) { try KernelVersion(parsing: "banana") }
    #expect(
      error?.description == "cannot read kernel version 'banana': expected MAJOR.MINOR at the start"
    )
  }

  @Test func ordersByNumbersThenCandidatesBeforeRelease() throws {
    let ordered = try [
      "2.6.16.21", "2.6.32", "3.10.0", "4.4.0-rc7", "4.4.0", "4.9.56", "4.20.0", "5.0.0-rc8",
      "5.0.0", "6.1.0", "6.9.0-rc7", "6.9.0",
    ].map { text throws(KernelVersionError) in try KernelVersion(parsing: text) }
    #expect(ordered.sorted() == ordered)
    #expect(ordered.shuffled().sorted() == ordered)
    #expect(try KernelVersion(parsing: "6.1") == KernelVersion(parsing: "6.1.0"))
  }

  @Test func seriesChecksIgnorePatchAndLocalVersion() throws {
    let version = try KernelVersion(parsing: "5.14.21-150400.22-default")
    #expect(version.isAtLeast(5, 14))
    #expect(!version.isAtLeast(5, 15))
    #expect(version.isWithin((5, 14), (5, 17)))
    #expect(try KernelVersion(parsing: "4.4.0-rc7-next-20151231+").isLinuxNext)
    #expect(try !KernelVersion(parsing: "4.4.0").isLinuxNext)
  }
}
