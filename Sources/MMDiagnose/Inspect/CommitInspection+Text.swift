internal import MMCore

extension CommitInspection {
  /// The report as a person reads it: the figures, the mode's verdict, and whether the model
  /// reproduces CommitLimit.
  public var text: String {
    var out = "commit: overcommit_memory \(mode)"
    if let name = OvercommitMode(rawValue: mode)?.kernelName { out += " (\(name))" }
    out += ", CommitLimit "
    out +=
      limitKB.kernel.map { "\($0) kB (model \(limitKB.model) kB)" } ?? "\(limitKB.model) kB (model)"
    out += ", Committed_AS \(committedKB) kB\n"
    out += verdict + "\n"
    if agrees {
      out += limitKB.kernel == nil ? "" : "model agrees with your kernel's CommitLimit\n"
    } else {
      out += "model differs from your kernel:\n"
      for difference in differences { out += "- \(difference)\n" }
    }
    return out
  }
}
