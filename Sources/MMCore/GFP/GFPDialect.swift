/// How one kernel build numbers, names and prints GFP masks: an era, the build's config, and the
/// quirks of pre-release trees.
///
/// A dialect converts between a kernel's raw mask and ``GFPFlags``, renders a mask as `%pGg`
/// does, and parses names back. Creating one builds its tables (a few microseconds); decoding
/// with it is cheap, so keep one per report or per run.
///
/// Kernel: `format_flags()` in `lib/vsprintf.c` over `__def_gfpflag_names` in
/// `include/trace/events/mmflags.h`.
public struct GFPDialect: Sendable {
  /// The span of releases whose rules apply.
  public let era: GFPEra
  /// The build options that add GFP bits.
  public let config: GFPConfig
  /// The pre-release oddity in force, if any.
  public let quirk: Quirk?

  /// Printing oddities of trees between releases.
  public enum Quirk: Hashable, Sendable {
    /// linux-next builds of late 2015 (4.4/4.5 `-next-` trees) already printed `%pGg`, with the
    /// trace-event table whose single-flag names lack the leading `__` (`GFP_NOTRACK`).
    /// INFERRED from a 4.4.0-rc7-next log (gfp-flags.md §2.2).
    case linuxNextTraceTable
    /// 5.14 release candidates lacked the `__GFP_ZEROTAGS` and `__GFP_SKIP_KASAN_POISON` table
    /// entries and printed those bits as hex (VERIFIED 5.14.0-rc5; fixed by 5.14.2).
    case earlyZeroTagsTable
  }

  /// One `%pGg` table entry: the bits it stands for and its printed name.
  public struct NameEntry: Hashable, Sendable {
    /// The raw bits; the entry prints when all of them are set.
    public var mask: UInt64
    /// The printed name.
    public var name: String
  }

  /// The table `%pGg` walks, in order; entries whose mask is 0 in this build are left out, as the
  /// kernel's `#ifdef`s leave them out.
  public let nameTable: [NameEntry]
  /// Raw value of each ``GFPFlag`` (indexed by its `rawValue`); 0 where absent.
  private let flagValues: [UInt64]
  /// Every bit that names a flag in this build.
  public let knownBits: UInt64

  /// The dialect of `kernel` built with `config` (a distribution kernel's options by default).
  public init(kernel: KernelVersion, config: GFPConfig = .distribution) {
    let era = GFPEra(kernel)
    var quirk: Quirk?
    if era <= .v4_5 && kernel.isLinuxNext && kernel.isAtLeast(4, 4) {
      quirk = .linuxNextTraceTable
    } else if era == .v5_14 && kernel.minor == 14 && kernel.patch == 0
      && kernel.releaseCandidate != nil
    {
      quirk = .earlyZeroTagsTable
    }
    self.init(era: era, config: config, quirk: quirk)
  }

  /// The dialect of a released kernel of `era` built with `config`, or with a `quirk`.
  public init(era: GFPEra, config: GFPConfig = .distribution, quirk: Quirk? = nil) {
    self.era = era
    self.config = config
    self.quirk = quirk
    let layout = era.layout
    var values = GFPFlag.allCases.map { layout.value(of: $0, config: config) }
    if era == .v4_10 { values[GFPFlag.noLockdep.rawValue] = 0 }  // added in 4.12
    flagValues = values
    knownBits = values.reduce(0, |)
    nameTable = Self.buildNameTable(era: era, config: config, quirk: quirk) { flags in
      flags.members.reduce(0) { $0 | values[$1.rawValue] }
    }
  }

  /// The dialect of the newest kernel oomlab knows.
  public static var latest: GFPDialect { GFPDialect(kernel: .newestKnown) }

  /// Whether this build prints names after the hex (`mode:%#x(%pGg)`); 4.5 and older print only
  /// `mode:0x%x`.
  public var printsNames: Bool { era.printsNames || quirk == .linuxNextTraceTable }

  // MARK: - Conversions

  /// The raw value of `flag` in this build, 0 where it does not exist.
  @inline(__always)
  public func rawValue(of flag: GFPFlag) -> UInt64 { flagValues[flag.rawValue] }

  /// The raw mask of `composite`, or `nil` where this era does not define it.
  public func rawValue(of composite: GFPComposite) -> UInt64? {
    composite.flags(in: era).map(rawValue(for:))
  }

  /// The raw mask of a set of flags; flags this build lacks contribute nothing.
  public func rawValue(for flags: GFPFlags) -> UInt64 {
    var mask: UInt64 = 0
    var bits = flags.rawValue
    while bits != 0 {
      mask |= flagValues[bits.trailingZeroBitCount]
      bits &= bits &- 1
    }
    return mask
  }

  /// The flags set in a raw mask, and the bits that name no flag in this build.
  public func flags(inRaw mask: UInt64) -> (flags: GFPFlags, unknownBits: UInt64) {
    var flags: GFPFlags = []
    for (index, value) in flagValues.enumerated() where value != 0 && mask & value == value {
      flags.insert(GFPFlags(rawValue: 1 << UInt64(index)))
    }
    return (flags, mask & ~knownBits)
  }

  // MARK: - %pGg

  /// The names `%pGg` prints for `mask`.
  ///
  /// Table entries whose bits are all present, in table order, each removing its bits, joined
  /// by `|`, then any bits left as `0x…`. Empty for 0.
  public func names(of mask: UInt64) -> String {
    var out = ""
    out.reserveCapacity(64)
    appendNames(of: mask, to: &out)
    return out
  }

