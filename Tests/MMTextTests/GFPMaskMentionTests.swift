import MMText
import Testing

struct GFPMaskMentionTests {
  @Test func findsWarnAllocMode() {
    let line =
      "[ 8.1] AiApp: page allocation failure: order:10, mode:0x2084020(GFP_ATOMIC|__GFP_COMP)"
    #expect(
      GFPMaskMention.all(in: line) == [
        GFPMaskMention(
          field: "mode:", rawValue: 0x2084020, printedNames: "GFP_ATOMIC|__GFP_COMP", column: 49)
      ])
  }

  @Test func findsOOMHeaderAndSkipsNodemask() {
    let line =
      "hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0 nodemask=(null)"
    let found = GFPMaskMention.all(in: line)
    #expect(found.map(\.field) == ["gfp_mask="])
    #expect(found.first?.rawValue == 0xcc0)
    #expect(found.first?.printedNames == "GFP_KERNEL")
  }

  @Test func hexOnlyAndEmptyNames() {
    #expect(
      GFPMaskMention.all(in: "sh invoked oom-killer: gfp_mask=0x0, order=0").first?.printedNames
        == nil)
    #expect(GFPMaskMention.all(in: "x: mode:0x0()").first?.printedNames == "")
    #expect(
      GFPMaskMention.all(in: "SLUB: Unable to allocate memory on node -1, gfp=0x820(GFP_ATOMIC)")
        .first?.field == "gfp=")
  }

  @Test func ignoresOtherHexNumbers() {
    #expect(GFPMaskMention.all(in: "RIP: 0010:0xffffffff81000000 flags=0x200 nodemask=0x1").isEmpty)
  }
}
