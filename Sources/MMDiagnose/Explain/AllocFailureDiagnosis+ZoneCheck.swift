internal import MMCore

/// The result of the request's watermark check on one zone.
struct ZoneCheck {
  /// Whether the zone could serve the request.
  var passes: Bool
  /// The numbers, `line N: <zone>: …: passes|fails`.
  var evidence: String
}

extension AllocFailureDiagnosis {
  /// `__zone_watermark_ok()` at the zone's min watermark for the request, the report kernel's way.
  ///
  /// 4.4+: the order-0 test and a free block of the order on a list the request may use;
  /// before 4.4: the per-order halving loop. `nil` when the zone line has no `min:`. A zone whose free-block line the log lacks is taken to have the blocks.
  func minWatermarkCheck(_ zone: ReportedZone) -> ZoneCheck? {
    guard let minKB = zone.state["min"], (0...20).contains(order) else { return nil }
    let page = zone.pageKilobytes
    // Printed numbers can be anything in a damaged log: a few of them summed stay below
    // Int.max when each is at most Int.max / 8.
    let cap = Int.max / 8
    var inputs = zone.watermarkInputs
    inputs.freePages = Swift.min(inputs.freePages, cap)
    inputs.freeCMAPages = Swift.min(inputs.freeCMAPages, cap)
    inputs.reservedHighAtomic = Swift.min(inputs.reservedHighAtomic, cap)
    inputs.lowmemReserve = Swift.min(lowmemReserve(of: zone), cap)
    let mark = Swift.min(minKB / page, cap)
    let rules = WatermarkCheckRules(kernel: mask.kernel)
    let flags = allocFlags
    let min = rules.effectiveMin(mark: mark, flags: flags)
    let orders = zone.freeArea?.orders
    let passes: Bool
    let rule: String
    if mask.kernel.isAtLeast(4, 4) {
      rule = "4.4+ rule: a free block of order ≥ \(order) on a usable list"
      passes = rules.isOK(
        inputs, order: order, mark: mark, flags: flags,
        maxOrder: Swift.max((orders?.count ?? 0) - 1, order)
      ) { o, type in
        guard let orders else { return true }
        guard o < orders.count, orders[o].count > 0 else { return false }
        return orders[o].migrateTypes?.contains(type) ?? true
      }
    } else {
      let check = WatermarkCheckRules.checkBefore4_4(
        inputs, order: order, min: min, usesCMA: flags.contains(.cma)
      ) { o in
        guard let orders else { return 0 }
        return o < orders.count ? orders[o].count : 0
      }
      passes = check.passes
      rule =
        check.failedAfterOrder.map { o in
          "pre-4.4 rule: without the free pages of order" + (o == 0 ? " 0" : "s 0–\(o)")
            + ", \(check.freePages) remain ≤ min halved \(o + 1)×, \(check.min)"
        } ?? "pre-4.4 rule: order 0, then each lower order's pages removed and min halved"
    }
    let evidence =
      "\(ReportedZone.at(zone.stateLine))\(zone.name): free \(inputs.freePages) pages, min "
      + "\(min) for these alloc flags + lowmem_reserve \(inputs.lowmemReserve); order-\(order) "
      + "check (\(rule)): " + (passes ? "passes" : "fails")
    return ZoneCheck(passes: passes, evidence: evidence)
  }
}
