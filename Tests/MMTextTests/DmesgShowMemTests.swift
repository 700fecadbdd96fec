import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing
import _MMUtilities

/// The `Mem-Info:` block: every line shape, rendered from values and parsed back, and every block
/// in the fixtures.
struct DmesgShowMemTests {
  typealias Field = ShowMem.Field

  /// The seed's block, byte for byte as a 4.9 kernel prints it.
  static let seedBlock = """
    Mem-Info:
    active_anon:3268 inactive_anon:2 isolated_anon:0
     active_file:1271 inactive_file:89286 isolated_file:0
     unevictable:0 dirty:343 writeback:0 unstable:0
     slab_reclaimable:2019 slab_unreclaimable:644
     mapped:4282 shmem:4 pagetables:59 bounce:0
     free:62086 free_pcp:199 free_cma:60234
    Node 0 active_anon:13072kB inactive_anon:8kB active_file:5084kB inactive_file:357144kB \
    unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:17128kB dirty:1372kB writeback:0kB \
    shmem:16kB writeback_tmp:0kB unstable:0kB pages_scanned:0 all_unreclaimable? no
    Normal free:248344kB min:2444kB low:3052kB high:3660kB active_anon:13072kB inactive_anon:8kB \
    active_file:5084kB inactive_file:357144kB unevictable:0kB writepending:1372kB present:1048572kB \
    managed:734568kB mlocked:0kB slab_reclaimable:8076kB slab_unreclaimable:2576kB kernel_stack:608kB \
    pagetables:236kB bounce:0kB free_pcp:796kB local_pcp:796kB free_cma:240936kB
    lowmem_reserve[]: 0 0 0
    Normal: 4*4kB (UEC) 3*8kB (EC) 3*16kB (UEC) 2*32kB (UE) 2*64kB (UE) 2*128kB (UE) 2*256kB (EC) \
    1*512kB (E) 3*1024kB (UEC) 3*2048kB (UEC) 58*4096kB (C) = 248344kB
    90573 total pagecache pages
    262143 pages RAM
    0 pages HighMem/MovableOnly
    78501 pages reserved
    90112 pages cma reserved

    """

