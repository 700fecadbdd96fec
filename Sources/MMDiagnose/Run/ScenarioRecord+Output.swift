internal import Foundation
internal import MMCore
public import MMSim
internal import MMText

/// What `oomlab run` writes for a played scenario: the kernel log, the events, the /proc
/// snapshots and a one-paragraph summary.
extension ScenarioRecord {
  /// The kernel log: every report in the kernel's text, each line stamped `[%5lu.%06lu]` with
  /// the virtual time it was printed (all lines of one report share its time).
  public var kernelLog: String {
    var out = ""
    for entry in log {
      var text = ""
      switch entry.report {
      case .allocationFailure(let report, let suppressed):
        if suppressed > 0 { text += "warn_alloc: \(suppressed) callbacks suppressed\n" }
        text += report.render()
      case .oom(let report):
        text += report.render()
      }
      let stamp = Self.timestamp(entry.nanoseconds)
      for line in text.split(separator: "\n") { out += stamp + " " + line + "\n" }
    }
    return out
  }

  /// `printk`'s `[%5lu.%06lu]` for a virtual time.
  static func timestamp(_ nanoseconds: UInt64) -> String {
    var clock = SimClock()
    clock.advance(byNanoseconds: nanoseconds)
    return clock.logTimestamp
  }

  /// A virtual time in seconds with microseconds (`65.000000`).
  static func seconds(_ nanoseconds: UInt64) -> String {
    String(timestamp(nanoseconds).dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
  }

  /// The events, one JSON object per line.
  public var eventsJSONLines: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return events.compactMap { try? encoder.encode($0) }
      .map { String(decoding: $0, as: UTF8.self) + "\n" }.joined()
  }

  /// The samples as CSV: time in seconds, per zone free/min/low/high pages, MemFree,
  /// MemAvailable and Committed_AS in kB, each declared task's resident pages.
  public var timelineCSV: String {
    let zones = samples.first?.zones.map(\.name) ?? []
    var header = ["time_s"]
    for zone in zones { header += ["free", "min", "low", "high"].map { "\(zone)_\($0)" } }
    header += ["MemFree_kB", "MemAvailable_kB", "Committed_AS_kB"]
    header += declaredPIDs.map { "rss_\($0)" }
    var out = header.joined(separator: ",") + "\n"
    for sample in samples {
      var row = [Self.seconds(sample.nanoseconds)]
      for zone in sample.zones {
        row += [zone.free, zone.min, zone.low, zone.high].map(String.init)
      }
      row += [sample.memFree, sample.memAvailable, sample.committedAS].map(String.init)
      row += declaredPIDs.map { String(sample.rss[$0] ?? 0) }
      out += row.joined(separator: ",") + "\n"
    }
    return out
  }

  /// Each snapshot's files as `/proc` shows them, by relative path
  /// (`proc/<t>-<label>/meminfo`, `proc/<t>-<label>/<pid>/oom_score`, with `t` the virtual time
  /// in seconds: `proc/65.000000-end/meminfo`).
  public var snapshotFiles: [String: String] {
    var files: [String: String] = [:]
    for snapshot in snapshots {
      // A label names a folder: no path separators or dot-names; a repeated one gets a suffix.
      var label = String(snapshot.label.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
      if label.hasPrefix(".") { label = "_" + label.dropFirst() }
      var folder = "proc/\(Self.seconds(snapshot.nanoseconds))-\(label)/"
      var copy = 2
      while files[folder + "meminfo"] != nil {
        folder = "proc/\(Self.seconds(snapshot.nanoseconds))-\(label)-\(copy)/"
        copy += 1
      }
      files[folder + "meminfo"] = snapshot.memInfo.render()
      files[folder + "vmstat"] = snapshot.vmStat.render()
      files[folder + "buddyinfo"] = snapshot.buddyInfo.render()
      files[folder + "pagetypeinfo"] = snapshot.pageTypeInfo.render()
      files[folder + "zoneinfo"] = snapshot.zoneInfo.render()
      for (pid, score) in snapshot.oomScores {
        files[folder + "\(pid)/oom_score"] = "\(score)\n"
      }
    }
    return files
  }

  /// What happened, in one paragraph with the numbers: the first allocation failure, the OOM
  /// kills, a panic, or that nothing failed.
  public var summary: String {
    var sentences: [String] = []
    let time = { (event: RunEvent) in Self.seconds(event.nanoseconds) + " s" }
    let failures = events.filter { $0.kind == .allocationFailure }
    if let first = failures.first {
      let names =
        first.gfp.flatMap { UInt64($0.dropFirst(2), radix: 16) }
        .map { GFPDialect(kernel: kernel).names(of: $0) } ?? "?"
      var sentence =
        "At \(time(first)) an order-\(first.order ?? 0) \(names) allocation"
        + (first.pid.map { $0 > 0 ? " by pid \($0)" : "" } ?? "") + " failed: \(first.detail)"
      if failures.count > 1 { sentence += " (\(failures.count) failures in all)" }
      if let end = snapshots.last, let free = end.memInfo.value(named: "MemFree") {
        sentence += ". At the end of the run free memory was \(free) kB"
        if let cma = end.memInfo.value(named: "CmaFree"), cma > 0 {
          sentence +=
            ", \(cma) kB of it (\(cma * 100 / max(free, 1)) %) in CMA pageblocks, which only "
            + "movable requests may use"
        }
      }
      sentences.append(sentence)
    }
    let kills = events.filter { $0.kind == .oomKill }
    if let first = kills.first {
      sentences.append(
        "The OOM killer ran \(kills.count) time\(kills.count == 1 ? "" : "s"), first at "
          + "\(time(first)): \(first.detail)")
    }
    let refusals = events.filter { $0.kind == .commitRefused }
    if let first = refusals.first {
      sentences.append("At \(time(first)) \(first.detail)")
    }
    if let panic = events.first(where: { $0.kind == .panic }) {
      sentences.append("At \(time(panic)) the kernel panicked: \(panic.detail)")
    }
    if sentences.isEmpty {
      sentences.append("Nothing failed in \(Self.seconds(endNanoseconds)) s of virtual time")
    }
    return sentences.joined(separator: ". ") + ". The run ended: \(endedBecause).\n"
  }
}
