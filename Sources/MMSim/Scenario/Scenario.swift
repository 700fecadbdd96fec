/// A scenario file: a machine, its settings, its tasks and what happens over virtual time.
///
/// Keys are the file's (snake_case); sizes are ``MemorySize`` (`64 MiB`, `300 pages`), times
/// ``VirtualDuration`` (`10 ms`, `2 s`). The file format is documented in docs/scenarios.md.
public struct Scenario: Codable, Hashable, Sendable {
  /// A short name (`seed-cma-leak`).
  public var name: String
  /// What the scenario teaches, in a sentence or two.
  public var description: String?
  /// The kernel release the run behaves and prints as (`4.9.56`, `6.1.0-56-amd64`).
  public var kernel: String
  /// The seed of the run's random choices (default 1).
  public var seed: UInt64?
  /// The machine.
  public var machine: MachineSpec
  /// `vm.*` sysctls set before the run (`vm.min_free_kbytes: 8192`).
  public var sysctl: [String: Int]?
  /// Memory cgroups (v2), parents before children.
  public var cgroups: [CgroupSpec]?
  /// Tasks running at the start, with the memory they hold.
  public var tasks: [TaskSpec]?
  /// What happens, in any order (the run sorts by time; same time: file order).
  public var timeline: [EventSpec]
  /// When the run ends.
  public var stop: StopSpec?

  /// Creates a scenario.
  public init(
    name: String, description: String? = nil, kernel: String, seed: UInt64? = nil,
    machine: MachineSpec, sysctl: [String: Int]? = nil, cgroups: [CgroupSpec]? = nil,
    tasks: [TaskSpec]? = nil, timeline: [EventSpec], stop: StopSpec? = nil
  ) {
    self.name = name
    self.description = description
    self.kernel = kernel
    self.seed = seed
    self.machine = machine
    self.sysctl = sysctl
    self.cgroups = cgroups
    self.tasks = tasks
    self.timeline = timeline
    self.stop = stop
  }
}

/// The machine: its RAM (zones laid out as the architecture does) or explicit zones, CMA areas,
/// swap.
public struct MachineSpec: Codable, Hashable, Sendable {
  /// `x86_64`, `arm64` or `generic` (default `x86_64`).
  public var arch: String?
  /// RAM, laid out in zones as the architecture does (`ram: 16 GiB`); or give ``zones``.
  public var ram: MemorySize?
  /// Explicit zones, lowest first.
  public var zones: [ZoneSpec]?
  /// The pageblock order (default 9; 10 on some embedded kernels).
  public var pageblockOrder: Int?
  /// Contiguous memory allocator areas.
  public var cma: [CMASpec]?
  /// Swap space (default none).
  public var swap: MemorySize?

  enum CodingKeys: String, CodingKey {
    case arch, ram, zones, cma, swap
    case pageblockOrder = "pageblock_order"
  }

  /// Creates a machine description.
  public init(
    arch: String? = nil, ram: MemorySize? = nil, zones: [ZoneSpec]? = nil,
    pageblockOrder: Int? = nil, cma: [CMASpec]? = nil, swap: MemorySize? = nil
  ) {
    self.arch = arch
    self.ram = ram
    self.zones = zones
    self.pageblockOrder = pageblockOrder
    self.cma = cma
    self.swap = swap
  }
}

/// One zone of an explicit layout.
public struct ZoneSpec: Codable, Hashable, Sendable {
  /// `DMA`, `DMA32`, `Normal`, `HighMem` or `Movable`.
  public var kind: String
  /// The first page frame (default: right after the previous zone).
  public var startPFN: Int?
  /// Pages present (`present:` in zoneinfo).
  public var present: MemorySize
  /// Pages spanned, holes included (default: present).
  public var spanned: MemorySize?
  /// Pages the buddy allocator manages (default: present).
  public var managed: MemorySize?

  enum CodingKeys: String, CodingKey {
    case kind, present, spanned, managed
    case startPFN = "start_pfn"
  }

  /// Creates a zone description.
  public init(
    kind: String, startPFN: Int? = nil, present: MemorySize, spanned: MemorySize? = nil,
    managed: MemorySize? = nil
  ) {
    self.kind = kind
    self.startPFN = startPFN
    self.present = present
    self.spanned = spanned
    self.managed = managed
  }
}

/// A CMA area: its size, at the top of its zone (pageblock-aligned).
public struct CMASpec: Codable, Hashable, Sendable {
  /// The zone kind it lies in.
  public var zone: String
  /// Its size.
  public var size: MemorySize

  /// Creates a CMA area description.
  public init(zone: String, size: MemorySize) {
    self.zone = zone
    self.size = size
  }
}

/// A memory cgroup (v2).
public struct CgroupSpec: Codable, Hashable, Sendable {
  /// Its path (`/t1`, `/system.slice/db.service`).
  public var path: String
  /// `memory.max` (default unlimited).
  public var max: MemorySize?
  /// `memory.high` (default unlimited).
  public var high: MemorySize?
  /// `memory.oom.group`.
  public var oomGroup: Bool?

  enum CodingKeys: String, CodingKey {
    case path, max, high
    case oomGroup = "oom_group"
  }

  /// Creates a cgroup description.
  public init(path: String, max: MemorySize? = nil, high: MemorySize? = nil, oomGroup: Bool? = nil)
  {
    self.path = path
    self.max = max
    self.high = high
    self.oomGroup = oomGroup
  }
}

/// A task and the memory it holds when it starts.
public struct TaskSpec: Codable, Hashable, Sendable {
  /// Its pid.
  public var pid: Int
  /// Its name (cut to 15 bytes, as the kernel keeps it).
  public var comm: String
  /// Its uid (default 0).
  public var uid: Int?
  /// `oom_score_adj` (default 0).
  public var oomScoreAdj: Int?
  /// Its memory cgroup (default `/`).
  public var cgroup: String?
  /// Memory it touches at start.
  public var rss: RSSSpec?

