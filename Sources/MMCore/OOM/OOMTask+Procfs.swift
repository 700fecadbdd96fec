extension OOMTask {
  /// The releases whose `VmPTE` leaves out the PMD pages that `oom_badness()` counts
  /// (`nr_ptes + nr_pmds`, shown apart as `VmPMD`): 4.0 added both, 4.15 merged them into
  /// `pgtables_bytes` (as the task table's `nr_pmds` column, ``OOMTaskTableLayout``).
  public static let separatePMDCount = KernelVersion(4, 0)..<KernelVersion(4, 15)

  /// The task a captured `/proc/PID` describes, or `nil` without a `status` file.
  ///
  /// - Resident pages come from `RssAnon`/`RssFile`/`RssShmem`; before 4.5, which prints only
  ///   `VmRSS`, all of it is counted as anon (badness uses only the sum).
  /// - Page tables are `VmPTE`, plus `VmPMD` in 4.0–4.14; swap entries are `VmSwap`.
  /// - A status without `VmRSS` belongs to a process with no mm (a kernel thread or a zombie).
  /// - `oom_score_adj` comes from its file, else from the legacy `oom_adj`, else 0.
  /// - Pid 1 is the global init. Whether it is an earlier OOM victim is not in /proc, so it
  ///   is taken as not.
  ///
  /// - Parameters:
  ///   - entry: the directory's files.
  ///   - version: the kernel that wrote them.
  ///   - pageShift: log2 of the page size.
  public init?(_ entry: ProcessEntry, version: KernelVersion, pageShift: Int = 12) {
    guard let status = entry.status else { return nil }
    let shift = pageShift - 10
    let resident = status.vmRSS ?? 0
    let split = status.rssAnon != nil
    var tables = status.vmPTE ?? 0
    if Self.separatePMDCount.contains(version) { tables += status.vmPMD ?? 0 }
    self.init(
      pid: entry.pid, comm: entry.comm ?? status.name ?? "", uid: status.uids?.first,
      rssAnonPages: (split ? status.rssAnon ?? 0 : resident) >> shift,
      rssFilePages: (status.rssFile ?? 0) >> shift,
      rssShmemPages: (status.rssShmem ?? 0) >> shift,
      swapEntries: (status.vmSwap ?? 0) >> shift, pageTableBytes: tables << 10,
      oomScoreAdj: entry.oomScoreAdj ?? entry.oomAdj.flatMap(OOMScoreAdj.scoreAdj) ?? 0,
      isKernelThread: status.isKernelThread ?? false, isGlobalInit: entry.pid == 1,
      hasExitedMM: status.vmRSS == nil, hasSysAdminCapability: status.hasSysAdminCapability)
  }
}
