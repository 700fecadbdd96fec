import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

struct ProcfsMemInfoTests {
  static func fixture(_ path: String) throws -> MemInfo {
    let file = Fixtures.root.appendingPathComponent("ground-truth/\(path)/proc/meminfo")
    return try MemInfo(parsing: Fixtures.text(of: file))
  }

  @Test func readsTheTypedFields() throws {
    let info = try Self.fixture("watermarks/m256M/00-as-booted")
    #expect(info.fields.first == MemInfo.Field(name: "MemTotal", value: 173888))
    #expect(info.memTotal == 173888)
    #expect(info.memFree == 140448)
    #expect(info.memAvailable == 144236)
    #expect(info.activeAnon == 2500)
    #expect(info.inactiveAnon == 4940)
    #expect(info.kReclaimable == 8820)
    #expect(info.sUnreclaim == 6072)
    #expect(info.commitLimit == 86944)
    #expect(info.committedAS == 8024)
    #expect(info.value(named: "VmallocTotal") == 34_359_738_367)
    #expect(info.hugePagesTotal == 0)
    #expect(info.fields.first { $0.name == "HugePages_Total" }?.hasUnit == false)
    #expect(info.hugePageSize == 2048)
    #expect(info.cmaTotal == nil)
    #expect(info.highTotal == nil)
  }

  @Test func readsTheCMAFields() throws {
    let info = try Self.fixture("cma-arm64/movable-cma256M/01-near-oom")
    #expect(info.cmaTotal == 262144)
    #expect(info.cmaFree == 29452)
    #expect(info.value(named: "DirectMap4k") == nil)
  }

  @Test func rendersTheKernelWidths() {
    let info = MemInfo(fields: [
      MemInfo.Field(name: "MemTotal", value: 16_318_412),
      MemInfo.Field(name: "VmallocTotal", value: 34_359_738_367),
      MemInfo.Field(name: "HardwareCorrupted", value: 4),
      MemInfo.Field(name: "HugePages_Total", value: 123_456, hasUnit: false),
      MemInfo.Field(name: "HugePages_Free", value: 7, hasUnit: false),
    ])
    #expect(
      info.render() == """
        MemTotal:       16318412 kB
        VmallocTotal:   34359738367 kB
        HardwareCorrupted:     4 kB
        HugePages_Total:   123456
        HugePages_Free:        7

        """)
  }

  @Test(arguments: [
    ("MemTotal 5 kB\n", 1, 9, "expected ':'"),
    ("MemTotal:\n", 1, 10, "unexpected end of line, expected a number"),
    ("MemTotal: 5 kB\n: 3\n", 2, 1, "expected a field name"),
    ("MemTotal: 5 MB\n", 1, 12, "expected end of line"),
  ])
  func badInputThrowsWithItsPosition(text: String, line: Int, column: Int, reason: String) {
    #expect(throws: TextParseError(file: "meminfo", line: line, column: column, reason: reason)) {
      try MemInfo(parsing: text)
    }
  }
}
