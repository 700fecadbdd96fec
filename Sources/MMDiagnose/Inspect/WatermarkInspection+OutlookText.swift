internal import MMCore

extension WatermarkInspection {
  /// Free blocks per order (columns `o0` … `o10`) with the unusable and extfrag indices below
  /// them, three rows per zone, then each zone's largest free block per migratetype; empty
  /// without buddyinfo.
  var orderTable: String {
    let withBlocks = zones.filter { $0.freeBlocks != nil }
    guard !withBlocks.isEmpty else { return "" }
    let orders = withBlocks.map { $0.freeBlocks?.count ?? 0 }.max() ?? 0
    var rows = [["free blocks"] + (0..<orders).map { "o\($0)" }]
    for zone in withBlocks {
      rows.append(
        ["\(zone.node)/\(zone.zone)"] + (zone.freeBlocks ?? []).map(String.init))
      if let unusable = zone.unusableIndex, let extfrag = zone.extfragIndex {
        rows.append(["  unusable"] + unusable.map(Self.index))
        rows.append(["  extfrag"] + extfrag.map(Self.index))
      }
    }
    let padded = rows.map { $0 + Array(repeating: "", count: max(0, 1 + orders - $0.count)) }
    var out = "\n" + textTable(padded, textColumns: 1)
    for zone in withBlocks {
      guard let largest = zone.largestFreeOrder else { continue }
      let rank = { (name: String) in MigrateType(kernelName: name)?.rawValue ?? Int.max }
      let types = largest.sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }.map {
        "\($0.key) \($0.value < 0 ? "-" : String($0.value))"
      }
      out +=
        "\(zone.node)/\(zone.zone) largest free block order: " + types.joined(separator: ", ")
        + "\n"
    }
    return out
  }

  /// The longest request name a row of ``allocationTable`` prints (`GFP_HIGHUSER_MOVABLE` is
  /// 20); a longer `--gfp` gets a numbered label and its name on a line below the table, so
  /// that one long name does not push every row past 100 columns.
  static let requestLabelWidth = 24

  /// The highest order each request would be granted from each zone now: fast path, then the
  /// slow path's first attempt with its reserves (`-` for none); empty without the outlook.
  var allocationTable: String {
    let checked = zones.filter { $0.highestOrder != nil }
    guard let names = checked.first?.highestOrder?.keys else { return "" }
    let requests = names.sorted { a, b in
      let standard = AllocationRequest.standardNames
      return (standard.firstIndex(of: a) ?? standard.count, a)
        < (standard.firstIndex(of: b) ?? standard.count, b)
    }
    var rows = [["highest order now"] + checked.map { "\($0.node)/\($0.zone)" }]
    var legend = ""
    for request in requests {
      var label = request
      if request.count > Self.requestLabelWidth {
        label = "--gfp \(legend.count { $0 == "\n" } + 1)"
        legend += "\(label): \(request)\n"
      }
      rows.append(
        [label]
          + checked.map { zone in
            Self.order(zone.highestOrder?[request]) + " / "
              + Self.order(zone.highestOrderWithReserves?[request])
          })
    }
    return "\n" + textTable(rows, textColumns: 1)
      + "(fast path / slow path before reclaim, with the reserves the request earns; - none)\n"
      + legend
  }

  /// Free pages against the watermarks and what reclaim and compaction could add, per zone.
  var headroomTable: String {
    let measured = zones.filter { $0.headroom != nil && $0.managed > 0 }
    guard !measured.isEmpty else { return "" }
    var rows = [
      [
        "headroom (MiB)", "free", "min", "low", "high", "free CMA", "file LRU", "anon LRU",
        "compactable",
      ]
    ]
    for zone in measured {
      guard let headroom = zone.headroom else { continue }
      rows.append(
        [
          "\(zone.node)/\(zone.zone)", "\(headroom.freeMB)", "\(headroom.minMB)",
          "\(headroom.lowMB)", "\(headroom.highMB)", Self.mebibytes(headroom.freeCMAPages),
          Self.mebibytes(headroom.fileLRUPages), Self.mebibytes(headroom.anonLRUPages),
          Self.mebibytes(headroom.compactablePages),
        ])
    }
    return "\n" + textTable(rows, textColumns: 1)
  }

  /// An index as debugfs prints it (`0.998`, `-1.000`).
  static func index(_ value: Double) -> String {
    let thousandths = Int((value * 1000).rounded())
    let whole = thousandths / 1000, fraction = abs(thousandths % 1000)
    let digits = String(fraction)
    return "\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
  }

  private static func order(_ value: Int?) -> String {
    guard let value, value >= 0 else { return "-" }
    return String(value)
  }

  private static func mebibytes(_ pages: Int?) -> String {
    guard let pages else { return "-" }
    return String((Double(pages << 12) / Double(1 << 20) * 10).rounded() / 10)
  }
}
