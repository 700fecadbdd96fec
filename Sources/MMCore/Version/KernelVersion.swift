/// A Linux kernel release as a log or `uname -r` prints it.
///
/// The numeric part is `VERSION.PATCHLEVEL[.SUBLEVEL[.EXTRAVERSION]]` (2.6 kernels carry a fourth
/// number, `2.6.16.21`); what follows is kept as ``localVersion`` (`-56-amd64`, `+`,
/// `-150400.22-default`), except a leading `-rcN`, which makes the release a candidate that sorts
/// before the final release. Examples that parse:
///
///     4.9.56            6.1.0-56-amd64               6.9.0-rc7-g4157e5c9501e-dirty
///     2.6.16.21-0.8-smp 3.10.0-957.27.2.el7.x86_64   4.4.0-rc7-next-20151231+
///     6.2-generic-64k   4.6-master+
///
/// Kernel: the `UTS_RELEASE` string (`init/version.c`, `Makefile`'s `KERNELRELEASE`).
public struct KernelVersion: Hashable, Sendable {
  /// The first number (`VERSION`).
  public var major: Int
  /// The second number (`PATCHLEVEL`).
  public var minor: Int
  /// The third number (`SUBLEVEL`), 0 when the string has only two.
  public var patch: Int
  /// The fourth number of 2.6-era releases (`2.6.32.27`), 0 when absent.
  public var extra: Int
  /// N of a `-rcN` suffix; `nil` for a final release.
  public var releaseCandidate: Int?
  /// Everything after the numbers and the `-rcN` part (`-56-amd64`, `+`).
  public var localVersion: String
  /// How many numbers the text spelled (2 to 4), so that `6.1.0` prints back as `6.1.0`; not part
  /// of equality.
  public var numbersSpelled: Int

  /// Creates a version from its parts.
  public init(
    _ major: Int, _ minor: Int, _ patch: Int = 0, extra: Int = 0, releaseCandidate: Int? = nil,
    localVersion: String = "", numbersSpelled: Int = 3
  ) {
    self.major = major
    self.minor = minor
    self.patch = patch
    self.extra = extra
    self.releaseCandidate = releaseCandidate
    self.localVersion = localVersion
    self.numbersSpelled = numbersSpelled
  }

  /// Equal when the numbers, the candidate number and the local version are (`6.1` == `6.1.0`).
  public static func == (a: Self, b: Self) -> Bool {
    (a.major, a.minor, a.patch, a.extra) == (b.major, b.minor, b.patch, b.extra)
      && a.releaseCandidate == b.releaseCandidate && a.localVersion == b.localVersion
  }

  /// Hashes what ``==`` compares.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(major)
    hasher.combine(minor)
    hasher.combine(patch)
    hasher.combine(extra)
    hasher.combine(releaseCandidate)
    hasher.combine(localVersion)
  }

  /// Whether this is a linux-next integration build (`-next-YYYYMMDD` in the local version).
  ///
  /// Such trees print what the following release will print, sometimes in a shape no release
  /// ever printed (see ``GFPDialect``).
  public var isLinuxNext: Bool { localVersion.contains("-next-") }

  /// The newest release whose kernel rules oomlab's fact sheets cover; newer versions are read
  /// with its rules.
  public static let newestKnown = KernelVersion(6, 19)
}

// MARK: - Ordering

extension KernelVersion: Comparable {
  /// Orders by the numbers, then release candidates before the final release, then by local
  /// version text (so that distinct builds of one release still have a total order).
  public static func < (a: Self, b: Self) -> Bool {
    let left = (a.major, a.minor, a.patch, a.extra)
    let right = (b.major, b.minor, b.patch, b.extra)
    if left != right { return left < right }
    switch (a.releaseCandidate, b.releaseCandidate) {
    case (let x?, let y?) where x != y: return x < y
    case (_?, nil): return true
    case (nil, _?): return false
    default: return a.localVersion < b.localVersion
    }
  }

  /// Whether this release lies in `first…last`, comparing only `major.minor` (the granularity at
  /// which kernel rules change).
  public func isWithin(_ first: (Int, Int), _ last: (Int, Int)) -> Bool {
    let series = (major, minor)
    return series >= first && series <= last
  }

  /// Whether this release is `major.minor` or newer, comparing only `major.minor`.
  public func isAtLeast(_ major: Int, _ minor: Int) -> Bool {
    (self.major, self.minor) >= (major, minor)
  }
}

// MARK: - Text

extension KernelVersion: CustomStringConvertible {
  /// The release string: `major.minor`, `.patch` when non-zero or spelled (``numbersSpelled``),
  /// `.extra` when non-zero, then `-rcN` and the local version.
  public var description: String {
    var text = "\(major).\(minor)"
    if patch != 0 || extra != 0 || numbersSpelled >= 3 { text += ".\(patch)" }
    if extra != 0 { text += ".\(extra)" }
    if let rc = releaseCandidate { text += "-rc\(rc)" }
    return text + localVersion
  }
}
