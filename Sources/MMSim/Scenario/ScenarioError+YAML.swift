internal import Yams

extension ScenarioError {
  /// A YAML syntax error, at the position libyaml reports.
  init(file: String, yaml: String, _ error: YamlError) {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      var reason = problem
      if let context {
        reason += " (\(context.text) at \(context.mark.line):\(context.mark.column))"
      }
      if Self.line(mark.line, of: yaml).contains("\t") {
        reason += "; tabs cannot indent YAML, use spaces"
      }
      self.init(file: file, line: mark.line, column: mark.column, keyPath: "", reason: reason)
    case .reader(let problem, let offset, _, _):
      let position = offset.map { Self.position(ofCharacter: $0, in: yaml) }
      self.init(
        file: file, line: position?.line, column: position?.column, keyPath: "", reason: problem)
    case .duplicatedKeysInMapping(let duplicates, let context):
      let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
      self.init(
        file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
        reason: "duplicate key \(names)")
    default:
      self.init(file: file, keyPath: "", reason: "cannot read YAML: \(error)")
    }
  }

  /// The 1-based line `number` of `text` (empty past the end).
  private static func line(_ number: Int, of text: String) -> Substring {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return number >= 1 && number <= lines.count ? lines[number - 1] : ""
  }

  /// The 1-based line and column of the character at `offset`.
  private static func position(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int)
  {
    var line = 1
    var column = 1
    for character in text.prefix(offset) {
      if character == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }
}

extension ScenarioLocator {
  /// A decoding error, placed at the key it is about and worded for the file's author.
  func error(decoding error: DecodingError) -> ScenarioError {
    switch error {
    case .typeMismatch(let type, let context):
      let path = path(of: context.codingPath)
      return self.error(at: path, mismatch(expected: type, found: node(at: path)))
    case .valueNotFound(let type, let context):
      return self.error(
        at: path(of: context.codingPath), "expected \(Self.name(of: type)), found nothing")
    case .keyNotFound(let key, let context):
      return self.error(
        at: path(of: context.codingPath) / key.stringValue,
        "missing required key '\(key.stringValue)'")
    case .dataCorrupted(let context):
      return self.error(at: path(of: context.codingPath), context.debugDescription)
    @unknown default:
      return self.error(at: .root, "\(error)")
    }
  }

  /// Why a value is not of the expected type.
  private func mismatch(expected type: Any.Type, found node: Node?) -> String {
    let expected = Self.name(of: type)
    switch node {
    case .scalar(let scalar)?:
      let text = scalar.string
      if text.isEmpty { return "expected \(expected), found nothing" }
      let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
      if type is any FixedWidthInteger.Type, !digits.isEmpty, digits.allSatisfy(\.isWholeNumber) {
        return "'\(text)' is out of range for \(expected)"
      }
      return "expected \(expected), found '\(text)'"
    case .mapping?: return "expected \(expected), found a mapping"
    case .sequence?: return "expected \(expected), found a list"
    case .alias?, nil: return "expected \(expected)"
    }
  }

  /// The kind of value a decoded type reads, in words.
  private static func name(of type: Any.Type) -> String {
    switch type {
    case is Int.Type: "an integer"
    case is UInt64.Type: "a non-negative integer"
    case is Bool.Type: "true or false"
    case is String.Type: "text"
    case is Node.Mapping.Type: "a mapping of keys"
    case is Node.Sequence.Type: "a list"
    default: "a single value"
    }
  }
}
