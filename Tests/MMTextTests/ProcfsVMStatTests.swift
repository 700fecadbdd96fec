import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

struct ProcfsVMStatTests {
  @Test func readsCountersByName() throws {
    let file = Fixtures.root.appendingPathComponent(
      "ground-truth/watermarks/m256M/00-as-booted/proc/vmstat")
    let stat = try VMStat(parsing: Fixtures.text(of: file))
    #expect(stat.counters.first == NamedValue(name: "nr_free_pages", value: 35112))
    #expect(stat.value(named: "numa_interleave") == 624)
    #expect(stat.value(named: "no_such_counter") == nil)
  }

  @Test(arguments: [
    ("nr_free_pages\n", 1, 14, "unexpected end of line, expected ' '"),
    ("nr_free_pages -1\n", 1, 15, "expected a number"),
    ("nr_free_pages 1\n nr_x 2\n", 2, 1, "expected a counter name"),
    ("nr_x 99999999999999999999\n", 1, 6, "number too large"),
    ("nr_x 12", 1, 8, "unexpected end of file, expected end of line"),
  ])
  func badInputThrowsWithItsPosition(text: String, line: Int, column: Int, reason: String) {
    #expect(throws: TextParseError(file: "vmstat", line: line, column: column, reason: reason)) {
      try VMStat(parsing: text)
    }
  }
}
