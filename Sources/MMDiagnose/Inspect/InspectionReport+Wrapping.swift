extension InspectionReport {
  /// The terminal width the text report fits.
  static let width = 100

  /// Breaks every line of `text` longer than `width` at spaces.
  ///
  /// A continuation line is indented two more spaces than the line it continues; a word longer
  /// than the width stays whole.
  static func wrapped(_ text: String, width: Int = width) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      guard line.count > width else {
        out += line + "\n"
        continue
      }
      let indent = String(line.prefix { $0 == " " })
      var current = indent
      for word in line.dropFirst(indent.count).split(separator: " ") {
        if current.count > indent.count && current.count + 1 + word.count > width {
          out += current + "\n"
          current = indent + "  " + word
        } else {
          current += (current.count > indent.count ? " " : "") + word
        }
      }
      out += current + "\n"
    }
    return String(out.dropLast())
  }
}
