import Foundation
import MMDiagnose
import MMTestSupport
import Testing

/// `leak-suspect` for memory the kernel holds: unreclaimable slab beyond every LRU page (the
/// kernel's own test for printing its slab table), or shmem holding half of RAM.
struct ExplainKernelMemoryTests {
  func explain(_ path: String) throws -> [ReportExplanation] {
    let file = Fixtures.root.appendingPathComponent(path)
    return ReportExplanation.explainAll(in: try Fixtures.text(of: file), file: path)
  }

  func kernelLeak(_ report: ReportExplanation) -> Finding? {
    report.findings.first { $0.id == "leak-suspect" && !$0.title.contains("(pid ") }
  }

  /// 5.0-rc8: the kernel printed its slab table; the finding leads, cites the counter and the
  /// three largest caches of the table.
  @Test func slabTableOfA5Point0OOM() throws {
    let report = try #require(try explain("corpus/posted/001-oom-5.0.0-rc8-x86_64.log").first)
    let finding = try #require(report.findings.first)
    #expect(finding.id == "leak-suspect")
    #expect(finding.title.hasSuffix("most in kernfs_node_cache"))
    #expect(
      finding.evidence.first?.hasPrefix(
        "line 71: slab_unreclaimable:13704 pages (54816 kB (53.5 MiB)) > the LRU's 10420 pages")
        == true)
    #expect(
      Array(finding.evidence.suffix(3)) == [
        "line 127: slab cache kernfs_node_cache: 23189KB used, 23193KB held",
        "line 144: slab cache Acpi-Operand: 3938KB used, 4232KB held",
        "line 157: slab cache kmalloc-2k: 3480KB used, 3503KB held",
      ])
  }

  /// RHEL 6 (2.6.32, no slab table) with 15 GB of unreclaimable slab, and the io_uring report
  /// of 5.10 with 1 GB: the counters alone show it.
  @Test func slabLeaksWithoutATable() throws {
    let rhel = try #require(
      try explain("corpus/posted/046-oom-2.6.32-279.19.1.el6-x86_64-numa.log").first)
    let slab = try #require(kernelLeak(rhel))
    #expect(slab.evidence.first?.contains("slab_unreclaimable:3898229 pages") == true)
    #expect(slab.evidence.first?.contains("> the LRU's 5846 pages") == true)
    let ioUring = try explain("corpus/posted/047-oom-5.10.179-x86_64.log")
    #expect(ioUring.compactMap(kernelLeak).count == 1)
    #expect(ioUring.last.flatMap(kernelLeak)?.evidence.first?.hasPrefix("line 90: ") == true)
  }

  /// Elsewhere in the corpus the kernel's memory is not the suspect.
  @Test func noKernelLeakElsewhere() throws {
    let leaking: Set = [
      "corpus/posted/001-oom-5.0.0-rc8-x86_64.log",
      "corpus/posted/046-oom-2.6.32-279.19.1.el6-x86_64-numa.log",
      "corpus/posted/047-oom-5.10.179-x86_64.log",
    ]
    let files = Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }
    var found: Set<String> = []
    for file in files {
      let name = Fixtures.relativePath(file)
      if try explain(name).contains(where: { kernelLeak($0) != nil }) { found.insert(name) }
    }
    #expect(found == leaking)
  }

  /// The recorded 6.1 OOM with its shmem counter edited to 70000 of 130942 pages RAM.
  @Test func shmemHoldingHalfOfRAM() throws {
    let path = "ground-truth/oom-victim/default/reports/01-oom.txt"
    let text = try Fixtures.text(of: Fixtures.root.appendingPathComponent(path))
    #expect(ReportExplanation.explainAll(in: text).compactMap(kernelLeak).isEmpty)
    let edited = text.replacingOccurrences(of: " shmem:1846 ", with: " shmem:70000 ")
    #expect(edited != text)
    let report = try #require(ReportExplanation.explainAll(in: edited).first)
    let finding = try #require(kernelLeak(report))
    #expect(finding.title.hasPrefix("shmem/tmpfs holds 53% of RAM (280000 kB"))
    #expect(finding.evidence == ["line 34: shmem:70000 pages of the 130942 pages RAM"])
  }
}
