internal import Yams

extension ScenarioError {
  /// The error with the line and column of its key path in the scenario file `yaml`.
  ///
  /// For errors found after loading (building the machine, playing the timeline), which know
  /// the key path only. Unchanged when it already has a line, has no key path, or the file does
  /// not read.
  public func placed(in yaml: String) -> ScenarioError {
    guard line == nil, !keyPath.isEmpty, let root = try? Yams.compose(yaml: yaml) else {
      return self
    }
    let locator = ScenarioLocator(root: root, file: file)
    var placed = locator.error(at: Self.path(keyPath, in: locator), reason)
    placed.keyPath = keyPath
    return placed
  }

  /// The steps of a printed key path; a key holding dots (`sysctl.vm.min_free_kbytes`) is found
  /// by joining parts until the file has such a key.
  private static func path(_ text: String, in locator: ScenarioLocator) -> ScenarioPath {
    var path = ScenarioPath.root
    var parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    while !parts.isEmpty {
      var part = parts.removeFirst()
      var indices: [Int] = []
      while let open = part.lastIndex(of: "["), part.hasSuffix("]"),
        let index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)])
      {
        indices.insert(index, at: 0)
        part = String(part[..<open])
      }
      let keys = locator.keys(at: path) ?? []
      var key = part
      var consumed = 0
      while !keys.contains(key), consumed < parts.count {
        key += "." + parts[consumed]
        consumed += 1
      }
      if keys.contains(key) {
        parts.removeFirst(consumed)
      } else {
        key = part
      }
      path = path / key
      for index in indices { path = path / index }
    }
    return path
  }
}
