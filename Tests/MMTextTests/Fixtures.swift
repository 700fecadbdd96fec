import Foundation

/// The fixtures copied unchanged from ../shared (corpus logs, ground-truth recordings).
enum Fixtures {
  /// `Tests/Fixtures`, found from this file's path.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// Every regular file below `Tests/Fixtures/<folder>`, sorted by path.
  static func files(under folder: String) -> [URL] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
    else { return [] }
    return walker.compactMap { $0 as? URL }
      .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
      .sorted { $0.path < $1.path }
  }

  /// The file's text, split into lines (invalid UTF-8 repaired).
  static func lines(of file: URL) throws -> [String] {
    let data = try Data(contentsOf: file)
    return String(decoding: data, as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}
