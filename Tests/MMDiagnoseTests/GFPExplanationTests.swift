import MMCore
import MMDiagnose
import Testing

struct GFPExplanationTests {
  func lines(_ raw: UInt64, _ kernel: String, order: Int = 0) throws -> [String] {
    GFPExplanation(
      mask: GFPMask(rawValue: raw, kernel: try KernelVersion(parsing: kernel)), order: order
    ).lines
  }

  @Test func atomicRequestOfTheSeedBoard() throws {
    let lines = try lines(0x2084020, "4.9.56", order: 10)
    #expect(lines.contains("cannot sleep or reclaim: fails fast when free pages run short"))
    #expect(lines.contains("migratetype: Unmovable: not movable: may not use CMA pageblocks"))
    #expect(
      lines.contains {
        $0.hasPrefix(
          "reserves (ALLOC_HARDER|ALLOC_HIGH): succeeds while free pages stay above 37.5% of the min watermark"
        )
      })
  }

  @Test func kernelRequestRetriesAndMayOOMKill() throws {
    let lines = try lines(0xcc0, "6.1")
    #expect(lines.contains("retries until it succeeds; may invoke the OOM killer (order <= 3)"))
    #expect(!lines.contains { $0.hasPrefix("reserves") })
  }

  @Test func costlyAndLowmemRequestsNeverOOMKill() throws {
    #expect(try lines(0xcc0, "6.1", order: 4).contains { $0.hasPrefix("costly order (> 3)") })
    #expect(try lines(0xcc1, "5.14.21").contains { $0.hasPrefix("lowmem-only request (DMA)") })
    #expect(try lines(0xc40, "6.1").contains { $0.contains("without __GFP_FS") })
  }

  @Test func nowaitIn6_3PlusDoesNotLowerMin() throws {
    let line = try #require(try lines(0x800, "6.6").first { $0.hasPrefix("reserves") })
    #expect(line.contains("no lower watermark"))
  }

  @Test func movableRequestsMayUseCMAAndUnknownBitsAreNamed() throws {
    let lines = try lines(0x80100cca, "5.10")
    #expect(lines.contains("migratetype: Movable: may be served from CMA pageblocks"))
    #expect(lines.contains { $0.hasPrefix("bits 0x80000000 name no flag in kernel 5.10") })
  }
}
