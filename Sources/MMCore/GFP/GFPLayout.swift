/// The kernel build options that add or move GFP bits.
///
/// Ordinary distribution kernels have neither KASAN hardware tags nor lockdep; kernels with
/// memory cgroups (nearly all of them) have `SLAB_OBJ_EXT` from 6.10 on.
public struct GFPConfig: OptionSet, Hashable, Sendable {
  /// The bits of the set.
  public var rawValue: UInt8
  /// Creates a set from its bits.
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// `CONFIG_KASAN_HW_TAGS` (arm64 MTE builds): the `__GFP_SKIP_*` KASAN bits exist.
  public static let kasanHWTags = GFPConfig(rawValue: 1 << 0)
  /// `CONFIG_LOCKDEP`: `__GFP_NOLOCKDEP` exists.
  public static let lockdep = GFPConfig(rawValue: 1 << 1)
  /// `CONFIG_SLAB_OBJ_EXT` (selected by memcg or allocation profiling): `__GFP_NO_OBJ_EXT`
  /// exists (6.10+).
  public static let slabObjExt = GFPConfig(rawValue: 1 << 2)

  /// What a typical distribution kernel has: only `SLAB_OBJ_EXT`.
  public static let distribution: GFPConfig = [.slabObjExt]
}

/// One numbering of the `___GFP_*` bits: a column of the master table in
/// ../shared/kernel/gfp-flags.md §1.1.
///
/// Kernel: `include/linux/gfp.h`, later `include/linux/gfp_types.h`.
public enum GFPLayout: Int, CaseIterable, Comparable, Sendable {
  /// 2.6 … 4.3 (`__GFP_WAIT`, `__GFP_NO_KSWAPD`).
  case upTo4_3
  /// 4.4: the reclaim bits split; `__GFP_NOACCOUNT`.
  case v4_4
  /// 4.5 … 4.9: `__GFP_ACCOUNT`.
  case v4_5
  /// 4.10 … 4.12: `__GFP_OTHER_NODE` gone.
  case v4_10
  /// 4.13 … 4.14: `__GFP_REPEAT` renamed `__GFP_RETRY_MAYFAIL`.
  case v4_13
  /// 4.15 … 4.17: `__GFP_COLD`, `__GFP_NOTRACK` gone.
  case v4_15
  /// 4.18 … 5.0: the stranded bits packed.
  case v4_18
  /// 5.1 … 5.13: the big reshuffle (`GFP_KERNEL` = 0xcc0).
  case v5_1
  /// 5.14 … 5.17: `__GFP_ZEROTAGS`, `__GFP_SKIP_KASAN_POISON`.
  case v5_14
  /// 5.18 … 6.2: the KASAN bits move.
  case v5_18
  /// 6.3: `__GFP_ATOMIC` removed.
  case v6_3
  /// 6.4 … 6.9: one `__GFP_SKIP_KASAN` bit.
  case v6_4
  /// 6.10 and later: bits defined as an enum; optional bits packed from bit 24.
  case v6_10

  /// Orders layouts by age.
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// The releases that number the bits this way (`4.5–4.9`).
  public var releases: String {
    let eras = GFPEra.allCases.filter { $0.layout == self }
    guard let first = eras.first?.first, let lastEra = eras.last else { return "" }
    return GFPEra.releaseSpan(from: first, through: lastEra.last)
  }

  /// The raw value of `flag` in this layout under `config`, or 0 where the flag does not exist.
  public func value(of flag: GFPFlag, config: GFPConfig) -> UInt64 {
    if self == .v6_10, let packed = Self.packedOptionalBits(config: config)[flag] {
      return packed
    }
    switch Self.requirement[flag] {
    case .kasanHWTags? where !config.contains(.kasanHWTags): return 0
    case .lockdep? where !config.contains(.lockdep): return 0
    case .kasanHWTagsFrom5_18? where self >= .v5_18 && !config.contains(.kasanHWTags): return 0
    default: return Self.bitTable[flag.rawValue][rawValue]
    }
  }

  // MARK: - Tables

  /// Which option a config-dependent bit needs.
  private enum Requirement { case kasanHWTags, lockdep, kasanHWTagsFrom5_18 }

  private static let requirement: [GFPFlag: Requirement] = [
    .skipZero: .kasanHWTags, .skipKasanUnpoison: .kasanHWTags, .skipKasan: .kasanHWTags,
    .noLockdep: .lockdep,
    // A real bit in 5.14–5.17, KASAN_HW_TAGS-only from 5.18.
    .skipKasanPoison: .kasanHWTagsFrom5_18,
  ]

  /// The bits 6.10+ packs from bit 24 upward, in this order, skipping absent ones
  /// (gfp-flags.md §1.1 note ²).
  private static func packedOptionalBits(config: GFPConfig) -> [GFPFlag: UInt64] {
    var present: [GFPFlag] = []
    if config.contains(.kasanHWTags) { present += [.skipZero, .skipKasan] }
    if config.contains(.lockdep) { present.append(.noLockdep) }
    if config.contains(.slabObjExt) { present.append(.noObjExt) }
    var result: [GFPFlag: UInt64] = [.skipZero: 0, .skipKasan: 0, .noLockdep: 0, .noObjExt: 0]
    for (index, flag) in present.enumerated() { result[flag] = 1 << UInt64(24 + index) }
    return result
  }

