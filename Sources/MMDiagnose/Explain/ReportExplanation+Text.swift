extension ReportExplanation {
  /// The text `oomlab explain` prints for the report: a header (lines, kind, kernel, task,
  /// request, victim), the zones' key numbers, then the findings with their evidence and
  /// remedy.
  ///
  /// - Parameter number: the report's 1-based position in the output.
  public func text(number: Int) -> String {
    var out = "report \(number): \(kind.rawValue), lines \(line)-\(lastLine)"
    out += ", kernel \(kernel ?? "unknown")"
    if let uptime = time?.uptime { out += ", at \(uptime) s" }
    if let date = time?.date { out += ", \(date)" }
    out += "\n"
    if let task {
      out += "  task: \(task.comm ?? "?")"
      if let pid = task.pid { out += " (pid \(pid))" }
      out += "\n"
    }
    var request: [String] = []
    if let order { request.append("order \(order)") }
    if let gfp {
      var mask = "\(gfp.mask)(\(gfp.names))"
      if let printed = gfp.printedNames, printed != gfp.names {
        mask += ", printed as (\(printed))"
      }
      request.append(mask + " decoded as \(gfp.kernel) (\(gfp.kernelSource))")
    }
    if !request.isEmpty { out += "  request: " + request.joined(separator: ", ") + "\n" }
    for line in gfp?.meaning.prefix(4) ?? [] { out += "    \(line)\n" }
    if let victim {
      out += "  killed: \(victim.comm) (pid \(victim.pid))"
      if let anon = victim.anonRssKB { out += " anon-rss \(anon)kB" }
      if let file = victim.fileRssKB { out += " file-rss \(file)kB" }
      if let shmem = victim.shmemRssKB { out += " shmem-rss \(shmem)kB" }
      out += "\n"
    }
    let table = keyNumbersTable
    if !table.isEmpty {
      out += table.split(separator: "\n").map { "    \($0)\n" }.joined()
    }
    if findings.isEmpty {
      out +=
        kind == .showmem
        ? "  no findings: nothing in the machine state the rules flag\n"
        : "  no findings: the report lacks the fields the rules need\n"
    }
    for (index, finding) in findings.enumerated() {
      out += "  \(index + 1). [\(finding.id)] \(finding.title)\n"
      for item in finding.evidence { out += "       - \(item)\n" }
      out += "       remedy: \(finding.remedy)\n"
    }
    if !problems.isEmpty {
      out += "  parse notes: \(problems.count)\n"
      for problem in problems { out += "    \(problem)\n" }
    }
    return out
  }
}
