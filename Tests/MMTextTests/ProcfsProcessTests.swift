import Foundation
import MMCore
import MMTestSupport
import MMText
import Testing

/// `/proc/PID/{status,comm,oom_score,oom_score_adj,oom_adj}` of the ground-truth captures.
struct ProcfsProcessTests {
  /// Every captured `/proc/PID` folder (one per `status` file).
  static let folders = Fixtures.files(under: "ground-truth")
    .filter {
      $0.lastPathComponent == "status"
        && Int($0.deletingLastPathComponent().lastPathComponent) != nil
    }
    .map { $0.deletingLastPathComponent() }

  /// The files of one folder, by name.
  static func files(in folder: URL) throws -> [String: String] {
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      files[name] = try Fixtures.text(of: folder.appendingPathComponent(name))
    }
    return files
  }

  static func entry(_ folder: URL) throws -> ProcessEntry {
    let pid = try #require(Int(folder.lastPathComponent))
    return try ProcessEntry(pid: pid, parsing: files(in: folder))
  }

  @Test func readsHolder1() throws {
    let folder = Fixtures.groundTruth.appendingPathComponent(
      "oom-victim/default/01-holders-ready/proc/253")
    let entry = try Self.entry(folder)
    #expect(entry.comm == "holder1")
    #expect(entry.oomScore == 1140)
    #expect(entry.oomScoreAdj == 500)
    #expect(entry.oomAdj == 8)
    let status = try #require(entry.status)
    #expect(status.name == "holder1")
    #expect(status.state == "S")
    #expect(status.tgid == 253)
    #expect(status.pid == 253)
    #expect(status.ppid == 1)
    #expect(status.uids == [0, 0, 0, 0])
    #expect(status.vmRSS == 92780)
    #expect(status.rssAnon == 92076)
    #expect(status.rssFile == 4)
    #expect(status.rssShmem == 700)
    #expect(status.vmPTE == 216)
    #expect(status.vmSwap == 0)
    #expect(status.vmPMD == nil)
    #expect(status.threads == 1)
    #expect(status.isKernelThread == nil)
    #expect(status.effectiveCapabilities == 0x1ff_ffff_ffff)
    #expect(status.hasSysAdminCapability == true)
    let task = try #require(OOMTask(entry, version: KernelVersion(6, 1)))
    #expect(task.rssPages == 23195)
    #expect(task.pageTableBytes == 216 * 1024)
    #expect(task.uid == 0)
  }

  /// Every capture parses, and VmRSS is the sum of its three parts in each.
  @Test func everyCapturedProcessParses() throws {
    #expect(Self.folders.count >= 18)
    for folder in Self.folders {
      let status = try #require(try Self.entry(folder).status, "\(folder.path)")
      let parts = [status.rssAnon, status.rssFile, status.rssShmem].compactMap { $0 }
      #expect(status.vmRSS == parts.reduce(0, +), "\(Fixtures.relativePath(folder))")
    }
  }

  @Test func kernelThreadsAndOlderKernelsParse() throws {
    let kthread = try ProcessStatus(
      parsing: "Name:\tkthreadd\nUmask:\t0000\nState:\tS (sleeping)\nTgid:\t2\nKthread:\t1\n")
    #expect(kthread.isKernelThread == true)
    #expect(kthread.vmRSS == nil)
    let task = try #require(
      OOMTask(ProcessEntry(pid: 2, status: kthread), version: KernelVersion(6, 1)))
    #expect(task.isKernelThread && task.hasExitedMM)
    // 4.0–4.14 print VmPMD apart and no RssAnon split before 4.5; badness counts both.
    let old = try ProcessStatus(
      parsing: "Name:\told\nVmRSS:\t    8000 kB\nVmPTE:\t      40 kB\nVmPMD:\t      12 kB\n")
    let oldTask = try #require(
      OOMTask(ProcessEntry(pid: 3, status: old, oomAdj: -17), version: KernelVersion(4, 9)))
    #expect(oldTask.rssPages == 2000)
    #expect(oldTask.pageTableBytes == 52 * 1024)
    #expect(oldTask.oomScoreAdj == -1000)
    let newer = try #require(
      OOMTask(ProcessEntry(pid: 3, status: old), version: KernelVersion(4, 15)))
    #expect(newer.pageTableBytes == 40 * 1024)
  }

  @Test(arguments: [
    ("Name:\tx\nVmRSS:\t  12x kB\n", "status:2:12: expected 'kB'"),
    ("Name:\tx\nVmRSS:\t   abc kB\n", "status:2:11: expected a number"),
    ("Name:\tx\nUid:\t0\t0\t0\n", "status:2:11: unexpected end of line, expected a number"),
    ("Name:\tx\nCapEff:\tzz\n", "status:2:9: expected a hexadecimal number"),
    ("Name:\tx\nKthread:\t2\n", "status:2:11: expected 0 or 1"),
    ("Name:\tx\nno colon here\n", "status:2:3: expected ':'"),
    ("Name:\tx", "status:1:8: unexpected end of file, expected end of line"),
    ("", "status:1:1: empty file"),
  ])
  func badStatusNamesLineAndColumn(text: String, message: String) {
    let error = #expect(throws: TextParseError.self) { try ProcessStatus(parsing: text) }
    #expect(error?.description == message)
  }

  @Test(arguments: [
    ("oom_score", "12x\n", "7/oom_score:1:3: expected end of line"),
    ("oom_score_adj", "\n", "7/oom_score_adj:1:1: unexpected end of line, expected a number"),
    ("oom_adj", "1\n2\n", "7/oom_adj:2:1: expected the end of the file"),
    ("comm", "", "7/comm:1:1: empty file"),
    ("status", "Name:\tx\nVmSwap:\t1 MB\n", "7/status:2:10: expected 'kB'"),
  ])
  func badFilesNameTheirFile(file: String, text: String, message: String) {
    let error = #expect(throws: TextParseError.self) {
      try ProcessEntry(pid: 7, parsing: [file: text])
    }
    #expect(error?.description == message)
  }

  /// Every prefix of a real status file parses or throws; none crashes.
  @Test func truncatedStatusNeverCrashes() throws {
    let text = try Fixtures.text(
      of: Fixtures.groundTruth.appendingPathComponent(
        "oom-victim/default/01-holders-ready/proc/253/status"))
    let bytes = Array(text.utf8)
    var parsed = 0
    for end in 0...bytes.count {
      if (try? ProcessStatus(parsing: String(decoding: bytes[..<end], as: UTF8.self))) != nil {
        parsed += 1
      }
    }
    // Only the prefixes ending right after a newline are whole files.
    #expect(parsed == bytes.filter { $0 == UInt8(ascii: "\n") }.count)
  }
}
