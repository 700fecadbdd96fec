internal import Yams

/// Finds where a key path lies in a parsed scenario file, so that errors name a line and column.
struct ScenarioLocator {
  /// The file's root node.
  let root: Node
  /// The file's name, as errors print it.
  let file: String

  /// An error about the key at `path`, placed at that key (or at the deepest part of the path
  /// that the file has, when the key is missing).
  func error(at path: ScenarioPath, _ reason: String) -> ScenarioError {
    let mark = self.mark(of: path)
    return ScenarioError(
      file: file, line: mark?.line, column: mark?.column, keyPath: path.description,
      reason: reason)
  }

  /// The node the path leads to, if the file has it.
  func node(at path: ScenarioPath) -> Node? {
    var node: Node? = root
    for step in path.steps {
      node = node.flatMap { child(of: $0, at: step)?.value }
    }
    return node
  }

  /// The keys of the mapping at `path`, in file order; `nil` when the file has no mapping there.
  func keys(at path: ScenarioPath) -> [String]? {
    node(at: path)?.mapping?.keys.compactMap(\.string)
  }

  /// The position of the last step of `path` the file has: a key's own position, or the start
  /// of a list element.
  private func mark(of path: ScenarioPath) -> Mark? {
    var node = root
    var mark = root.mark
    for step in path.steps {
      guard let found = child(of: node, at: step) else { break }
      node = found.value
      mark = found.mark ?? mark
    }
    return mark
  }

  /// The child at `step` and the position of its key (or of the element itself in a list).
  private func child(of node: Node, at step: ScenarioPath.Step) -> (value: Node, mark: Mark?)? {
    switch (node, step) {
    case (.mapping(let mapping), .key(let key)):
      return mapping.first { $0.key.string == key }.map { ($0.value, $0.key.mark) }
    case (.sequence(let sequence), .index(let index)):
      guard index >= 0, index < sequence.count else { return nil }
      let element = sequence[sequence.index(sequence.startIndex, offsetBy: index)]
      return (element, element.mark)
    default:
      return nil
    }
  }

  /// The scenario path of a decoder's coding path: list indices where the file has a list.
  func path(of codingPath: [any CodingKey]) -> ScenarioPath {
    var path = ScenarioPath.root
    for key in codingPath {
      if case .sequence? = node(at: path), let index = key.intValue {
        path = path / index
      } else {
        path = path / key.stringValue
      }
    }
    return path
  }
}
