/// Rows of cells as a plain-text table: the first column (and the `textColumns − 1` last ones)
/// left-aligned, the others right-aligned, two spaces between columns, no trailing spaces; a
/// short row leaves its last columns empty.
func textTable(_ rows: [[String]], textColumns: Int = 3) -> String {
  guard let columns = rows.map(\.count).max() else { return "" }
  let widths = (0..<columns).map { column in
    rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
  }
  var out = ""
  for row in rows {
    var line = ""
    for (column, cell) in row.enumerated() {
      let pad = String(repeating: " ", count: widths[column] - cell.count)
      let isText = column == 0 || (textColumns > 1 && column >= columns - (textColumns - 1))
      line += isText ? cell + pad : pad + cell
      if column < columns - 1 { line += "  " }
    }
    while line.hasSuffix(" ") { line.removeLast() }
    out += line + "\n"
  }
  return out
}
