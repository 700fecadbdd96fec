public import MMCore

/// The architecture a machine is laid out for: decides zone boundaries and pageblock size.
public enum Architecture: String, CaseIterable, Hashable, Sendable {
  /// DMA below 16 MiB, DMA32 below 4 GiB, Normal above.
  case x86_64
  /// DMA below 16 MiB, Normal up to the lowmem limit (896 MiB), HighMem above.
  case i386
  /// One DMA zone below 4 GiB (no platform DMA limit), Normal above.
  case arm64
  /// One Normal zone (arm, mips, csky, … without DMA or HighMem).
  case generic
}

/// One zone of a machine: where it lies and how many of its pages the buddy allocator manages.
///
/// Kernel: `struct zone`'s `zone_start_pfn`, `spanned_pages`, `present_pages`, `managed_pages`.
public struct ZoneLayout: Hashable, Sendable {
  /// The NUMA node.
  public var node: Int
  /// The zone type.
  public var kind: ZoneKind
  /// First PFN of the span.
  public var startPFN: Int
  /// Pages spanned, holes included.
  public var spanned: Int
  /// Pages physically present.
  public var present: Int
  /// Pages the buddy allocator manages (present minus boot reservations); CMA areas included.
  public var managed: Int
  /// Where the zone's trailing hole starts.
  ///
  /// No page from here to the end of the span is online, so pageblocks there are not counted. Defaults to `startPFN + present` (all holes at the
  /// end); a captured zone sets it from the pageblocks its pagetypeinfo counts.
  public var holeStartPFN: Int

  /// Creates a zone layout; `present` and `managed` default to the whole span.
  public init(
    node: Int = 0, kind: ZoneKind, startPFN: Int, spanned: Int, present: Int? = nil,
    managed: Int? = nil
  ) {
    self.node = node
    self.kind = kind
    self.startPFN = startPFN
    self.spanned = spanned
    self.present = present ?? spanned
    self.managed = managed ?? present ?? spanned
    holeStartPFN = startPFN + (present ?? spanned)
  }

  /// One past the last PFN of the span.
  public var endPFN: Int { startPFN + spanned }
  /// Whether the zone has pages (`populated_zone()`: present pages).
  public var isPopulated: Bool { present > 0 }
}

/// A contiguous CMA area inside one zone.
public struct CMAArea: Hashable, Sendable {
  /// The index of the zone in ``MachineLayout/zones``.
  public var zoneIndex: Int
  /// First PFN (pageblock-aligned).
  public var startPFN: Int
  /// Size in pages (a whole number of pageblocks).
  public var pages: Int

  /// Creates an area.
  public init(zoneIndex: Int, startPFN: Int, pages: Int) {
    self.zoneIndex = zoneIndex
    self.startPFN = startPFN
    self.pages = pages
  }
}

/// The shape of a simulated machine's physical memory.
public struct MachineLayout: Hashable, Sendable {
  /// The architecture.
  public var architecture: Architecture
  /// Page size in bytes (4096; 16384 or 65536 on some arm64 kernels).
  public var pageSize: Int
  /// `pageblock_order` (9 on x86_64 with 4 KiB pages).
  public var pageblockOrder: Int
  /// The highest buddy order (`MAX_PAGE_ORDER`, 10 on most configurations).
  public var maxOrder: Int
  /// Every zone of every node, in node order and then zone order, empty ones included.
  public var zones: [ZoneLayout]
  /// CMA areas.
  public var cmaAreas: [CMAArea]
  /// The zone kinds the kernel configures, in order: the columns of `lowmem_reserve[]` and the
  /// zones `/proc/zoneinfo` prints per node.
  public var zoneKinds: [ZoneKind]
  /// The migratetypes the kernel configures, in `/proc/pagetypeinfo` column order
  /// (`CONFIG_CMA` adds CMA, `CONFIG_MEMORY_ISOLATION` Isolate).
  public var migrateTypes: [MigrateType]

