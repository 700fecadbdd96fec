import Foundation
import Testing

/// Runs the built `oomlab` binary, as a user would.
struct GFPCommandTests {
  typealias Result = OOMLabProcess.Result

  func run(_ arguments: String...) throws -> Result { try OOMLabProcess.run(arguments) }

  @Test func firstLineIsTheKernelsRendering() throws {
    let result = try run("gfp", "0x2084020", "--kernel", "4.9.56")
    #expect(result.status == 0)
    #expect(result.stdout.split(separator: "\n").first == "0x2084020(GFP_ATOMIC|__GFP_COMP)")
    #expect(result.stdout.contains("cannot sleep or reclaim: fails fast when free pages run short"))
    #expect(result.stdout.contains("not movable: may not use CMA pageblocks"))
  }

  @Test func namesAreEncodedForTheKernel() throws {
    let result = try run("gfp", "GFP_KERNEL|__GFP_COMP", "--kernel", "5.10")
    #expect(result.stdout.split(separator: "\n").first == "0x40cc0(GFP_KERNEL|__GFP_COMP)")
  }

  @Test func withoutKernelSaysWhichLayoutWasUsed() throws {
    let result = try run("gfp", "0xcc0")
    #expect(result.stdout.split(separator: "\n").first == "0xcc0(GFP_KERNEL)")
    #expect(result.stdout.contains("kernel not given: decoded for the newest layout (6.15+)"))
  }

  @Test func jsonHasTheDocumentedFields() throws {
    let result = try run("gfp", "0x2084020", "--kernel", "4.9.56", "--json", "--order", "10")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["mask"] as? String == "0x2084020")
    #expect(object["names"] as? String == "GFP_ATOMIC|__GFP_COMP")
    #expect(object["kernel"] as? String == "4.9.56")
    #expect(object["zone"] as? String == "Normal")
    #expect(object["migratetype"] as? String == "Unmovable")
    #expect(object["directReclaim"] as? Bool == false)
    #expect(object["kswapdReclaim"] as? Bool == true)
    #expect(object["io"] as? Bool == false)
    #expect(object["fs"] as? Bool == false)
    #expect(object["highPriority"] as? Bool == true)
    #expect(object["cma"] as? Bool == false)
    for key in ["noWarn", "noRetry", "retryMayFail", "noFail"] {
      #expect(object[key] as? Bool == false)
    }
    #expect(object["allocFlags"] as? [String] == ["ALLOC_WMARK_MIN", "ALLOC_HARDER", "ALLOC_HIGH"])
  }

  @Test(arguments: [
    (["gfp", "GFP_FOO", "--kernel", "5.10"], "GFP_FOO"),
    (["gfp", "0x12zz"], "0x12zz"),
    (["gfp", "0x20", "--kernel", "2.4.37"], "2.4.37"),
    (["gfp", "0x20", "--kernel", "latest"], "latest"),
  ])
  func badInputIsOneLineAndStatus2(arguments: [String], token: String) throws {
    let process = try runArray(arguments)
    #expect(process.status == 2)
    #expect(process.stdout.isEmpty)
    #expect(process.stderr.split(separator: "\n").count == 1)
    #expect(process.stderr.contains("'\(token)'"))
  }

  func runArray(_ arguments: [String]) throws -> Result {
    switch arguments.count {
    case 2: try run(arguments[0], arguments[1])
    case 4: try run(arguments[0], arguments[1], arguments[2], arguments[3])
    default: preconditionFailure("unsupported argument count")
    }
  }
}