  /// The master table, `bitTable[flag][layout]`.
  ///
  /// One row per ``GFPFlag`` in declaration order, one column per layout; 0 = the bit does not
  /// exist. Config-dependent bits carry their value and are masked by ``requirement``.
  private static let bitTable: [[UInt64]] = {
    //            ≤4.3      4.4        4.5        4.10       4.13       4.15       4.18      5.1       5.14      5.18      6.3       6.4       6.10
    let rows: [GFPFlag: [UInt64]] = [
      .dma: [0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1],
      .highmem: [0x2, 0x2, 0x2, 0x2, 0x2, 0x2, 0x2, 0x2, 0x2, 0x2, 0x2, 0x2, 0x2],
      .dma32: [0x4, 0x4, 0x4, 0x4, 0x4, 0x4, 0x4, 0x4, 0x4, 0x4, 0x4, 0x4, 0x4],
      .movable: [0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8],
      .reclaimable: [
        0x80000, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
      ],
      .wait: [0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      .high: [0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20],
      .io: [0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40],
      .fs: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80],
      .cold: [0x100, 0x100, 0x100, 0x100, 0x100, 0, 0, 0, 0, 0, 0, 0, 0],
      .noWarn: [
        0x200, 0x200, 0x200, 0x200, 0x200, 0x200, 0x200, 0x2000, 0x2000, 0x2000, 0x2000, 0x2000,
        0x2000,
      ],
      .repeatAlloc: [0x400, 0x400, 0x400, 0x400, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      .retryMayFail: [
        0, 0, 0, 0, 0x400, 0x400, 0x400, 0x4000, 0x4000, 0x4000, 0x4000, 0x4000, 0x4000,
      ],
      .noFail: [
        0x800, 0x800, 0x800, 0x800, 0x800, 0x800, 0x800, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000,
        0x8000,
      ],
      .noRetry: [
        0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x10000, 0x10000, 0x10000, 0x10000,
        0x10000, 0x10000,
      ],
      .memalloc: [
        0x2000, 0x2000, 0x2000, 0x2000, 0x2000, 0x2000, 0x2000, 0x20000, 0x20000, 0x20000, 0x20000,
        0x20000, 0x20000,
      ],
      .comp: [
        0x4000, 0x4000, 0x4000, 0x4000, 0x4000, 0x4000, 0x4000, 0x40000, 0x40000, 0x40000, 0x40000,
        0x40000, 0x40000,
      ],
      .zero: [
        0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x100, 0x100, 0x100, 0x100, 0x100,
        0x100,
      ],
      .noMemalloc: [
        0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x80000, 0x80000, 0x80000,
        0x80000, 0x80000, 0x80000,
      ],
      .hardwall: [
        0x20000, 0x20000, 0x20000, 0x20000, 0x20000, 0x20000, 0x20000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000,
      ],
      .thisNode: [
        0x40000, 0x40000, 0x40000, 0x40000, 0x40000, 0x40000, 0x40000, 0x200000, 0x200000, 0x200000,
        0x200000, 0x200000, 0x200000,
      ],
      .atomic: [
        0, 0x80000, 0x80000, 0x80000, 0x80000, 0x80000, 0x80000, 0x200, 0x200, 0x200, 0, 0, 0,
      ],
      .noAccount: [0x100000, 0x100000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      .account: [
        0, 0, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x400000, 0x400000, 0x400000,
        0x400000, 0x400000, 0x400000,
      ],
      .noTrack: [0x200000, 0x200000, 0x200000, 0x200000, 0x200000, 0, 0, 0, 0, 0, 0, 0, 0],
      .noKswapd: [0x400000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      .directReclaim: [
        0, 0x400000, 0x400000, 0x400000, 0x400000, 0x400000, 0x200000, 0x400, 0x400, 0x400, 0x400,
        0x400, 0x400,
      ],
      .otherNode: [0x800000, 0x800000, 0x800000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      .write: [
        0x1000000, 0x1000000, 0x1000000, 0x800000, 0x800000, 0x800000, 0x100, 0x1000, 0x1000,
        0x1000, 0x1000, 0x1000, 0x1000,
      ],
      .kswapdReclaim: [
        0, 0x2000000, 0x2000000, 0x1000000, 0x1000000, 0x1000000, 0x400000, 0x800, 0x800, 0x800,
        0x800, 0x800, 0x800,
      ],
      // 4.10–4.11 have no NOLOCKDEP; the dialect clears it there (it appeared in 4.12).
      .noLockdep: [
        0, 0, 0, 0x2000000, 0x2000000, 0x2000000, 0x800000, 0x800000, 0x2000000, 0x8000000,
        0x8000000, 0x4000000, 0,
      ],
      .zeroTags: [0, 0, 0, 0, 0, 0, 0, 0, 0x800000, 0x800000, 0x800000, 0x800000, 0x800000],
      .skipZero: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1000000, 0x1000000, 0x1000000, 0],
      .skipKasanUnpoison: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2000000, 0x2000000, 0, 0],
      .skipKasanPoison: [0, 0, 0, 0, 0, 0, 0, 0, 0x1000000, 0x4000000, 0x4000000, 0, 0],
      .skipKasan: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2000000, 0],
      .noObjExt: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]
    return GFPFlag.allCases.map { flag in
      guard let row = rows[flag], row.count == GFPLayout.allCases.count else {
        preconditionFailure("GFP bit table row for \(flag) is missing or short")
      }
      return row
    }
  }()
}
