/// Where `__zone_watermark_ok()`'s pre-4.4 test stopped.
public struct PerOrderWatermarkCheck: Hashable, Sendable {
  /// Whether the zone may serve the request.
  public var passes: Bool
  /// The order whose free pages, taken away, left the count at or below the halved minimum;
  /// `nil` when the order-0 test failed or the check passed.
  public var failedAfterOrder: Int?
  /// The free pages still counted where the check stopped.
  public var freePages: Int
  /// The minimum they were compared with there.
  public var min: Int

  /// Creates a result.
  public init(passes: Bool, failedAfterOrder: Int?, freePages: Int, min: Int) {
    self.passes = passes
    self.failedAfterOrder = failedAfterOrder
    self.freePages = freePages
    self.min = min
  }
}

extension WatermarkCheckRules {
  /// `__zone_watermark_ok()` as kernels before 4.4 ran it: the order-0 test, then for each
  /// order below the request's the free pages of that order leave the count and the minimum
  /// halves, and the count must stay above it.
  ///
  /// 4.4 ("only enforce watermarks for order-0 allocations", Mel Gorman) replaced the loop
  /// with the free-list test of ``isOK(_:order:mark:flags:maxOrder:hasFreeBlock:)``.
  ///
  /// - Parameters:
  ///   - zone: the zone's free, free CMA pages and `lowmem_reserve` for the request.
  ///   - order: the request's order.
  ///   - min: the min watermark already reduced for the request's alloc flags.
  ///   - usesCMA: whether the request has `ALLOC_CMA` (3.8+ subtract free CMA pages otherwise).
  ///   - freeBlocks: `nr_free` of an order.
  /// - Returns: whether the zone may serve the request, and where the test stopped.
  ///
  /// Kernel: `__zone_watermark_ok()` in mm/page_alloc.c, 2.6.x–4.3.
  public static func checkBefore4_4(
    _ zone: WatermarkCheckZone, order: Int, min: Int, usesCMA: Bool,
    freeBlocks: (Int) -> Int
  ) -> PerOrderWatermarkCheck {
    var free = zone.freePages &- ((1 &<< order) &- 1)
    let cma = usesCMA ? 0 : zone.freeCMAPages
    guard free &- cma > min &+ zone.lowmemReserve else {
      return PerOrderWatermarkCheck(
        passes: false, failedAfterOrder: nil, freePages: free &- cma,
        min: min &+ zone.lowmemReserve)
    }
    var min = min
    for o in 0..<Swift.max(order, 0) {
      free = free &- (freeBlocks(o) &<< o)
      min >>= 1
      if free <= min {
        return PerOrderWatermarkCheck(
          passes: false, failedAfterOrder: o, freePages: free, min: min)
      }
    }
    return PerOrderWatermarkCheck(passes: true, failedAfterOrder: nil, freePages: free, min: min)
  }
}
