extension InspectionReport {
  /// The terminal width the text report fits.
  static let width = 100

  /// Breaks every line of `text` longer than `width` at its last space that fits.
  ///
  /// A continuation line is indented two more spaces than the line it continues; the spacing
  /// inside a line is kept, and a word longer than the width stays whole.
  static func wrapped(_ text: String, width: Int = width) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let indent = String(line.prefix { $0 == " " })
      var rest = Substring(line)
      var prefix = ""
      while prefix.count + rest.count > width {
        let body = rest.dropFirst(prefix.isEmpty ? indent.count : 0)
        let window = body.prefix(width - prefix.count - (rest.count - body.count) + 1)
        guard let space = window.lastIndex(of: " "), space > body.startIndex else { break }
        out += prefix + rest[..<space] + "\n"
        rest = rest[space...].drop { $0 == " " }
        prefix = indent + "  "
      }
      out += prefix + rest + "\n"
    }
    return String(out.dropLast())
  }
}
