extension WatchReport {
  /// The widest line the view prints (a 100-column terminal).
  public static let columns = 100

  /// The sample as a person reads it, one screen, at most ``columns`` wide: memory, zones
  /// against their watermarks, the fastest RSS growers, then the predictions.
  public var text: String {
    var out = Self.fitted("sample \(sample) at \(time) s: ", source) + "\n"
    out += "MemFree \(Self.kB(memFreeKB))  MemAvailable \(Self.kB(memAvailableKB))"
    out += "  SwapFree \(Self.kB(swapFreeKB))\n"
    if !zones.isEmpty {
      let order = { (order: Int?) in order.map { $0 < 0 ? "none" : "\($0)" } ?? "-" }
      let requests = WatchSample.highestOrderRequests
      var rows = [
        [
          "zone (pages)", "free", "min", "low", "high", "largest free",
          "grants " + requests.joined(separator: " / "),
        ]
      ]
      for zone in zones {
        rows.append([
          "\(zone.node)/\(zone.zone)", "\(zone.freePages)", "\(zone.minPages)",
          "\(zone.lowPages)", "\(zone.highPages)", order(zone.largestFreeOrder),
          zone.highestOrder.map { orders in
            requests.map { order(orders[$0]) }.joined(separator: " / ")
          } ?? "-",
        ])
      }
      out += textTable(rows, textColumns: 1)
    }
    guard let trend else {
      return out + "trend: needs a second sample with meminfo\n"
    }
    let fit = "linear fit over \(trend.samples) samples, \(Self.duration(trend.seconds))"
    if topGrowers.isEmpty {
      out += "no task's RSS grows (\(fit))\n"
    } else {
      out += "top RSS growers (\(fit)):\n"
      var rows = [["pid", "rss kB", "swap kB", "kB/s", "comm"]]
      for grower in topGrowers {
        rows.append([
          "\(grower.pid)", "\(grower.rssKB)", "\(grower.swapKB)", "+\(grower.rssKBPerSecond)",
          grower.comm,
        ])
      }
      out += textTable(rows, textColumns: 2)
    }
    let rate = { (value: Double?) in value.map { "\($0)" } ?? "-" }
    out += Self.line(
      "trend in kB/s (\(fit)):",
      "MemFree \(trend.memFreeKBPerSecond), MemAvailable \(rate(trend.memAvailableKBPerSecond))")
    out += "  MemAvailable + SwapFree \(rate(trend.headroomKBPerSecond))\n"
    if let predictions { out += predictions.text }
    return out
  }

  /// `prefix` then as much of `tail`'s end as fits in ``columns``.
  private static func fitted(_ prefix: String, _ tail: String) -> String {
    let room = columns - prefix.count
    return prefix + (tail.count <= room ? tail : "…" + tail.suffix(room - 1))
  }

  /// `head tail` on one line when it fits in ``columns``, else `tail` on a line of its own,
  /// indented two spaces.
  static func line(_ head: String, _ tail: String) -> String {
    let joined = head + " " + tail
    return (joined.count <= columns ? joined : head + "\n  " + tail) + "\n"
  }

  private static func kB(_ value: Int?) -> String { value.map { "\($0) kB" } ?? "-" }

  /// `58.9 s`, `2 min 48 s`, `5 h 3 min`, `12 d 4 h`; beyond 10,000 days, `over 10000 d`.
  static func duration(_ seconds: Double) -> String {
    if seconds < 60 { return "\(rounded(seconds)) s" }
    if seconds > 864_000_000 { return "over 10000 d" }
    let whole = Int(seconds.rounded())
    if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
    if whole < 86_400 { return "\(whole / 3600) h \(whole % 3600 / 60) min" }
    return "\(whole / 86_400) d \(whole % 86_400 / 3600) h"
  }
}

extension WatchReport.Predictions {
  /// The three events, one line each, then the victim.
  var text: String {
    var out = kswapdWakes.line("kswapd wakes", condition: "MemFree ≤ Σ low")
    out += directReclaim.line("direct reclaim", condition: "MemFree ≤ Σ min")
    out += oomKill.line("OOM killer", condition: "MemAvailable + SwapFree ≤")
    guard oomKill.inSeconds != nil, oomDecision != nil else { return out }
    if oomDecision == TaskInspection.Decision.panic.rawValue {
      out += "then the kernel panics (vm.panic_on_oom); without it:\n"
    } else if oomDecision == TaskInspection.Decision.killAllocatingTask.rawValue {
      out +=
        "then the allocating task dies (vm.oom_kill_allocating_task); if it cannot be killed:\n"
    }
    if let victim = oomVictim {
      out += WatchReport.line(
        "then the OOM killer picks \(victim.pid) (\(victim.comm)):",
        "badness \(victim.badnessPages) pages, rss \(victim.rssKB) kB, swap \(victim.swapKB) kB")
    } else {
      out += "then the OOM killer finds nothing killable\n"
    }
    if let now = oomVictimNow {
      out += "(now it would pick \(now.pid) (\(now.comm)): badness \(now.badnessPages) pages)\n"
    }
    return out
  }
}

extension WatchReport.Event {
  /// `name (condition threshold): in … (at … s)` or `no exhaustion predicted`.
  fileprivate func line(_ name: String, condition: String) -> String {
    let level = thresholdKB.map { " \($0) kB" } ?? " ? (no zoneinfo)"
    let head = "\(name) (\(condition)\(level)): "
    guard let inSeconds, let atTime else { return head + "no exhaustion predicted\n" }
    if inSeconds == 0 { return head + "now\n" }
    return head + "in \(WatchReport.duration(inSeconds)) (at \(atTime) s)\n"
  }
}