  /// Creates a layout from explicit zones; zone kinds and migratetypes default to the
  /// architecture's usual distribution configuration.
  public init(
    architecture: Architecture, pageSize: Int = 4096, pageblockOrder: Int = 9, maxOrder: Int = 10,
    zones: [ZoneLayout], cmaAreas: [CMAArea] = [], zoneKinds: [ZoneKind]? = nil,
    migrateTypes: [MigrateType]? = nil
  ) {
    self.architecture = architecture
    self.pageSize = pageSize
    self.pageblockOrder = pageblockOrder
    self.maxOrder = maxOrder
    self.zones = zones
    self.cmaAreas = cmaAreas
    self.zoneKinds = zoneKinds ?? Self.zoneKinds(for: architecture)
    self.migrateTypes = migrateTypes ?? Self.migrateTypes(for: architecture)
  }

  /// `pageblock_nr_pages`.
  public var pageblockPages: Int { 1 << pageblockOrder }
  /// One past the highest PFN of any zone.
  public var endPFN: Int { zones.map(\.endPFN).max() ?? 0 }
  /// The lowest PFN of any zone.
  public var startPFN: Int { zones.filter { $0.spanned > 0 }.map(\.startPFN).min() ?? 0 }
}

// MARK: - Layouts from a RAM size

extension MachineLayout {
  /// The zones the architecture configures, in order (x86_64 has DMA, DMA32, Normal, Movable).
  public static func zoneKinds(for architecture: Architecture) -> [ZoneKind] {
    switch architecture {
    case .x86_64: [.dma, .dma32, .normal, .movable, .device]
    case .arm64: [.dma, .dma32, .normal, .movable]
    case .i386: [.dma, .normal, .highmem, .movable]
    case .generic: [.normal, .movable]
    }
  }

  /// The migratetypes a distribution kernel of the architecture configures (Debian amd64 has no
  /// `CONFIG_CMA`; arm64 and embedded boards do).
  public static func migrateTypes(for architecture: Architecture) -> [MigrateType] {
    switch architecture {
    case .x86_64, .i386: [.unmovable, .movable, .reclaimable, .highAtomic, .isolate]
    case .arm64, .generic: [.unmovable, .movable, .reclaimable, .highAtomic, .cma, .isolate]
    }
  }

  /// A single-node machine with `ramBytes` of RAM from physical address 0, laid out the way the
  /// architecture's kernels split it into zones.
  ///
  /// All present pages are managed unless `reservedPages` says how many pages per zone the boot
  /// keeps (kernel image, `struct page` array, …): that amount is an **approximation**; take a
  /// real machine's numbers from its zoneinfo for exact work.
  public static func fromRAM(
    _ ramBytes: Int, architecture: Architecture, pageSize: Int = 4096, pageblockOrder: Int? = nil,
    reservedPages: [ZoneKind: Int] = [:]
  ) -> MachineLayout {
    let pages = ramBytes / pageSize
    let mib = (1 << 20) / pageSize
    var bounds: [(ZoneKind, Int, Int)] = []  // kind, start, end (exclusive)
    switch architecture {
    case .x86_64:
      let dmaEnd = Swift.min(16 * mib, pages)
      let dma32End = Swift.min(pages, 4096 * mib)
      bounds = [(.dma, Swift.min(1, dmaEnd), dmaEnd), (.dma32, dmaEnd, dma32End)]
      bounds.append((.normal, dma32End, pages))
    case .i386:
      let dmaEnd = Swift.min(16 * mib, pages)
      let lowEnd = Swift.min(pages, 896 * mib)
      bounds = [(.dma, Swift.min(1, dmaEnd), dmaEnd), (.normal, dmaEnd, lowEnd)]
      bounds.append((.highmem, lowEnd, pages))
    case .arm64:
      let dmaEnd = Swift.min(pages, 4096 * mib)
      bounds = [(.dma, 0, dmaEnd), (.dma32, dmaEnd, dmaEnd), (.normal, dmaEnd, pages)]
    case .generic:
      bounds = [(.normal, 0, pages)]
    }
    bounds.append((.movable, 0, 0))
    if architecture == .x86_64 { bounds.append((.device, 0, 0)) }
    let zones = bounds.map { kind, start, end in
      let spanned = Swift.max(0, end - start)
      let managed = Swift.max(0, spanned - (reservedPages[kind] ?? 0))
      return ZoneLayout(
        kind: kind, startPFN: spanned > 0 ? start : 0, spanned: spanned, present: spanned,
        managed: managed)
    }
    let defaultOrder = pageSize == 4096 ? 9 : 10
    return MachineLayout(
      architecture: architecture, pageSize: pageSize,
      pageblockOrder: pageblockOrder ?? defaultOrder, zones: zones)
  }
}
