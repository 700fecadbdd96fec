import Foundation
import MMTestSupport
import Testing

/// `oomlab inspect`'s fragmentation, allocatable orders and headroom, as a user runs it.
struct InspectOutlookCommandTests {
  static let groundTruth = Fixtures.groundTruth

  func json(_ arguments: String...) throws -> [String: Any] {
    let result = try OOMLabProcess.run(["inspect", "--json"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  /// The JSON indices are the numbers debugfs printed for the same buddyinfo.
  @Test func fragmentationIndicesAsDebugfsPrintsThem() throws {
    let step = Self.groundTruth.appendingPathComponent("alloc-failure/m512M/00-boot")
    let object = try json("--proc", step.appendingPathComponent("proc").path)
    let zones = try #require(object["zones"] as? [[String: Any]])
    for (key, file) in [("unusableIndex", "unusable_index"), ("extfragIndex", "extfrag_index")] {
      let text = try Fixtures.text(of: step.appendingPathComponent("debug/extfrag/" + file))
      for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ")
        let zone = try #require(zones.first { $0["zone"] as? String == String(fields[3]) })
        let printed = fields[4...].compactMap { Double($0) }
        #expect(printed.count == 11)
        #expect(zone[key] as? [Double] == printed, "\(key) \(fields[3])")
      }
    }
    let dma32 = try #require(zones.first { $0["zone"] as? String == "DMA32" })
    let largest = try #require(dma32["largestFreeOrder"] as? [String: Int])
    #expect(largest["Movable"] == 10)
  }

  /// `highestOrder` per zone for every standard request and each `--gfp`, by name; a request
  /// for DMA gets nothing from DMA32, and 0xa20 is GFP_ATOMIC.
  @Test func highestOrderPerZoneAndRequest() throws {
    let proc = Self.groundTruth.appendingPathComponent(
      "alloc-failure/m512M/C-order3-atomic-fragmented/before/proc")
    let object = try json("--proc", proc.path, "--gfp", "0xa20", "--gfp", "GFP_KERNEL|__GFP_COMP")
    let zones = try #require(object["zones"] as? [[String: Any]])
    let dma32 = try #require(zones.first { $0["zone"] as? String == "DMA32" })
    let orders = try #require(dma32["highestOrder"] as? [String: Int])
    #expect(
      Set(orders.keys) == [
        "GFP_KERNEL", "GFP_ATOMIC", "GFP_NOWAIT", "GFP_HIGHUSER_MOVABLE", "GFP_DMA32", "GFP_DMA",
        "0xa20", "GFP_KERNEL|__GFP_COMP",
      ])
    #expect(orders["GFP_DMA"] == -1)
    #expect(orders["0xa20"] == orders["GFP_ATOMIC"])
    #expect(orders["GFP_ATOMIC"] == 10)
    let headroom = try #require(object["headroom"] as? [String: Any])
    #expect((headroom["highestOrder"] as? [String: Int])?["GFP_DMA"] == 10)
    let bad = try OOMLabProcess.run(["inspect", "--proc", proc.path, "--gfp", "GFP_NONSENSE"])
    #expect(bad.status == 2)
    #expect(bad.stderr.hasPrefix("oomlab: --gfp: "))
  }

  /// Every line of the text report fits 100 columns.
  @Test(arguments: [
    "alloc-failure/m512M/C-order3-atomic-fragmented/before/proc",
    "cma-arm64/movable-cma256M/01-near-oom/proc", "watermarks/m6G-thp-default/00-as-booted/proc",
  ])
  func textFitsOneHundredColumns(step: String) throws {
    let result = try OOMLabProcess.run(
      ["inspect", "--proc", Self.groundTruth.appendingPathComponent(step).path])
    #expect(result.status == 0)
    for line in result.stdout.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
    // The per-order rows stay whole: a label and eleven values.
    let unusable = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  unusable ") }
    #expect(!unusable.isEmpty)
    for line in unusable { #expect(line.split(separator: " ").count == 12, "\(line)") }
    #expect(result.stdout.contains("highest order now"))
    #expect(result.stdout.contains("headroom (MiB)"))
  }
}

extension InspectOutlookCommandTests {
  /// A `--gfp` name too long for the table's first column gets a numbered label and its own
  /// line, so the other rows stay whole instead of being wrapped at their padding.
  @Test func aLongGFPNameKeepsTheTableWhole() throws {
    let long = "GFP_KERNEL|__GFP_COMP|__GFP_NOWARN|__GFP_RETRY_MAYFAIL|__GFP_ZERO|__GFP_ACCOUNT"
    let result = try OOMLabProcess.run([
      "inspect", "--proc",
      Self.groundTruth.appendingPathComponent("alloc-failure/m512M/01-fragmented/proc").path,
      "--gfp", long,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains("GFP_KERNEL            10 / 10  10 / 10"))
    #expect(lines.contains { $0.hasPrefix("--gfp 1  ") && $0.hasSuffix("10 / 10  10 / 10") })
    #expect(lines.contains("--gfp 1: " + long))
  }
}

// MARK: - Partial and broken captures

extension InspectOutlookCommandTests {
  /// A folder holding some of a capture's files.
  func capture(_ files: [String: String]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "oomlab-outlook-\(getpid())-\(UUID().uuidString)")
    for (name, text) in files {
      let file = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: file, atomically: true, encoding: .utf8)
    }
    return folder
  }

  func groundTruthFile(_ name: String) throws -> String {
    try Fixtures.text(
      of: Self.groundTruth.appendingPathComponent("alloc-failure/m512M/01-fragmented/proc/" + name))
  }

  /// Without buddyinfo and pagetypeinfo the zones lose their indices and free lists, without
  /// meminfo the report loses MemAvailable; neither is an error.
  @Test func missingFilesShrinkTheReport() throws {
    let zonesOnly = try capture([
      "zoneinfo": groundTruthFile("zoneinfo"), "version": groundTruthFile("version"),
    ])
    defer { try? FileManager.default.removeItem(at: zonesOnly) }
    let object = try json("--proc", zonesOnly.path)
    let zones = try #require(object["zones"] as? [[String: Any]])
    let dma32 = try #require(zones.first { $0["zone"] as? String == "DMA32" })
    #expect(dma32["unusableIndex"] == nil && dma32["largestFreeOrder"] == nil)
    #expect((dma32["highestOrder"] as? [String: Int])?["GFP_KERNEL"] == 0)
    #expect((object["headroom"] as? [String: Any])?["memAvailableKB"] == nil)
    #expect(object["commit"] == nil)

    // A sosreport's proc/ folder keeps empty files for what it could not collect; its kernel
    // release is in the report's uname.
    let sosreport = try capture([
      "proc/zoneinfo": groundTruthFile("zoneinfo"),
      "sos_commands/kernel/uname_-a":
        "Linux lab 6.1.0-56-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 x86_64 GNU/Linux\n",
      "proc/meminfo": groundTruthFile("meminfo"), "proc/buddyinfo": groundTruthFile("buddyinfo"),
      "proc/pagetypeinfo": "", "proc/sys/vm/min_free_kbytes": "",
    ])
    defer { try? FileManager.default.removeItem(at: sosreport) }
    let sosObject = try json("--proc", sosreport.appendingPathComponent("proc").path)
    #expect(sosObject["kernel"] as? String == "6.1.0-56-amd64")
    let sosZones = try #require(sosObject["zones"] as? [[String: Any]])
    #expect(sosZones.contains { $0["unusableIndex"] != nil && $0["largestFreeOrder"] == nil })

    let memOnly = try capture([
      "meminfo": groundTruthFile("meminfo"), "version": groundTruthFile("version"),
    ])
    defer { try? FileManager.default.removeItem(at: memOnly) }
    let memObject = try json("--proc", memOnly.path)
    #expect(memObject["zones"] == nil)
    #expect((memObject["headroom"] as? [String: Any])?["memAvailableKB"] as? Int != nil)
  }

  /// Garbage in an optional file is an error naming the file and line, not a crash.
  @Test func garbageIsOneLineWithFileAndLine() throws {
    let folder = try capture([
      "zoneinfo": groundTruthFile("zoneinfo"), "version": groundTruthFile("version"),
      "buddyinfo": "Node 0, zone      DMA      1      2\nNode 0, zone    DMA32  garbage\n",
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try OOMLabProcess.run(["inspect", "--proc", folder.path])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("oomlab: \(folder.path)/buddyinfo:2:"), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }
}

// MARK: - This machine

extension InspectOutlookCommandTests {
  /// The zone figures equal /proc/zoneinfo's: managed and the watermarks exactly; the free count,
  /// which moves, between what zoneinfo said just before and just after (with a margin).
  @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/proc/zoneinfo")))
  func liveZoneFiguresEqualZoneinfo() throws {
    let before = try Self.liveZones()
    let object = try json()
    let after = try Self.liveZones()
    let zones = try #require(object["zones"] as? [[String: Any]])
    #expect(zones.count == after.count)
    for zone in zones {
      let name = try #require(zone["zone"] as? String)
      let node = try #require(zone["node"] as? Int)
      let now = try #require(after["\(node)/\(name)"])
      let then = try #require(before["\(node)/\(name)"])
      #expect(zone["managed"] as? Int == now["managed"])
      let kernel = try #require(zone["kernel"] as? [String: Any])
      let boost = now["boost"] ?? 0
      for mark in ["min", "low", "high"] {
        #expect(kernel[mark] as? Int == now[mark].map { $0 - boost }, "\(name) \(mark)")
      }
      let free = try #require(zone["free"] as? Int)
      let margin = max((now["managed"] ?? 0) / 100, 256)
      let low = min(then["free"] ?? 0, now["free"] ?? 0) - margin
      let high = max(then["free"] ?? 0, now["free"] ?? 0) + margin
      #expect(free >= low && free <= high, "\(name) free \(free)")
      if (now["managed"] ?? 0) > 0 {
        #expect((zone["highestOrder"] as? [String: Int])?.count == 6)
        #expect((zone["unusableIndex"] as? [Double])?.count == 11)
      }
    }
  }

  /// `/proc/zoneinfo`'s figures by `node/zone`.
  static func liveZones() throws -> [String: [String: Int]] {
    let text = try String(contentsOfFile: "/proc/zoneinfo", encoding: .utf8)
    var zones: [String: [String: Int]] = [:]
    var current: String?
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ")
      if line.hasPrefix("Node "), fields.count >= 4 {
        current = "\(fields[1].dropLast())/\(fields[3])"
        zones[current ?? ""] = [:]
        continue
      }
      guard let current, fields.count >= 2 else { continue }
      let name = fields[0] == "pages" && fields[1] == "free" ? "free" : String(fields[0])
      if ["free", "boost", "min", "low", "high", "managed"].contains(name),
        zones[current]?[name] == nil, let value = Int(fields.last ?? "")
      {
        zones[current]?[name] = value
      }
    }
    return zones
  }
}
