/// The line a stack dump starts with: which CPU and task, the taint state and the kernel release.
///
///     CPU: 0 PID: 179 Comm: AiApp Not tainted 4.9.56 #53
///     CPU: 3 UID: 101 PID: 4191 Comm: systemd-network Not tainted 6.12.39 #8
///     CPU: 0 PID: 244 Comm: insmod Tainted: G           OE      6.1.0-56-amd64 #1  Debian 6.1.192-2
///     Pid: 25561, comm: DVBRead Tainted: G         C   3.7.10-gentoo #4
///
/// Kernel: `dump_stack_print_info()` in `lib/dump_stack.c` (`CPU: %d [UID: %u ]PID: %d Comm:
/// %.20s %s%s %s %.*s%s`), and on 2.6/3.x x86 `show_regs_common()` / `dump_stack()` (`Pid: %d,
/// comm: %.20s %s %s %.*s`); the taint text is `print_tainted()` in `kernel/panic.c`.
public struct DumpStackInfo: Hashable, Sendable {
  /// Which of the two line shapes was printed.
  public enum Style: Hashable, Sendable {
    /// `CPU: %d [UID: %u ]PID: %d Comm: %.20s …` (3.x+ generic `dump_stack()`).
    case cpu
    /// `Pid: %d, comm: %.20s …` (2.6/3.x x86).
    case pid
  }

  /// The line shape.
  public var style: Style
  /// The CPU the stack was dumped on (``Style/cpu`` only).
  public var cpu: Int?
  /// The task's user id (6.x prints `UID: %u`).
  public var uid: Int?
  /// The task's pid.
  public var pid: Int
  /// The task's name (`current->comm`).
  public var comm: String
  /// Whether `Kdump: loaded ` was printed before the taint state.
  public var kdumpLoaded: Bool
  /// The taint field after `Tainted: ` exactly as printed, padding included (`G           OE
  /// `), or `nil` for `Not tainted`.
  public var taint: String?
  /// The kernel release (`init_utsname()->release`).
  public var release: String
  /// What follows the release: the build number and any distribution or build-id suffix (`#53`,
  /// `#1  Debian 6.1.192-2`), or `nil` when nothing did.
  public var build: String?

  /// Creates the line from its fields.
  public init(
    style: Style = .cpu, cpu: Int?, uid: Int? = nil, pid: Int, comm: String,
    kdumpLoaded: Bool = false, taint: String?, release: String, build: String?
  ) {
    self.style = style
    self.cpu = cpu
    self.uid = uid
    self.pid = pid
    self.comm = comm
    self.kdumpLoaded = kdumpLoaded
    self.taint = taint
    self.release = release
    self.build = build
  }

  /// The release as a version, or `nil` when it does not read as one.
  public var kernel: KernelVersion? { try? KernelVersion(parsing: release) }
}
