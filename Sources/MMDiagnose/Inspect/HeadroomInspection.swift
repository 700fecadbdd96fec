public import MMCore

/// What a machine's memory can still give, as a whole: MemAvailable, the cache reclaim could
/// free, the overcommit headroom in mode 2, the highest order each request would be granted from
/// any zone, and the findings that apply to a live machine.
public struct HeadroomInspection: Codable, Hashable, Sendable {
  /// `MemAvailable`, in kB.
  public var memAvailableKB: Int?
  /// `MemFree`, in kB.
  public var memFreeKB: Int?
  /// What reclaim could free, in kB (from meminfo).
  public var reclaimableKB: Reclaimable?
  /// Mode 2 (`OVERCOMMIT_NEVER`): `CommitLimit − Committed_AS`, in kB (negative when over);
  /// `nil` in the other modes, which do not refuse by the limit.
  public var commitHeadroomKB: Int?
  /// Per request, the highest order the fast path would grant from any zone of its zonelist.
  public var highestOrder: [String: Int]?
  /// Per request, the same for the slow path's first attempt (min watermark and reserves).
  public var highestOrderWithReserves: [String: Int]?
  /// What stands out, heaviest first.
  public var findings: [Finding]

  /// The reclaimable parts of meminfo, in kB.
  public struct Reclaimable: Codable, Hashable, Sendable {
    /// `Active(file) + Inactive(file)`: page cache (dirty pages need writeback first).
    public var file: Int
    /// `Active(anon) + Inactive(anon)`, at most `SwapFree`: anon pages swap could take.
    public var anonToSwap: Int
    /// `KReclaimable` (else `SReclaimable`): slab and other kernel caches that shrink.
    public var kernel: Int
    /// The sum.
    public var total: Int
  }
}

extension HeadroomInspection {
  /// The machine's headroom from its meminfo and sysctls, and its zones when known.
  ///
  /// - Parameters:
  ///   - watermarks: the zone inspection with its outlook (``WatermarkInspection/addOutlook(zoneInfo:pageTypeInfo:buddyInfo:allocatable:requests:)``).
  ///   - allocatable: the allocation check the outlook used.
  public init(
    memInfo: MemInfo?, sysVM: SysVM, watermarks: WatermarkInspection?,
    allocatable: AllocatableOrders?, requests: [AllocationRequest]
  ) {
    memAvailableKB = memInfo?.memAvailable
    memFreeKB = memInfo?.memFree
    if let memInfo {
      let file = (memInfo.activeFile ?? 0) &+ (memInfo.inactiveFile ?? 0)
      let anon = min(
        (memInfo.activeAnon ?? 0) &+ (memInfo.inactiveAnon ?? 0), memInfo.swapFree ?? 0)
      let kernel = memInfo.kReclaimable ?? memInfo.sReclaimable ?? 0
      reclaimableKB = Reclaimable(
        file: file, anonToSwap: anon, kernel: kernel, total: file &+ anon &+ kernel)
      if sysVM.overcommitMemory == 2, let limit = memInfo.commitLimit,
        let committed = memInfo.committedAS
      {
        commitHeadroomKB = limit &- committed
      }
    }
    if let allocatable, !allocatable.zones.isEmpty {
      var fast: [String: Int] = [:]
      var reserves: [String: Int] = [:]
      for request in requests {
        fast[request.name] = allocatable.highestOrder(of: request)
        reserves[request.name] = allocatable.highestOrder(of: request, withReserves: true)
      }
      highestOrder = fast
      highestOrderWithReserves = reserves
    }
    findings = Finding.byWeight(
      Self.findings(memInfo: memInfo, sysVM: sysVM, watermarks: watermarks)
        + (commitHeadroomKB.map { Self.commitFindings(headroom: $0, memInfo: memInfo) } ?? []))
  }
}
