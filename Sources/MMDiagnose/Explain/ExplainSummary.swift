/// What a log's reports add up to: how many of each kind, the first and the last, the causes,
/// the failing requests and the OOM victims — what `oomlab explain` prints above a log's
/// reports when there are several.
public struct ExplainSummary: Hashable, Sendable {
  /// A count of something, in order of first appearance.
  public struct Tally: Hashable, Sendable {
    /// What was counted.
    public var name: String
    /// How many times.
    public var count: Int

    /// Creates a count.
    public init(name: String, count: Int) {
      self.name = name
      self.count = count
    }
  }

  /// How many reports.
  public var reportCount: Int
  /// Reports per kind, in the catalogue's order of kinds, zero counts left out.
  public var kinds: [Tally]
  /// The first finding (the cause) of each report, by id, most frequent first.
  public var causes: [Tally]
  /// The failing requests, `task order N GFP`, most frequent first.
  public var requests: [Tally]
  /// The killed tasks by name, most frequent first.
  public var victims: [Tally]
  /// The first report, as `file line N` with its time.
  public var first: String?
  /// The last report, the same way.
  public var last: String?

  /// Sums up `reports`, which are in input order.
  public init(_ reports: [ReportExplanation]) {
    reportCount = reports.count
    let kindOrder: [ReportExplanation.Kind] = [.allocfail, .vmalloc, .oom, .memcg, .showmem]
    kinds = kindOrder.compactMap { kind in
      let count = reports.count { $0.kind == kind }
      return count > 0 ? Tally(name: kind.rawValue, count: count) : nil
    }
    causes = Self.tally(reports.compactMap { $0.findings.first?.id })
    requests = Self.tally(
      reports.compactMap { report in
        guard report.kind == .allocfail || report.kind == .vmalloc else { return nil }
        var request = report.task?.comm ?? "?"
        if let order = report.order { request += " order \(order)" }
        if let gfp = report.gfp { request += " \(gfp.names)" }
        return request
      })
    victims = Self.tally(reports.compactMap { $0.victim?.comm })
    let namesFiles = Set(reports.map(\.file)).count > 1
    first = reports.first.map { Self.place($0, namesFile: namesFiles) }
    last = reports.last.map { Self.place($0, namesFile: namesFiles) }
  }

  /// Counts equal names, most frequent first, first seen first among equals.
  private static func tally(_ names: [String]) -> [Tally] {
    var tallies: [Tally] = []
    var index: [String: Int] = [:]
    for name in names {
      if let at = index[name] {
        tallies[at].count += 1
      } else {
        index[name] = tallies.count
        tallies.append(Tally(name: name, count: 1))
      }
    }
    return tallies.enumerated().sorted { a, b in
      a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset
    }.map(\.element)
  }

  /// `[file ]line N, uptime S s, date D` for a report.
  private static func place(_ report: ReportExplanation, namesFile: Bool) -> String {
    var out = namesFile ? report.file.map { "\($0) " } ?? "" : ""
    out += "line \(report.line)"
    if let uptime = report.time?.uptime { out += ", uptime \(uptime) s" }
    if let date = report.time?.date { out += ", \(date)" }
    return out
  }

  /// The summary as `oomlab explain` prints it.
  public var text: String {
    func list(_ tallies: [Tally]) -> String {
      tallies.map { $0.count > 1 ? "\($0.name) ×\($0.count)" : $0.name }.joined(separator: ", ")
    }
    var out = "\(reportCount) reports: " + list(kinds) + "\n"
    if let first { out += "  first: \(first)\n" }
    if let last { out += "  last:  \(last)\n" }
    if !causes.isEmpty { out += "  causes (first finding): " + list(causes) + "\n" }
    if !requests.isEmpty { out += "  failing requests: " + list(requests) + "\n" }
    if !victims.isEmpty {
      out += "  killed: " + list(victims) + "\n"
    }
    return out
  }
}
