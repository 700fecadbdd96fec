import MMCore
import MMDiagnose
import Testing

struct GFPQueryTests {
  @Test(arguments: [
    "0x2084020(GFP_ATOMIC|__GFP_COMP)", "mode:0x2084020(GFP_ATOMIC|__GFP_COMP)",
    " gfp_mask=0x2084020(GFP_ATOMIC|__GFP_COMP) ",
  ])
  func readsPastedMasks(input: String) throws {
    let query = try GFPQuery(parsing: input)
    #expect(query.rawValue == 0x2084020)
    #expect(query.names == "GFP_ATOMIC|__GFP_COMP")
  }

  @Test func printedNamesPlaceTheKernel() throws {
    let decoding = try GFPQuery(parsing: "0x2084020(GFP_ATOMIC|__GFP_COMP)").resolve(kernel: nil)
    #expect(decoding.kernelSource == .inferred)
    #expect(decoding.fittingKernels == "4.6–4.9")
    #expect(decoding.mask.dialect.era == .v4_8)
  }

  @Test func namesAloneUseTheGivenKernel() throws {
    let decoding = try GFPQuery(parsing: "GFP_KERNEL|__GFP_COMP").resolve(
      kernel: try KernelVersion(parsing: "5.10"))
    #expect(decoding.mask.kernelText == "0x40cc0(GFP_KERNEL|__GFP_COMP)")
    #expect(decoding.kernelSource == .given)
  }

  @Test func mismatchedPrintedNamesAreReported() throws {
    let decoding = try GFPQuery(parsing: "0x2084020(GFP_ATOMIC|__GFP_COMP)").resolve(
      kernel: try KernelVersion(parsing: "5.10"))
    #expect(decoding.printedNamesMismatch == "GFP_ATOMIC|__GFP_COMP")
    #expect(decoding.text.contains("note: the log printed (GFP_ATOMIC|__GFP_COMP)"))
  }

  @Test(arguments: [
    ("0x", "0x"), ("0x12345678901234567", "0x12345678901234567"),
    ("0x20(GFP_ATOMIC", "(GFP_ATOMIC"),
  ])
  func rejectsMalformedHex(input: String, token: String) {
    let error = #expect(throws: GFPParseError.self) { try GFPQuery(parsing: input) }
    #expect(error?.token == token)
  }

  @Test func namesNoKernelPrintsAreRejected() throws {
    let query = try GFPQuery(parsing: "0x20(GFP_KERNEL)")
    #expect(throws: GFPParseError.self) { try query.resolve(kernel: nil) }
  }
}
