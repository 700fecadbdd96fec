import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// Recomputes `/proc/PID/oom_score` and `oom_adj` of every task captured in the ground truth
/// (Debian 6.1, x86_64 and arm64) and compares them with the kernel's files, exactly.
///
/// Inputs per snapshot: `meminfo` (totalpages = MemTotal + SwapTotal), `version`, and each
/// `<pid>/{status,oom_score_adj}`.
struct OOMScoreGroundTruthTests {
  /// A captured `/proc` folder with its tasks.
  struct Snapshot {
    var folder: URL
    var version: KernelVersion
    var totalPages: Int
    var entries: [ProcessEntry]
  }

  /// Every captured `/proc` folder that holds per-pid folders.
  static func snapshots() throws -> [Snapshot] {
    try Fixtures.procFolders(holding: "meminfo").compactMap { folder in
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      let pids = names.compactMap(Int.init).sorted()
      guard !pids.isEmpty else { return nil }
      let memInfo = try MemInfo(
        parsing: Fixtures.text(of: folder.appendingPathComponent("meminfo")))
      let banner = try Fixtures.text(of: folder.appendingPathComponent("version"))
      let version = try #require(KernelVersion.find(inLogLine: banner))
      let entries = try pids.map { pid in
        let directory = folder.appendingPathComponent(String(pid))
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
          files[name] = try Fixtures.text(of: directory.appendingPathComponent(name))
        }
        return try ProcessEntry(pid: pid, parsing: files)
      }
      let total = try #require(memInfo.memTotal) + (memInfo.swapTotal ?? 0)
      return Snapshot(folder: folder, version: version, totalPages: total / 4, entries: entries)
    }
  }

  @Test func everyCapturedOOMScoreIsReproducedExactly() throws {
    let snapshots = try Self.snapshots()
    var tasks = 0
    var exact = 0
    for snapshot in snapshots {
      for entry in snapshot.entries {
        let where_ = "\(Fixtures.relativePath(snapshot.folder))/\(entry.pid)"
        let task = try #require(OOMTask(entry, version: snapshot.version), "\(where_)")
        let kernel = try #require(entry.oomScore, "\(where_): no oom_score")
        let model = OOMBadness.oomScore(
          of: task, totalPages: snapshot.totalPages, version: snapshot.version)
        tasks += 1
        if model == kernel { exact += 1 }
        #expect(model == kernel, "\(where_): kernel \(kernel), model \(model)")
      }
    }
    // 7 folders, 18 tasks: oom-victim/default (4 + 3), oom-kill-allocating-task/hog-killable
    // (4 + 4), cma-arm64 (3 × 1).
    #expect(snapshots.count == 7)
    #expect(tasks == 18)
    #expect(exact == tasks, "\(exact) of \(tasks) exact")
  }

  @Test func everyCapturedOOMAdjIsTheReadBackOfOOMScoreAdj() throws {
    var checked = 0
    for snapshot in try Self.snapshots() {
      for entry in snapshot.entries {
        let adj = try #require(entry.oomScoreAdj)
        #expect(entry.oomAdj == OOMScoreAdj.legacyValue(forScoreAdj: adj), "pid \(entry.pid)")
        checked += 1
      }
    }
    #expect(checked == 18)
  }
}
