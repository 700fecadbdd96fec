extension WatermarkInspection {
  /// The report as a person reads it: one line of settings, one row per zone (kernel values,
  /// history), the free blocks and fragmentation per order, the highest order each request
  /// would get, the headroom per zone, then the verdict and every difference with its reason.
  public var text: String {
    var out = "kernel \(kernel): min_free_kbytes \(minFreeKbytes.kernel)"
    out += " (model default \(minFreeKbytes.modelDefault))"
    out += ", watermark_scale_factor \(watermarkScaleFactor)"
    out += ", lowmem_reserve_ratio \(lowmemReserveRatio.map(String.init).joined(separator: " "))"
    if let late = lateFreedPages { out += ", \(late) pages freed after the boot computations" }
    out += "\n\n"
    let header = ["zone", "managed", "free", "min", "low", "high", "protection", "history"]
    var rows = [header]
    for zone in zones {
      var history = zone.history
      if zone.protectionHistory != zone.history {
        history += " (protection: \(zone.protectionHistory))"
      }
      rows.append([
        "\(zone.node)/\(zone.zone)", "\(zone.managed)", "\(zone.free)", "\(zone.kernel.min)",
        "\(zone.kernel.low)", "\(zone.kernel.high)",
        "(" + zone.kernel.protection.map(String.init).joined(separator: ", ") + ")",
        zone.managed > 0 || zone.kernel.high > 0 ? history : "-",
      ])
    }
    out += textTable(rows)
    out += orderTable
    out += allocationTable
    out += headroomTable
    out += "\n"
    if agrees {
      out += "model agrees with your kernel: every zone's min/low/high and protection reproduced\n"
    } else {
      out += "model differs from your kernel:\n"
      for zone in zones {
        for difference in zone.differences { out += "- \(zone.node)/\(zone.zone) \(difference)\n" }
      }
    }
    if minFreeKbytes.kernel != minFreeKbytes.modelDefault {
      out +=
        "note: min_free_kbytes \(minFreeKbytes.kernel) is not the boot default "
        + "\(minFreeKbytes.modelDefault) the model computes with THP off: written by hand, or "
        + "raised by khugepaged for transparent hugepages\n"
    }
    return out
  }
}
