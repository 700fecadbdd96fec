/// The historical column sets of the OOM report's task table (`dump_tasks()`), oldest first.
///
/// Kernel: `dump_tasks()` / `dump_task()` in `mm/oom_kill.c` (../shared/kernel/oom.md §7.3).
public enum OOMTaskTableLayout: Int, CaseIterable, Hashable, Sendable {
  /// 2.6.32–3.4: `[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name`.
  case cpuOOMAdj
  /// 3.5–3.19: `[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name`.
  case nrPtes
  /// 4.0–4.14: `… rss nr_ptes nr_pmds swapents oom_score_adj name`.
  case nrPtesPmds
  /// 4.15–4.18: `[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name`.
  case pgtablesBytes
  /// 4.19–6.7: `[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj
  /// name`, after a `Tasks state (memory values in pages):` line.
  case widePid
  /// 6.8+: `[  pid  ] … rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj
  /// name`.
  case rssSplit

  /// One numeric column after `[pid]`: its value's key and how it prints.
  public struct Column: Hashable, Sendable {
    /// The column's title in the header line.
    public var title: String
    /// The text printed before the value (one space, or more before `oom_score_adj`).
    public var gap: String
    /// The value's minimum width (right-aligned).
    public var width: Int
  }

  /// The header line, exactly as printed.
  public var headerLine: String {
    let pid = self >= .widePid ? "[  pid  ]" : "[ pid ]"
    return pid + "   uid  tgid total_vm      rss "
      + columns.dropFirst(4).map(\.title).joined(separator: " ") + " name"
  }

  /// The width of the pid in brackets (`[%5d]`, 4.19+ `[%7d]`).
  public var pidWidth: Int { self >= .widePid ? 7 : 5 }

  /// The numeric columns after `[pid]`, in print order.
  public var columns: [Column] {
    func c(_ title: String, _ width: Int, gap: String = " ") -> Column {
      Column(title: title, gap: gap, width: width)
    }
    let lead = [c("uid", 5), c("tgid", 5), c("total_vm", 8), c("rss", 8)]
    let adj = c("oom_score_adj", 5, gap: "         ")
    switch self {
    case .cpuOOMAdj:
      return lead + [c("cpu", 3), c("oom_adj", 3, gap: "     "), adj]
    case .nrPtes: return lead + [c("nr_ptes", 7), c("swapents", 8), adj]
    case .nrPtesPmds: return lead + [c("nr_ptes", 7), c("nr_pmds", 7), c("swapents", 8), adj]
    case .pgtablesBytes, .widePid: return lead + [c("pgtables_bytes", 8), c("swapents", 8), adj]
    case .rssSplit:
      return lead + [
        c("rss_anon", 8), c("rss_file", 8), c("rss_shmem", 9), c("pgtables_bytes", 8),
        c("swapents", 8), adj,
      ]
    }
  }
}

extension OOMTaskTableLayout: Comparable {
  /// Orders layouts from oldest to newest.
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// One row of the OOM report's task table: a process that still has an mm.
///
/// Memory values are in pages, except ``pgtablesBytes`` (bytes despite the table's title).
public struct OOMTaskRow: Hashable, Sendable {
  /// The column set the row was printed with.
  public var layout: OOMTaskTableLayout
  /// The pid of the thread holding the mm (`[pid]`).
  public var pid: Int
  /// The numbers after `[pid]`, in the layout's column order.
  public var values: [Int]
  /// The task name (`comm`, possibly with spaces).
  public var name: String

  /// Creates a row from its values in ``OOMTaskTableLayout/columns`` order.
  public init(layout: OOMTaskTableLayout, pid: Int, values: [Int], name: String) {
    self.layout = layout
    self.pid = pid
    self.values = values
    self.name = name
  }

  /// The value of the column titled `title` (`uid`, `rss`, `swapents`, …), if the layout has it.
  public subscript(title: String) -> Int? {
    guard let index = layout.columns.firstIndex(where: { $0.title == title }),
      index < values.count
    else { return nil }
    return values[index]
  }

  /// The task's uid.
  public var uid: Int? { self["uid"] }
  /// The thread group id.
  public var tgid: Int? { self["tgid"] }
  /// `total_vm` in pages.
  public var totalVM: Int? { self["total_vm"] }
  /// `rss` in pages (anon + file + shmem).
  public var rss: Int? { self["rss"] }
  /// `rss_anon` in pages (6.8+).
  public var rssAnon: Int? { self["rss_anon"] }
  /// `rss_file` in pages (6.8+).
  public var rssFile: Int? { self["rss_file"] }
  /// `rss_shmem` in pages (6.8+).
  public var rssShmem: Int? { self["rss_shmem"] }
  /// Page-table bytes (4.15+).
  public var pgtablesBytes: Int? { self["pgtables_bytes"] }
  /// Page-table pages (`nr_ptes`, 3.x–4.14).
  public var nrPtes: Int? { self["nr_ptes"] }
  /// Swap entries in pages.
  public var swapents: Int? { self["swapents"] }
  /// The task's `oom_score_adj`.
  public var oomScoreAdj: Int? { self["oom_score_adj"] }
}

extension OOMTaskTableLayout {
  /// The column set `kernel` prints.
  ///
  /// Ranges (oom.md §7.3, checked against the corpus: 2.6.32 and 3.2 print `cpu oom_adj`, 3.10
  /// `nr_ptes`, 4.7 `nr_pmds`, 4.18 `pgtables_bytes` with `[%5d]`, 5.0–6.1 the wide pid): the
  /// `cpu oom_adj` columns until 3.4 (replaced in 3.5), `nr_pmds` from 4.0, `pgtables_bytes`
  /// from 4.15, the `Tasks state` line and `[%7d]` from 4.19, the split rss from 6.8.
  public init(kernel: KernelVersion) {
    switch (kernel.major, kernel.minor, kernel.patch) {
    case let v where v < (3, 5, 0): self = .cpuOOMAdj
    case let v where v < (4, 0, 0): self = .nrPtes
    case let v where v < (4, 15, 0): self = .nrPtesPmds
    case let v where v < (4, 19, 0): self = .pgtablesBytes
    case let v where v < (6, 8, 0): self = .widePid
    default: self = .rssSplit
    }
  }
}
