internal import MMCore

extension MemoryStateDiagnosis {
  /// The nodes of a `%*pbl` node list (`0-1,3`), or `nil` for `(null)` or text that is not
  /// one.
  static func nodes(_ list: String) -> Set<Int>? {
    guard list != "(null)", !list.isEmpty else { return nil }
    var nodes: Set<Int> = []
    for part in list.split(separator: ",") {
      let ends = part.split(separator: "-", omittingEmptySubsequences: false)
      guard ends.count <= 2, let first = Int(ends[0]), let last = Int(ends[ends.count - 1]),
        0 <= first, first <= last, last < 1 << 16
      else { return nil }
      nodes.formUnion(first...last)
    }
    return nodes
  }

  /// The request was confined to some nodes (a `CONSTRAINT_MEMORY_POLICY` / `CONSTRAINT_CPUSET`
  /// OOM, a `nodemask=` or cpuset `mems_allowed=` narrower than the printed nodes), those
  /// nodes' zones could not serve it, and a node outside had memory.
  var numaPolicy: Finding? {
    let printed = Set(zones.compactMap(\.state.node))
    guard printed.count >= 2 else { return nil }
    var allowed = printed
    var reasons: [String] = []
    let linesText = constraint.lines.map { "line \($0)" }.joined(separator: ", ")
    let at = constraint.lines.isEmpty ? "" : "\(linesText): "
    if let mask = constraint.nodemask.flatMap(Self.nodes), !printed.isSubset(of: mask) {
      allowed.formIntersection(mask)
      reasons.append("nodemask=\(constraint.nodemask ?? "")")
    }
    if let mems = constraint.memsAllowed.flatMap(Self.nodes), !printed.isSubset(of: mems) {
      allowed.formIntersection(mems)
      reasons.append("mems_allowed=\(constraint.memsAllowed ?? "")")
    }
    if let kind = constraint.constraint,
      kind == "CONSTRAINT_MEMORY_POLICY" || kind == "CONSTRAINT_CPUSET"
    {
      reasons.insert("constraint=\(kind)", at: 0)
    }
    guard !reasons.isEmpty, !allowed.isEmpty, allowed != printed else { return nil }
    let inside = zones.filter { zone in
      zone.state.node.map(allowed.contains) ?? false
        && (request.flatMap(\.mask.zone).map { (zone.state.kind ?? .normal) <= $0 } ?? true)
    }
    let checks = inside.compactMap(check)
    guard !checks.isEmpty, checks.count == inside.count, checks.allSatisfy({ !$0.passes })
    else { return nil }
    let outside = zones.filter { zone in
      !(zone.state.node.map(allowed.contains) ?? true)
        && zone.freeKilobytes > (zone.state["min"] ?? Int.max)
    }
    guard !outside.isEmpty else { return nil }
    let allowedText = allowed.sorted().map(String.init).joined(separator: ",")
    let outsideFree = outside.reduce(0) { $0 &+ $1.freeKilobytes }
    var evidence = [
      "\(at)\(reasons.joined(separator: ", ")): the request may use node(s) \(allowedText) of "
        + "the printed \(printed.sorted().map(String.init).joined(separator: ","))"
    ]
    evidence += checks.map(\.evidence)
    for zone in outside {
      evidence.append(
        "\(ReportedZone.at(zone.stateLine))\(zone.name) free:\(zone.freeKilobytes)kB min:"
          + "\(zone.state["min"] ?? 0)kB: outside the allowed nodes")
    }
    return Finding(
      id: "numa-policy",
      title: "the request was confined to node(s) \(allowedText) "
        + "(\(reasons.joined(separator: ", "))), which were exhausted, while other nodes had "
        + "\(kilobytesText(outsideFree)) free",
      evidence: evidence,
      remedy: "Widen the task's memory policy or cpuset (cpuset.mems, numactl --membind) to "
        + "the nodes that have memory, use an interleave or preferred policy (numactl "
        + "--interleave / --preferred) instead of a strict bind, or size the workload to the "
        + "memory of the nodes it is bound to.",
      weight: 92)
  }
}
