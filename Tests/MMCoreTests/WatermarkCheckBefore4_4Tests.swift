import MMCore
import Testing

/// The pre-4.4 `__zone_watermark_ok()`: order-0 test, then each lower order's free pages taken
/// away with the minimum halved per order.
struct WatermarkCheckBefore4_4Tests {
  /// Corpus 004 (2.6.31 i386), Normal: an order-2 request fails on its order-0 pages.
  ///
  /// 10506 free pages, 10419 of them order 0, 51 order 1; min 932. An order-2 request passes the order-0 test (10503 > 932), then without the
  /// order-0 pages 84 remain ≤ 466.
  @Test func orderZeroPagesDoNotCountForAnOrderTwoRequest() {
    let zone = WatermarkCheckZone(
      freePages: 10506, freeCMAPages: 0, reservedHighAtomic: 0, lowmemReserve: 0)
    let counts = [10419, 51, 8]
    let check = WatermarkCheckRules.checkBefore4_4(zone, order: 2, min: 932, usesCMA: false) {
      counts[$0]
    }
    #expect(
      check == PerOrderWatermarkCheck(passes: false, failedAfterOrder: 0, freePages: 84, min: 466))
    let orderZero = WatermarkCheckRules.checkBefore4_4(zone, order: 0, min: 932, usesCMA: false) {
      counts[$0]
    }
    #expect(orderZero.passes && orderZero.freePages == 10506)
  }

  /// The order-0 test counts `lowmem_reserve` and, without `ALLOC_CMA`, subtracts free CMA;
  /// a zone of large blocks passes the loop.
  @Test func reserveCMAAndALargeBlockZone() {
    let dma = WatermarkCheckZone(
      freePages: 872, freeCMAPages: 0, reservedHighAtomic: 0, lowmemReserve: 865)
    let failed = WatermarkCheckRules.checkBefore4_4(dma, order: 2, min: 16, usesCMA: false) { _ in 0
    }
    #expect(
      failed
        == PerOrderWatermarkCheck(passes: false, failedAfterOrder: nil, freePages: 869, min: 881))
    let cma = WatermarkCheckZone(
      freePages: 2000, freeCMAPages: 1500, reservedHighAtomic: 0, lowmemReserve: 0)
    #expect(
      !WatermarkCheckRules.checkBefore4_4(cma, order: 0, min: 600, usesCMA: false) { _ in 0 }.passes
    )
    #expect(
      WatermarkCheckRules.checkBefore4_4(cma, order: 0, min: 600, usesCMA: true) { _ in 0 }.passes)
    let large = WatermarkCheckZone(
      freePages: 4096, freeCMAPages: 0, reservedHighAtomic: 0, lowmemReserve: 0)
    let passes = WatermarkCheckRules.checkBefore4_4(large, order: 3, min: 100, usesCMA: false) {
      [0, 0, 0, 512][$0]
    }
    #expect(
      passes
        == PerOrderWatermarkCheck(passes: true, failedAfterOrder: nil, freePages: 4089, min: 12))
  }
}
