/// Input the overcommit model cannot use: the kernel would have refused it too.
public enum OvercommitError: Error, CustomStringConvertible, Hashable, Sendable {
  /// A sysctl outside the range the model accepts (`overcommit_memory` outside 0...2, whose
  /// write the kernel refuses with `EINVAL`; a negative size).
  case sysctlOutOfRange(name: String, value: Int, range: ClosedRange<Int>)
  /// A `/proc/meminfo` line the model needs is missing.
  case missingMemInfoField(String)
  /// A request for a negative number of pages.
  case negativeRequest(pages: Int)
  /// A per-cpu counter update on a cpu the counter does not have.
  case noSuchCPU(Int, cpus: Int)

  /// One line, worded like the kernel's own refusal where there is one.
  public var description: String {
    switch self {
    case .sysctlOutOfRange(let name, let value, let range):
      "vm.\(name) = \(value): out of range \(range.lowerBound)...\(range.upperBound)"
    case .missingMemInfoField(let name):
      "meminfo: no '\(name)' line"
    case .negativeRequest(let pages):
      "__vm_enough_memory: a request of \(pages) pages is negative"
    case .noSuchCPU(let cpu, let cpus):
      "vm_committed_as: cpu \(cpu) does not exist (\(cpus) cpus)"
    }
  }
}
