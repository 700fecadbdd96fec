import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

struct ProcfsSysVMTests {
  /// Every captured `proc/sys/vm` folder.
  static let folders = Fixtures.procFiles(named: "sys/vm/overcommit_memory").map {
    $0.deletingLastPathComponent()
  }

  /// The files of one `sys/vm` folder, by name.
  static func files(in folder: URL) throws -> [String: String] {
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      files[name] = try Fixtures.text(of: folder.appendingPathComponent(name))
    }
    return files
  }

  @Test func readsTheAsBootedSysctls() throws {
    let folder = Fixtures.root.appendingPathComponent(
      "ground-truth/watermarks/m256M/00-as-booted/proc/sys/vm")
    let sysVM = try SysVM(parsing: Self.files(in: folder))
    #expect(sysVM.minFreeKbytes == 1615)
    #expect(sysVM.watermarkScaleFactor == 10)
    #expect(sysVM.watermarkBoostFactor == 15000)
    #expect(sysVM.lowmemReserveRatio == [256, 256, 32, 0, 0])
    #expect(sysVM.extfragThreshold == 500)
    #expect(sysVM.overcommitMemory == 0)
    #expect(sysVM.overcommitRatio == 50)
    #expect(sysVM.overcommitKbytes == 0)
    #expect(sysVM.adminReserveKbytes == 4912)
    #expect(sysVM.userReserveKbytes == 4912)
    #expect(sysVM.panicOnOOM == 0)
    #expect(sysVM.oomKillAllocatingTask == 0)
    #expect(sysVM.swappiness == 60)
    #expect(sysVM.otherValues["numa_zonelist_order"] == "Node\n")
    #expect(sysVM.otherValues["min_free_kbytes"] == nil)
  }

  /// Integer files come back byte for byte; `lowmem_reserve_ratio` comes back tab-separated as
  /// the kernel prints it (the captures have spaces).
  @Test func renderGivesBackEveryCapturedFolder() throws {
    #expect(Self.folders.count == 70)
    for folder in Self.folders {
      let files = try Self.files(in: folder)
      let sysVM = try SysVM(parsing: files)
      var expected = files
      if let ratio = files["lowmem_reserve_ratio"] {
        expected["lowmem_reserve_ratio"] = ratio.replacingOccurrences(of: " ", with: "\t")
      }
      #expect(sysVM.renderFiles() == expected, "\(Fixtures.relativePath(folder))")
      #expect(try SysVM(parsing: sysVM.renderFiles()) == sysVM)
    }
  }

  @Test(arguments: [
    ("min_free_kbytes", "abc\n", 1, "expected a number"),
    ("swappiness", "60 61\n", 3, "expected end of line"),
    ("lowmem_reserve_ratio", "256\t256\tx\n", 9, "expected a number"),
    ("panic_on_oom", "", 1, "empty file"),
  ])
  func badInputThrowsNamingTheFile(name: String, text: String, column: Int, reason: String) {
    #expect(
      throws: TextParseError(file: "sys/vm/" + name, line: 1, column: column, reason: reason)
    ) { try SysVM(parsing: [name: text]) }
  }
}
