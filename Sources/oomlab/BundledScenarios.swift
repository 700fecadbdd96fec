internal import Foundation
internal import MMSim

/// The scenarios shipped with oomlab (`scenarios/`, copied into the executable's resources).
enum BundledScenarios {
  /// The scenario `oomlab run` plays without an argument: the seed case.
  static let `default` = "seed-cma-leak"

  /// The folder holding them.
  private static var folder: URL? {
    Bundle.module.url(forResource: "scenarios", withExtension: nil)
  }

  /// The names (file names without `.yaml`), sorted.
  static var names: [String] {
    guard let folder,
      let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// A bundled scenario's text and the name errors cite (`scenarios/<name>.yaml`).
  static func text(named name: String) throws -> (String, String) {
    let base = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
    guard let folder,
      let data = FileManager.default.contents(
        atPath: folder.appendingPathComponent(base + ".yaml").path)
    else { throw failure("\(name): no such bundled scenario", status: 2) }
    return (String(decoding: data, as: UTF8.self), "scenarios/\(base).yaml")
  }

  /// Every bundled scenario, read, in name order.
  static func all() throws -> [(String, Scenario)] {
    try names.map { name in
      let (text, file) = try text(named: name)
      return (name, try Scenario(yaml: text, file: file))
    }
  }
}
