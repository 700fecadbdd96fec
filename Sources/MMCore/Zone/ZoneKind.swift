/// A memory zone type, in the kernel's order from lowest to highest.
///
/// ``device`` (`ZONE_DEVICE`: pmem and HMM memory) is never in the buddy allocator, but
/// `/proc/zoneinfo` prints it and its column is part of every `protection` array on the kernels
/// that configure it (x86_64 distribution kernels: DMA, DMA32, Normal, Movable, Device).
///
/// Kernel: `enum zone_type` in `include/linux/mmzone.h`; names as `/proc/zoneinfo` prints them.
public enum ZoneKind: Int, CaseIterable, Comparable, Hashable, Sendable {
  case dma, dma32, normal, highmem, movable, device

  /// Orders zones from lowest (DMA) to highest (Device).
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// The zone's name as `/proc/zoneinfo` and `show_mem` print it.
  public var kernelName: String {
    switch self {
    case .dma: "DMA"
    case .dma32: "DMA32"
    case .normal: "Normal"
    case .highmem: "HighMem"
    case .movable: "Movable"
    case .device: "Device"
    }
  }
}