  /// Appends the `%pGg` text of `mask` to `out` (see ``names(of:)``).
  public func appendNames(of mask: UInt64, to out: inout String) {
    var remaining = mask
    for entry in nameTable {
      if remaining == 0 { break }
      guard remaining & entry.mask == entry.mask else { continue }
      out += entry.name
      remaining &= ~entry.mask
      if remaining != 0 { out += "|" }
    }
    if remaining != 0 {
      out += "0x"
      out += String(remaining, radix: 16)
    }
  }

  /// The mask as this kernel prints it after `mode:` or `gfp_mask=`: `0x2084020(GFP_ATOMIC|__GFP_COMP)`,
  /// or just `0xd0` for a kernel that prints no names.
  public func kernelText(of mask: UInt64) -> String {
    var out = "0x" + String(mask, radix: 16)
    guard printsNames else { return out }
    out += "("
    appendNames(of: mask, to: &out)
    out += ")"
    return out
  }

  // MARK: - Table construction

  private typealias Entry = (mask: UInt64, name: String)

  private static func buildNameTable(
    era: GFPEra, config: GFPConfig, quirk: Quirk?, raw: (GFPFlags) -> UInt64
  ) -> [NameEntry] {
    func composite(_ c: GFPComposite) -> Entry? {
      c.flags(in: era).map { (raw($0), c.kernelName) }
    }
    func flag(_ f: GFPFlag) -> Entry { (raw(GFPFlags(f)), f.kernelName) }

    var entries: [Entry?]
    if quirk == .linuxNextTraceTable {
      let composites: [GFPComposite] = [
        .transhuge, .highuserMovable, .highuser, .user, .temporary, .kernel, .noFS, .atomic, .noIO,
      ]
      let singles: [GFPFlag] = [
        .high, .atomic, .io, .cold, .noWarn, .repeatAlloc, .noFail, .noRetry, .comp, .zero,
        .noMemalloc, .memalloc, .hardwall, .thisNode, .reclaimable, .movable, .noTrack,
        .directReclaim, .kswapdReclaim, .otherNode,
      ]
      entries = composites.map(composite) + singles.map { (raw(GFPFlags($0)), $0.traceEventName) }
    } else if era >= .v6_15 {
      entries = Self.compositeOrder.map(composite) + [composite(.dma), composite(.dma32)]
      entries.append(composite(.reclaim))
      entries += Self.bitOrderSingles(config: config).map(flag)
    } else {
      entries = Self.compositeOrder.map(composite)
      entries += [composite(.dma), flag(.highmem), composite(.dma32)]
      entries += Self.oldOrderSingles.map { $0.map(flag) ?? composite(.reclaim) }
      entries += Self.tail(era: era, config: config, quirk: quirk).map(flag)
      if era <= .v4_5 {
        // No %pGg before 4.6: name the old-only bits too, so explanations can use them.
        entries += [flag(.wait), flag(.noKswapd), flag(.noAccount)]
      }
    }
    return entries.compactMap { entry in
      guard let entry, entry.mask != 0 else { return nil }
      return NameEntry(mask: entry.mask, name: entry.name)
    }
  }

  /// Composite entries at the head of every `%pGg` table since 4.6, most bits first.
  private static let compositeOrder: [GFPComposite] = [
    .transhuge, .transhugeLight, .highuserMovable, .highuser, .user, .temporary, .kernelAccount,
    .kernel, .noFS, .atomic, .noIO, .noWait,
  ]

  /// Single flags of the 4.6–6.14 tables in table order; `nil` marks the `__GFP_RECLAIM` entry.
  private static let oldOrderSingles: [GFPFlag?] = [
    .high, .atomic, .io, .fs, .cold, .noWarn, .repeatAlloc, .retryMayFail, .noFail, .noRetry,
    .comp, .zero, .noMemalloc, .memalloc, .hardwall, .thisNode, .reclaimable, .movable, .account,
    .noTrack, .write, nil, .directReclaim, .kswapdReclaim, .otherNode,
  ]

  /// Entries appended after the old-order singles from 5.14 to 6.14.
  private static func tail(era: GFPEra, config: GFPConfig, quirk: Quirk?) -> [GFPFlag] {
    let kasan = config.contains(.kasanHWTags)
    switch era {
    case .v5_14:
      return quirk == .earlyZeroTagsTable ? [] : [.zeroTags, .skipKasanPoison]
    case .v5_18, .v6_3:
      return [.zeroTags] + (kasan ? [.skipZero, .skipKasanPoison, .skipKasanUnpoison] : [])
    case .v6_4, .v6_10:
      return [.zeroTags] + (kasan ? [.skipZero, .skipKasan] : [])
    default:
      return []
    }
  }

  /// The single flags of the 6.15+ table, in bit order, with the config-dependent ones.
  private static func bitOrderSingles(config: GFPConfig) -> [GFPFlag] {
    var flags: [GFPFlag] = [
      .dma, .highmem, .dma32, .movable, .reclaimable, .high, .io, .fs, .zero, .directReclaim,
      .kswapdReclaim, .write, .noWarn, .retryMayFail, .noFail, .noRetry, .memalloc, .comp,
      .noMemalloc, .hardwall, .thisNode, .account, .zeroTags,
    ]
    if config.contains(.kasanHWTags) { flags += [.skipZero, .skipKasan] }
    if config.contains(.lockdep) { flags.append(.noLockdep) }
    if config.contains(.slabObjExt) { flags.append(.noObjExt) }
    return flags
  }
}

extension GFPDialect: Hashable {
  /// Dialects are equal when era, config and quirk are (the tables follow from them).
  public static func == (a: Self, b: Self) -> Bool {
    a.era == b.era && a.config == b.config && a.quirk == b.quirk
  }

  /// Hashes what ``==`` compares.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(era)
    hasher.combine(config)
    hasher.combine(quirk)
  }
}
