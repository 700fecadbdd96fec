extension HeadroomInspection {
  /// The machine's headroom as a person reads it: memory available, what reclaim could free,
  /// the commit headroom in mode 2, the highest order each request gets, then the findings.
  public var text: String {
    var out = "headroom:"
    if let available = memAvailableKB { out += " MemAvailable \(kilobytesText(available))" }
    if let free = memFreeKB { out += ", MemFree \(kilobytesText(free))" }
    out += "\n"
    if let reclaimable = reclaimableKB {
      out +=
        "reclaimable: \(kilobytesText(reclaimable.total)): file cache \(reclaimable.file) kB, "
        + "anon to swap \(reclaimable.anonToSwap) kB, kernel caches \(reclaimable.kernel) kB\n"
    }
    if let commit = commitHeadroomKB {
      out += "commit headroom (mode 2): \(commit) kB before CommitLimit\n"
    }
    if let highest = highestOrder {
      let names =
        AllocationRequest.standardNames.filter { highest[$0] != nil }
        + highest.keys.filter { !AllocationRequest.standardNames.contains($0) }.sorted()
      var line = "highest order now (any zone):"
      for name in names {
        let term =
          " \(name) \(Self.order(highest[name]))/\(Self.order(highestOrderWithReserves?[name]))"
        if line.count + term.count + 1 > 100 {
          out += line + "\n"
          line = " "
        }
        line += term + ","
      }
      out += String(line.dropLast()) + "\n"
    }
    if findings.isEmpty {
      out += "findings: none\n"
    } else {
      out += "findings:\n"
      for finding in findings {
        out += "- [\(finding.id)] \(finding.title)\n"
        for evidence in finding.evidence { out += "  \(evidence)\n" }
        out += "  → \(finding.remedy)\n"
      }
    }
    return out
  }

  private static func order(_ value: Int?) -> String {
    guard let value, value >= 0 else { return "-" }
    return String(value)
  }
}