  enum CodingKeys: String, CodingKey {
    case pid, comm, uid, cgroup, rss
    case oomScoreAdj = "oom_score_adj"
  }

  /// Creates a task description.
  public init(
    pid: Int, comm: String, uid: Int? = nil, oomScoreAdj: Int? = nil, cgroup: String? = nil,
    rss: RSSSpec? = nil
  ) {
    self.pid = pid
    self.comm = comm
    self.uid = uid
    self.oomScoreAdj = oomScoreAdj
    self.cgroup = cgroup
    self.rss = rss
  }
}

/// Resident memory by kind.
public struct RSSSpec: Codable, Hashable, Sendable {
  /// Anonymous memory.
  public var anon: MemorySize?
  /// Mapped page cache.
  public var file: MemorySize?
  /// shmem/tmpfs.
  public var shmem: MemorySize?

  /// Creates a memory description.
  public init(anon: MemorySize? = nil, file: MemorySize? = nil, shmem: MemorySize? = nil) {
    self.anon = anon
    self.file = file
    self.shmem = shmem
  }
}

/// One timeline entry: when (`at`, or `every` with `count`/`until`) and exactly one action.
public struct EventSpec: Codable, Hashable, Sendable {
  /// The virtual time of the (first) occurrence (default 0).
  public var at: VirtualDuration?
  /// Repeats every this long.
  public var every: VirtualDuration?
  /// How many occurrences (with `every`).
  public var count: Int?
  /// No occurrence after this time (with `every`).
  public var until: VirtualDuration?

  /// A kernel or driver allocation (`allocate: {order: 10, gfp: "GFP_ATOMIC|__GFP_COMP"}`).
  public var allocate: AllocateSpec?
  /// A task touches more memory (`touch: {pid: 300, size: 4 MiB, kind: anon}`).
  public var touch: TouchSpec?
  /// A task maps private anonymous memory (`mmap: {pid: 300, size: 512 MiB}`).
  public var mmap: MmapSpec?
  /// A task starts.
  public var start: TaskSpec?
  /// A task exits (its pid).
  public var exit: Int?
  /// `vm.*` sysctl writes, including `vm.drop_caches` and `vm.compact_memory`.
  public var sysctl: [String: Int]?
  /// Take a /proc snapshot (its label).
  public var snapshot: String?

  /// Creates an event.
  public init(
    at: VirtualDuration? = nil, every: VirtualDuration? = nil, count: Int? = nil,
    until: VirtualDuration? = nil, allocate: AllocateSpec? = nil, touch: TouchSpec? = nil,
    mmap: MmapSpec? = nil, start: TaskSpec? = nil, exit: Int? = nil, sysctl: [String: Int]? = nil,
    snapshot: String? = nil
  ) {
    self.at = at
    self.every = every
    self.count = count
    self.until = until
    self.allocate = allocate
    self.touch = touch
    self.mmap = mmap
    self.start = start
    self.exit = exit
    self.sysctl = sysctl
    self.snapshot = snapshot
  }
}

/// A kernel or driver allocation.
public struct AllocateSpec: Codable, Hashable, Sendable {
  /// The order (default 0).
  public var order: Int?
  /// The GFP mask: names joined by `|` (`GFP_ATOMIC|__GFP_COMP`) or hex (`0x2084020`), in the
  /// scenario kernel's numbering.
  public var gfp: String
  /// Blocks per occurrence (default 1).
  public var count: Int?
  /// What the blocks hold: `kernel` (default), `slab`, `slab_reclaimable`, `file`, `anon`.
  public var use: String?
  /// The task name reports print for the allocating context (default `kworker/0:1`).
  public var comm: String?
  /// Free the blocks this long after allocating them (default: never).
  public var hold: VirtualDuration?

  /// Creates an allocation description.
  public init(
    order: Int? = nil, gfp: String, count: Int? = nil, use: String? = nil, comm: String? = nil,
    hold: VirtualDuration? = nil
  ) {
    self.order = order
    self.gfp = gfp
    self.count = count
    self.use = use
    self.comm = comm
    self.hold = hold
  }
}

/// A task touching more memory.
public struct TouchSpec: Codable, Hashable, Sendable {
  /// The task.
  public var pid: Int
  /// How much.
  public var size: MemorySize
  /// `anon` (default), `file` or `shmem`.
  public var kind: String?

  /// Creates a touch description.
  public init(pid: Int, size: MemorySize, kind: String? = nil) {
    self.pid = pid
    self.size = size
    self.kind = kind
  }
}

/// A task's `mmap()` of private, writable anonymous memory: the commitment
/// `__vm_enough_memory()` grants or refuses, no page touched yet.
public struct MmapSpec: Codable, Hashable, Sendable {
  /// The task.
  public var pid: Int
  /// The length of the mapping (whole pages: a partial page maps a whole one).
  public var size: MemorySize

  /// Creates a mapping description.
  public init(pid: Int, size: MemorySize) {
    self.pid = pid
    self.size = size
  }
}

/// When a run ends: at a time, or at the first event of a kind.
public struct StopSpec: Codable, Hashable, Sendable {
  /// The virtual time to stop at.
  public var at: VirtualDuration?
  /// Stop at the first of these: `allocation_failure`, `oom_kill`, `panic`.
  public var on: [String]?

  /// Creates a stop condition.
  public init(at: VirtualDuration? = nil, on: [String]? = nil) {
    self.at = at
    self.on = on
  }
}
