// Every key is written in every sample, `null` when unknown, so that a JSON Lines consumer sees
// the same keys each time (docs/watch.md). The synthesized encoders would leave them out.

extension WatchReport {
  private enum Key: String, CodingKey {
    case sample, time, source, memFreeKB, memAvailableKB, swapFreeKB, zones, topGrowers, trend
    case predictions
  }

  /// Encodes every key, absent values as `null`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(sample, forKey: .sample)
    try container.encode(time, forKey: .time)
    try container.encode(source, forKey: .source)
    try container.encode(memFreeKB, forKey: .memFreeKB)
    try container.encode(memAvailableKB, forKey: .memAvailableKB)
    try container.encode(swapFreeKB, forKey: .swapFreeKB)
    try container.encode(zones, forKey: .zones)
    try container.encode(topGrowers, forKey: .topGrowers)
    try container.encode(trend, forKey: .trend)
    try container.encode(predictions, forKey: .predictions)
  }
}

extension WatchReport.Zone {
  private enum Key: String, CodingKey {
    case node, zone, freePages, minPages, lowPages, highPages, largestFreeOrder, highestOrder
  }

  /// Encodes every key, an unknown largest or highest order as `null`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(node, forKey: .node)
    try container.encode(zone, forKey: .zone)
    try container.encode(freePages, forKey: .freePages)
    try container.encode(minPages, forKey: .minPages)
    try container.encode(lowPages, forKey: .lowPages)
    try container.encode(highPages, forKey: .highPages)
    try container.encode(largestFreeOrder, forKey: .largestFreeOrder)
    try container.encode(highestOrder, forKey: .highestOrder)
  }
}

extension WatchReport.Trend {
  private enum Key: String, CodingKey {
    case samples, seconds, memFreeKBPerSecond, memAvailableKBPerSecond, headroomKBPerSecond
  }

  /// Encodes every key, a rate meminfo cannot give as `null`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(samples, forKey: .samples)
    try container.encode(seconds, forKey: .seconds)
    try container.encode(memFreeKBPerSecond, forKey: .memFreeKBPerSecond)
    try container.encode(memAvailableKBPerSecond, forKey: .memAvailableKBPerSecond)
    try container.encode(headroomKBPerSecond, forKey: .headroomKBPerSecond)
  }
}

extension WatchReport.Predictions {
  private enum Key: String, CodingKey {
    case kswapdWakes, directReclaim, oomKill, oomDecision, oomVictim, oomVictimNow
  }

  /// Encodes every key, an absent decision or victim as `null`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(kswapdWakes, forKey: .kswapdWakes)
    try container.encode(directReclaim, forKey: .directReclaim)
    try container.encode(oomKill, forKey: .oomKill)
    try container.encode(oomDecision, forKey: .oomDecision)
    try container.encode(oomVictim, forKey: .oomVictim)
    try container.encode(oomVictimNow, forKey: .oomVictimNow)
  }
}

extension WatchReport.Event {
  private enum Key: String, CodingKey {
    case measure, thresholdKB, inSeconds, atTime
  }

  /// Encodes every key, an unknown threshold or an unpredicted time as `null`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(measure, forKey: .measure)
    try container.encode(thresholdKB, forKey: .thresholdKB)
    try container.encode(inSeconds, forKey: .inSeconds)
    try container.encode(atTime, forKey: .atTime)
  }
}
