internal import Foundation
internal import MMCore
internal import MMText

#if canImport(Glibc)
  internal import Glibc
#endif

/// A directory laid out like /proc (the live /proc, or a capture): reads the files inspect uses.
///
/// Missing files give `nil`; unreadable or malformed ones throw an ``InputError`` naming the
/// file (and line, for a parse error).
struct ProcDirectory {
  /// The directory's path.
  var path: String

  /// Whether this is the running machine's /proc.
  var isLive: Bool { URL(fileURLWithPath: path).standardizedFileURL.path == "/proc" }

  /// The text of a file such as `zoneinfo` or `sys/vm/min_free_kbytes`; `nil` if absent or
  /// empty (a sosreport keeps an empty file for one it could not collect).
  func text(_ relative: String) throws -> String? {
    let file = (path as NSString).appendingPathComponent(relative)
    guard FileManager.default.fileExists(atPath: file) else { return nil }
    guard let data = FileManager.default.contents(atPath: file) else {
      throw InputError(message: "\(file): cannot read")
    }
    return data.isEmpty ? nil : String(decoding: data, as: UTF8.self)
  }

  /// `/proc/zoneinfo`, required.
  func zoneInfo() throws -> ZoneInfo {
    guard let text = try text("zoneinfo") else {
      throw InputError(message: "\((path as NSString).appendingPathComponent("zoneinfo")): missing")
    }
    return try parse { () throws(TextParseError) in
      try ZoneInfo(parsing: text, file: file("zoneinfo"))
    }
  }

  /// Whether the directory holds `relative` (`zoneinfo`, `meminfo`, …).
  func contains(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: file(relative))
  }

  /// `/proc/meminfo`, if present.
  func memInfo() throws -> MemInfo? {
    guard let text = try text("meminfo") else { return nil }
    return try parse { () throws(TextParseError) in
      try MemInfo(parsing: text, file: file("meminfo"))
    }
  }

  /// `/proc/pagetypeinfo`, if present and readable.
  func pageTypeInfo() throws -> PageTypeInfo? {
    guard let text = try? text("pagetypeinfo") else { return nil }
    return try parse { () throws(TextParseError) in
      try PageTypeInfo(parsing: text, file: file("pagetypeinfo"))
    }
  }

  /// `/proc/buddyinfo`, if present.
  func buddyInfo() throws -> BuddyInfo? {
    guard let text = try text("buddyinfo") else { return nil }
    return try parse { () throws(TextParseError) in
      try BuddyInfo(parsing: text, file: file("buddyinfo"))
    }
  }

  /// The values under `sys/vm/` (empty when the directory has none).
  func sysVM() throws -> SysVM {
    let folder = (path as NSString).appendingPathComponent("sys/vm")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    var files: [String: String] = [:]
    for name in names {
      if let text = try? text("sys/vm/" + name) { files[name] = text }
    }
    return try parse { () throws(TextParseError) in try SysVM(parsing: files) }
  }

  /// The release `version` names (`Linux version …`), if the file is there; in a sosreport's
  /// `proc/` folder without it, the release of the report's `uname -a` (`../uname`,
  /// `../sos_commands/kernel/uname_-a`: `Linux <host> <release> …`).
  func kernelVersion() throws -> KernelVersion? {
    if let text = try text("version") { return KernelVersion.find(inLogLine: text) }
    for file in ["../uname", "../sos_commands/kernel/uname_-a"] {
      guard let text = try text(file) else { continue }
      let fields = text.split(whereSeparator: \.isWhitespace)
      guard fields.count > 2, fields[0] == "Linux" else { continue }
      return try? KernelVersion(parsing: String(fields[2]))
    }
    return nil
  }

  private func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  /// Runs a parser, turning its error (file, line, column, reason) into an ``InputError``.
  func parse<T>(_ body: () throws(TextParseError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw InputError(message: error.description)
    }
  }
}

/// Bad or missing input: printed as one line, exit status 1.
struct InputError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// The running kernel's log as text, read from /dev/kmsg without blocking; `nil` when it cannot
/// be read (no permission, no such device).
func liveKernelLog() -> String? {
  #if canImport(Glibc)
    let descriptor = open("/dev/kmsg", O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var text = ""
    var buffer = [UInt8](repeating: 0, count: 8192)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EPIPE { continue }  // a record was overwritten; go on
      guard count > 0 else { break }
      // "priority,sequence,microseconds,flags;message"
      let record = buffer[0..<count]
      if let semicolon = record.firstIndex(of: UInt8(ascii: ";")) {
        let message = record[(semicolon + 1)...].prefix { $0 != UInt8(ascii: "\n") }
        text += String(decoding: message, as: UTF8.self) + "\n"
      }
    }
    return text.isEmpty ? nil : text
  #else
    return nil
  #endif
}
