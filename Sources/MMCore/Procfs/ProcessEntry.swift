/// The OOM-related files of one `/proc/PID` directory.
///
/// Each value is `nil` when its file was not there (a capture may hold only some of them).
///
/// Kernel: `proc_pid_status()`, `proc_oom_score()`, `oom_score_adj_read()`, `oom_adj_read()`,
/// `comm_show()` in `fs/proc/`.
public struct ProcessEntry: Hashable, Sendable {
  /// The directory's name.
  public var pid: Int
  /// `status`.
  public var status: ProcessStatus?
  /// `comm`: the command name, without the newline.
  public var comm: String?
  /// `oom_score`: the kernel's own score.
  public var oomScore: Int?
  /// `oom_score_adj`.
  public var oomScoreAdj: Int?
  /// `oom_adj`: the legacy −17…15 value.
  public var oomAdj: Int?

  /// Creates the files' values.
  public init(
    pid: Int, status: ProcessStatus? = nil, comm: String? = nil, oomScore: Int? = nil,
    oomScoreAdj: Int? = nil, oomAdj: Int? = nil
  ) {
    self.pid = pid
    self.status = status
    self.comm = comm
    self.oomScore = oomScore
    self.oomScoreAdj = oomScoreAdj
    self.oomAdj = oomAdj
  }
}
