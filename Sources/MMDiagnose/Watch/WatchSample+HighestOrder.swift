internal import MMCore

extension WatchSample {
  /// The requests each zone's ``WatchReport/Zone/highestOrder`` is given for, in print order.
  public static let highestOrderRequests = ["GFP_KERNEL", "GFP_ATOMIC"]

  /// The allocation check `oomlab inspect` makes for the sample's zones (zoneinfo with
  /// pagetypeinfo or buddyinfo, the allocator's rules for the sample's kernel), with
  /// ``highestOrderRequests`` decoded for that kernel; `nil` without zoneinfo, without a
  /// kernel, or without both pagetypeinfo and buddyinfo (no free lists: only order 0 could be
  /// told, which would read as "order 0 at most").
  ///
  /// Kernel: the fast path's watermark check, as ``AllocatableOrders`` computes it.
  func fastPathCheck() -> (orders: AllocatableOrders, requests: [AllocationRequest])? {
    guard let zoneInfo, let kernel, pageTypeInfo != nil || buddyInfo != nil else { return nil }
    let orders = WatermarkInspection.allocatable(
      zoneInfo: zoneInfo, pageTypeInfo: pageTypeInfo, buddyInfo: buddyInfo,
      rules: AllocatorRules(kernel: kernel))
    let requests = Self.highestOrderRequests.compactMap {
      try? AllocationRequest(parsing: $0, kernel: kernel)
    }
    return (orders, requests)
  }
}
