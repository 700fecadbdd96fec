package import Foundation

/// The fixtures copied unchanged from ../shared (corpus logs, ground-truth recordings), found
/// from this file's path so that tests never read ../shared.
package enum Fixtures {
  /// `Tests/Fixtures`.
  package static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// `Sources/oomlab/scenarios`: the scenarios oomlab ships.
  package static let bundledScenarios = root.deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/oomlab/scenarios")

  /// `Tests/Fixtures/ground-truth`.
  package static let groundTruth = root.appendingPathComponent("ground-truth")

  /// Every regular file below `Tests/Fixtures/<folder>`, sorted by path.
  package static func files(under folder: String) -> [URL] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
    else { return [] }
    return walker.compactMap { $0 as? URL }
      .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
      .sorted { $0.path < $1.path }
  }

  /// The file's text, split into lines (invalid UTF-8 repaired).
  package static func lines(of file: URL) throws -> [String] {
    let data = try Data(contentsOf: file)
    return String(decoding: data, as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// The file's text (invalid UTF-8 repaired).
  package static func text(of file: URL) throws -> String {
    String(decoding: try Data(contentsOf: file), as: UTF8.self)
  }

  /// The ground-truth file called `name` in every captured `proc/` folder (`zoneinfo`,
  /// `sys/vm/min_free_kbytes`, …), sorted by path.
  package static func procFiles(named name: String) -> [URL] {
    files(under: "ground-truth").filter { $0.path.hasSuffix("/proc/" + name) }
  }

  /// The ground-truth `proc/` folders that hold `file` (`zoneinfo`, …), sorted by path.
  package static func procFolders(holding file: String) -> [URL] {
    procFiles(named: file).map { $0.deletingLastPathComponent() }
  }

  /// The files of a captured `proc/` folder's `sys/vm`, by name.
  package static func sysVMFiles(in procFolder: URL) throws -> [String: String] {
    let vm = procFolder.appendingPathComponent("sys/vm")
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: vm.path) {
      files[name] = try text(of: vm.appendingPathComponent(name))
    }
    return files
  }

  /// The path of `file` below `Tests/Fixtures`, for messages.
  package static func relativePath(_ file: URL) -> String {
    file.path.replacingOccurrences(of: root.path + "/", with: "")
  }
}
