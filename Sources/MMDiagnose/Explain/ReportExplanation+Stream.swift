public import MMCore
public import MMText

extension ReportExplanation {
  /// Explains the reports in one window of a streamed log, in log order.
  ///
  /// - Parameters:
  ///   - window: the window (see ``MMText/ReportWindows``).
  ///   - file: the name parse problems report.
  ///   - kernel: the release to read reports as when neither they nor the log name one.
  public static func explainAll(
    in window: ReportWindow, file: String, kernel: KernelVersion? = nil
  ) -> [ReportExplanation] {
    explainAll(
      in: window.text, file: file, kernel: kernel, logKernel: window.logKernel,
      firstLine: window.firstLine)
  }
}

/// The explanations of a log read as a stream, window by window: a multi-gigabyte or
/// gzip-compressed log is never held whole.
public struct StreamedExplanations {
  private var windows: ReportWindows
  private let file: String
  private let kernel: KernelVersion?

  /// Reads `source` in chunks of `chunkSize` bytes.
  ///
  /// - Parameters:
  ///   - source: the log (``MMText/LogSources/open(_:)`` opens files, `-` and `.gz`).
  ///   - file: the name parse problems report.
  ///   - kernel: the release to read reports as when neither they nor the log name one.
  public init(
    source: any LogSource, file: String, kernel: KernelVersion? = nil, chunkSize: Int = 4 << 20
  ) {
    windows = ReportWindows(source: source, chunkSize: chunkSize)
    self.file = file
    self.kernel = kernel
  }

  /// The explanations of the next window that holds reports, `nil` at the end of the log.
  ///
  /// - Throws: ``MMText/LogInputError`` when the log cannot be read or its gzip stream is
  ///   damaged.
  public mutating func next() throws(LogInputError) -> [ReportExplanation]? {
    while let window = try windows.next() {
      let explanations = ReportExplanation.explainAll(in: window, file: file, kernel: kernel)
      if !explanations.isEmpty { return explanations }
    }
    return nil
  }
}
