/// printf-style padded output, for renderers that must match the kernel's format strings.

extension String {
  /// Appends `text` right-aligned in `width` columns, as printf's `%<width>s` does: never cut,
  /// only padded.
  mutating func append(_ text: String, rightAlignedIn width: Int) {
    let padding = width - text.utf8.count
    if padding > 0 { append(String(repeating: " ", count: padding)) }
    append(text)
  }

  /// Appends `text` left-aligned in `width` columns, as printf's `%-<width>s` does.
  mutating func append(_ text: String, leftAlignedIn width: Int) {
    append(text)
    let padding = width - text.utf8.count
    if padding > 0 { append(String(repeating: " ", count: padding)) }
  }

  /// Appends `value` right-aligned in `width` columns, as printf's `%<width>lu` does.
  mutating func append(_ value: Int, rightAlignedIn width: Int) {
    append(String(value), rightAlignedIn: width)
  }

  /// Appends `value` in decimal (`%lu`, `%d`).
  mutating func append(_ value: Int) {
    append(String(value))
  }

  /// Appends the `Node %d, zone %8s` prefix of buddyinfo, pagetypeinfo and zoneinfo rows
  /// (pagetypeinfo's free-page rows print the node as `%4d`: `nodeWidth` 4).
  mutating func appendNodeAndZone(node: Int, nodeWidth: Int = 0, zone: String) {
    append("Node ")
    append(node, rightAlignedIn: nodeWidth)
    append(", zone ")
    append(zone, rightAlignedIn: 8)
  }
}
