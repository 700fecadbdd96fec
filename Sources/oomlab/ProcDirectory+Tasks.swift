internal import Foundation
internal import MMCore
internal import MMDiagnose
internal import MMText

extension ProcDirectory {
  /// The files of a `/proc/PID` directory that the OOM model reads.
  private static let processFiles = ["status", "comm", "oom_score", "oom_score_adj", "oom_adj"]

  /// The processes as the OOM killer sees them, against `memInfo`; `nil` without a meminfo or
  /// when the directory has no `<pid>/status` (``processEntries()``).
  func taskInspection(kernel: KernelVersion, sysVM: SysVM, memInfo: MemInfo?) throws
    -> TaskInspection?
  {
    guard let memInfo else { return nil }
    return TaskInspection(
      processes: try processEntries(), memInfo: memInfo, sysVM: sysVM, kernel: kernel)
  }

  /// The `/proc/PID` directories that hold a `status` file, with the OOM files beside it.
  ///
  /// A process that exits while the live /proc is read (its files vanish or fail to read) is
  /// left out; a file that reads but does not parse is an ``InputError`` naming it.
  func processEntries() throws -> [ProcessEntry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    var processes: [ProcessEntry] = []
    for name in names {
      guard let pid = Int(name), pid > 0 else { continue }
      var files: [String: String] = [:]
      for file in Self.processFiles {
        if let text = try? text(name + "/" + file) { files[file] = text }
      }
      guard files["status"] != nil else { continue }
      let folder = (path as NSString).appendingPathComponent(name)
      processes.append(
        try parse { () throws(TextParseError) in
          try ProcessEntry(pid: pid, parsing: files, directory: folder)
        })
    }
    return processes
  }
}