  @Test func readsEveryLineOfTheSeedBlock() throws {
    let block = try ShowMem(parsing: Self.seedBlock)
    #expect(block.render() == Self.seedBlock)
    #expect(block.lines.count == 15)
    #expect(block.counters.count == 19)
    #expect(block.counters.value(named: "free_cma") == 60234)
    #expect(block.counters.value(named: "unstable") == 0)
    let node = try #require(block.nodes.first)
    #expect(node.node == 0 && node["inactive_file"] == 357_144 && node["pages_scanned"] == 0)
    #expect(
      node.fields.last
        == Field(name: "all_unreclaimable", separator: .question, value: .word("no"), unit: ""))
    let zone = try #require(block.zones.first)
    #expect(zone.node == nil && zone.zone == "Normal" && zone.kind == .normal)
    #expect(zone["free"] == 248_344 && zone["min"] == 2444 && zone["low"] == 3052)
    #expect(zone["high"] == 3660 && zone["free_cma"] == 240_936 && zone["managed"] == 734_568)
    #expect(block.lowmemReserves == [[0, 0, 0]])
    let area = try #require(block.freeAreas.first)
    #expect(area.orders.count == 11)
    #expect(
      area.orders[0]
        == .init(count: 4, blockKilobytes: 4, migrateTypes: [.unmovable, .reclaimable, .cma]))
    #expect(area.orders[10] == .init(count: 58, blockKilobytes: 4096, migrateTypes: [.cma]))
    #expect(area.totalKilobytes == 248_344 && area.termsKilobytes == 248_344)
    #expect(block.pages("RAM") == 262_143 && block.pages("cma reserved") == 90_112)
    #expect(block.lines.contains(.pagecache(90_573)))
  }

  @Test func rendersEveryLineShape() throws {
    let block = ShowMem(lines: [
      .unrecognized("Node 0 DMA per-cpu:"),
      .counters([NamedValue(name: "active_anon", value: 1), NamedValue(name: "free", value: 2)]),
      .counters([NamedValue(name: "free_cma", value: 0)]),
      .node(
        ShowMem.NodeState(
          node: 1,
          fields: [
            .kilobytes("active_anon", 8),
            Field(name: "shmem_thp", separator: .colonSpace, value: .number(0)),
            Field(name: "all_unreclaimable", separator: .question, value: .word("yes"), unit: ""),
          ])),
      .zone(
        ShowMem.ZoneState(
          node: 1, zone: "DMA32",
          fields: [
            .kilobytes("free", 60196),
            Field(name: "reserved_highatomic", value: .number(2048), unit: "KB"),
          ])),
      .lowmemReserve([0, -1, 2807]),
      .freeArea(
        ShowMem.FreeArea(
          node: 1, zone: "DMA32",
          orders: [
            .init(count: 2, blockKilobytes: 4, migrateTypes: [.unmovable, .highAtomic]),
            .init(count: 0, blockKilobytes: 8),
            .init(count: 1, blockKilobytes: 16, migrateTypes: []),
          ], totalKilobytes: 24)),
      .hugepages(ShowMem.Hugepages(node: 1, total: 0, free: 0, surplus: 0, sizeKilobytes: 2048)),
      .pagecache(403_727), .swapCache(102_940),
      .swapCacheStats(add: 5_089_297, delete: 4_986_508, find: 5_716_104, findTotal: 7_056_293),
      .freeSwap(kilobytes: 1_700_864), .totalSwap(kilobytes: 3_145_720),
      .pages(count: 1_015_296, label: "RAM"), .pages(count: 0, label: "hwpoisoned"),
    ])
    let text = block.render()
    #expect(
      text == """
        Mem-Info:
        Node 0 DMA per-cpu:
        active_anon:1 free:2
         free_cma:0
        Node 1 active_anon:8kB shmem_thp: 0kB all_unreclaimable? yes
        Node 1 DMA32 free:60196kB reserved_highatomic:2048KB
        lowmem_reserve[]: 0 -1 2807
        Node 1 DMA32: 2*4kB (UH) 0*8kB 1*16kB () = 24kB
        Node 1 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB
        403727 total pagecache pages
        102940 pages in swap cache
        Swap cache stats: add 5089297, delete 4986508, find 5716104/7056293
        Free swap  = 1700864kB
        Total swap = 3145720kB
        1015296 pages RAM
        0 pages hwpoisoned

        """)
    #expect(try ShowMem(parsing: text) == block)
  }

  @Test(arguments: 0..<30 as Range<UInt64>)
  func renderThenParseIsIdentity(seed: UInt64) throws {
    let block = Self.randomBlock(seed: seed)
    #expect(try ShowMem(parsing: block.render()) == block)
  }

  @Test(arguments: [
    ("active_anon:1\n", 1, 1, "expected 'Mem-Info:'"),
    ("Mem-Info:\nNode 0 DMA: 1*4kB (X) = 4kB\n", 2, 20, "unknown migratetype letter 'X'"),
    ("Mem-Info:\nNormal: 99999999999*99999999999kB = 1kB\n", 2, 9, "number too large"),
    ("Mem-Info:\nNormal: 1*4kB (U) = 4kB x\n", 2, 24, "unexpected text at the end"),
    (
      "Mem-Info:\nNormal: 1*4kB (U)\n", 2, 18,
      "the line ends early; expected 'N*SkB' terms and '= TkB'"
    ),
    ("Mem-Info:\nDMA free:1kB min:x\n", 2, 18, "expected a number"),
    ("Mem-Info:\n5 pages RAM\nhello\n", 3, 1, "unexpected text after the Mem-Info block"),
  ])
  func badBlocksThrowWithTheirPosition(text: String, line: Int, column: Int, reason: String) {
    #expect(throws: TextParseError(file: "show_mem", line: line, column: column, reason: reason)) {
      try ShowMem(parsing: text)
    }
  }

  @Test func keepsUnknownLinesInPlace() throws {
    let text =
      "Mem-Info:\nCPU    0: hi:    0, btch:   1 usd:   0\nNormal: 1*4kB (U) = 4kB\nsomething\n1 pages RAM\n"
    let block = try ShowMem(parsing: text)
    #expect(block.unrecognizedLines == ["CPU    0: hi:    0, btch:   1 usd:   0", "something"])
    #expect(block.render() == text)
  }

  // MARK: - Every block in the fixtures

  static let logs: [URL] =
    Fixtures.files(under: "corpus").filter { $0.pathExtension == "log" }
    + Fixtures.files(under: "ground-truth").filter {
      $0.lastPathComponent == "dmesg.txt" || $0.path.contains("/reports/")
    }

  /// Every `Mem-Info:` block (allocation failures, OOM kills, SysRq-m) re-reads from its
  /// rendering; the ground truth's render byte for byte.
  @Test(arguments: logs)
  func everyFixtureBlockRoundTrips(file: URL) throws {
    let name = Fixtures.relativePath(file)
    let lines = try Fixtures.lines(of: file)
    for found in ShowMem.findAll(in: try Fixtures.text(of: file), file: name) {
      let rendered = found.showMem.render()
      #expect(try ShowMem(parsing: rendered) == found.showMem, "\(name):\(found.lines)")
      if name.hasPrefix("ground-truth") {
        let source = DmesgLine.messages(
          of: found.lines.map { lines[$0 - 1] }.joined(separator: "\n"))
        #expect(rendered == source.joined(separator: "\n") + "\n", "\(name):\(found.lines)")
        #expect(found.problems.isEmpty, "\(name): \(found.problems)")
        #expect(found.showMem.unrecognizedLines.isEmpty, "\(name)")
      }
    }
  }

  /// How many blocks each fixture holds (so that a change in where blocks end shows).
  @Test func findsTheBlocksOfEveryFixture() throws {
    var counts: [String: Int] = [:]
    var lines = 0
    for file in Self.logs {
      let found = ShowMem.findAll(in: try Fixtures.text(of: file))
      if !found.isEmpty { counts[Fixtures.relativePath(file)] = found.count }
      lines += found.reduce(0) { $0 + $1.showMem.lines.count }
    }
    // Includes the blocks of 008 (`dmesg -H` stamps), 020 (an Android kernel's
    // `[63651.040008s][pid:…]` stamps), and 019 and 043 (arm's own `Mem-info:` heading).
    #expect(counts.count == 44)
    #expect(counts.values.reduce(0, +) == 52)
    #expect(lines == 1332)
  }

  /// Every free-block line of every fixture has its printed `= NkB` equal to its terms' sum.
  ///
  /// The kernel computes the total from the same `count*sizekB` terms; each line is counted, so
  /// a block that stops being found shows.
  @Test func everyFreeBlockTotalEqualsItsTerms() throws {
    var checked = 0
    var mismatches: [String] = []
    for file in Self.logs {
      let name = Fixtures.relativePath(file)
      for found in ShowMem.findAll(in: try Fixtures.text(of: file), file: name) {
        for area in found.showMem.freeAreas {
          checked += 1
          if area.termsKilobytes != area.totalKilobytes {
            mismatches.append("\(name):\(found.lines) \(area.zone)")
          }
        }
      }
    }
    #expect(checked == 99)
    #expect(mismatches == [])
  }

  // MARK: - Random blocks

  static func randomBlock(seed: UInt64) -> ShowMem {
    var random = SplitMix64(seed: seed)
    func number(_ limit: Int = 5_000_000) -> Int { Int.random(in: 0...limit, using: &random) }
    func chance() -> Bool { Bool.random(using: &random) }
    var lines: [ShowMem.Line] = []
    if chance() {
      lines += [
        .unrecognized("Node 0 DMA per-cpu:"),
        .unrecognized("CPU    0: hi:  186, btch:  31 usd: 154"),
      ]
    }
    let counterNames = [
      "active_anon", "inactive_anon", "isolated_file", "free", "free_pcp", "Active_anon",
    ]
    for _ in 0..<Int.random(in: 1...6, using: &random) {
      lines.append(
        .counters(
          (0..<Int.random(in: 1...4, using: &random)).map { _ in
            NamedValue(name: counterNames.randomElement(using: &random) ?? "free", value: number())
          }))
    }
    let fieldNames = ["active_anon", "isolated(anon)", "writepending", "present", "local_pcp"]
    func fields() -> [Field] {
      (0..<Int.random(in: 0...6, using: &random)).map { _ -> Field in
        switch Int.random(in: 0..<4, using: &random) {
        case 0: Field(name: "shmem_thp", separator: .colonSpace, value: .number(number()))
        case 1: Field(name: "pages_scanned", value: .number(number()), unit: "")
        case 2: Field(name: "reserved_highatomic", value: .number(number()), unit: "KB")
        default: .kilobytes(fieldNames.randomElement(using: &random) ?? "present", number())
        }
      }
    }
    let unreclaimable = Field(
      name: "all_unreclaimable", separator: .question, value: .word(chance() ? "yes" : "no"),
      unit: "")
    for node in 0..<Int.random(in: 0...2, using: &random) {
      lines.append(
        .node(
          ShowMem.NodeState(
            node: node, fields: [.kilobytes("active_anon", number())] + fields() + [unreclaimable]))
      )
    }
    let zones = ["DMA", "DMA32", "Normal", "HighMem", "Movable"]
    let numa = chance()
    let populated = zones.prefix(Int.random(in: 1...zones.count, using: &random))
    for zone in populated {
      let last = chance() ? [Field.kilobytes("free_cma", number())] : [unreclaimable]
      lines.append(
        .zone(
          ShowMem.ZoneState(
            node: numa ? 0 : nil, zone: zone,
            fields: [.kilobytes("free", number())] + fields() + last)))
      lines.append(.lowmemReserve((0..<zones.count).map { _ in number(20_000) }))
    }
    let letters = MigrateType.allCases
    for zone in populated {
      let orders = (0..<Int.random(in: 1...12, using: &random)).map {
        order -> ShowMem.FreeArea.Order in
        let count = chance() ? 0 : number(20_000)
        let types =
          count == 0
          ? nil
          : Array(letters.shuffled(using: &random).prefix(Int.random(in: 0...4, using: &random)))
        return .init(count: count, blockKilobytes: 4 << order, migrateTypes: types)
      }
      lines.append(
        .freeArea(
          ShowMem.FreeArea(
            node: numa ? 0 : nil, zone: zone, orders: orders, totalKilobytes: number())))
    }
    for size in [1_048_576, 2048] where chance() {
      lines.append(
        .hugepages(
          ShowMem.Hugepages(
            node: 0, total: number(9), free: number(9), surplus: number(9), sizeKilobytes: size)))
    }
    lines += [.pagecache(number()), .swapCache(number())]
    if chance() {
      lines.append(
        .swapCacheStats(add: number(), delete: number(), find: number(), findTotal: number()))
    }
    lines += [.freeSwap(kilobytes: number() - 100), .totalSwap(kilobytes: number())]
    for label in ["RAM", "HighMem/MovableOnly", "reserved", "cma reserved", "hwpoisoned"]
    where chance() {
      lines.append(.pages(count: number(), label: label))
    }
    return ShowMem(lines: lines)
  }
}
