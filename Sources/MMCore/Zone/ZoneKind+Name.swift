extension ZoneKind {
  /// The zone kind `/proc/zoneinfo` and `show_mem` print as `name` (`DMA32`, `Normal`, …).
  public init?(kernelName name: some StringProtocol) {
    guard let kind = Self.allCases.first(where: { $0.kernelName == name }) else { return nil }
    self = kind
  }
}
