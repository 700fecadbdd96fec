public import MMCore

extension ReportWindow {
  /// The allocation-failure reports in the window, numbered as lines of the whole log.
  ///
  /// - Parameters:
  ///   - file: the name problems report.
  ///   - kernel: the release to read reports as when they print none of their own (by default
  ///     the first one the log printed up to the end of the window).
  public func allocFailureReports(
    file: String, kernel: KernelVersion? = nil
  ) -> [AllocFailureReport.Found] {
    AllocFailureReport.findAll(
      in: text, file: file, kernel: kernel ?? logKernel, firstLine: firstLine)
  }

  /// The OOM reports in the window, numbered as lines of the whole log.
  ///
  /// - Parameter file: the name problems report.
  public func oomReports(file: String) -> [OOMReport.Found] {
    OOMReport.findAll(in: text, file: file, kernel: logKernel, firstLine: firstLine)
  }
}
