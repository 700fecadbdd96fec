internal import MMCore

// MARK: - leak-suspect (kernel memory)

extension MemoryStateDiagnosis {
  /// One row of the OOM report's `Unreclaimable slab info:` table (`%-17s %10luKB %10luKB`,
  /// `dump_unreclaimable_slab()` in `mm/slab_common.c`, 4.15+), with its log line.
  struct SlabCache {
    /// The cache's name.
    var name: String
    /// Memory its live objects use, kB.
    var usedKB: Int
    /// Memory its slabs hold, kB.
    var totalKB: Int
    /// The log line.
    var line: Int?
  }

  /// Reads the `Unreclaimable slab info:` table out of an OOM report's lines that oomlab keeps
  /// as printed.
  static func slabCaches(in entries: [OOMReport.Entry]) -> [SlabCache] {
    var caches: [SlabCache] = []
    var inTable = false
    for entry in entries {
      guard case .text(let text) = entry.line else {
        if inTable { break }
        continue
      }
      if text.hasPrefix("Unreclaimable slab info:") {
        inTable = true
        continue
      }
      guard inTable else { continue }
      let fields = text.split(separator: " ")
      guard fields.count >= 3, fields[fields.count - 1].hasSuffix("KB"),
        let used = Int(fields[fields.count - 2].dropLast(2)),
        let total = Int(fields[fields.count - 1].dropLast(2))
      else {
        if fields.first == "Name" { continue }
        break
      }
      caches.append(
        SlabCache(
          name: fields.dropLast(2).joined(separator: " "), usedKB: used, totalKB: total,
          line: entry.sourceLine))
    }
    return caches
  }

  /// The kernel, not user tasks, holds the memory: unreclaimable slab exceeds every LRU page
  /// (the kernel's own test, `should_dump_unreclaim_slab()`, for printing the slab table at an
  /// OOM, 4.15+), or shmem/tmpfs holds half of RAM or more.
  ///
  /// Killing tasks frees neither: slab is freed by the code that allocated it, shmem when its
  /// files are removed (or, for SysV/memfd segments, their last user goes).
  var kernelMemoryLeak: Finding? {
    let lruNames = [
      "active_anon", "inactive_anon", "active_file", "inactive_file", "isolated_anon",
      "isolated_file", "unevictable",
    ]
    let ram = showMem.pages("RAM")
    if let slab = counter("slab_unreclaimable") {
      let lru = lruNames.compactMap { counter($0)?.value }.reduce(0, &+)
      if slab.value > lru {
        var evidence = [
          "\(at(index: slab.index))slab_unreclaimable:\(slab.value) pages "
            + "(\(kilobytesText(slab.value &* pageKilobytes))) > the LRU's \(lru) pages "
            + "(anon + file + isolated + unevictable): should_dump_unreclaim_slab()'s test"
        ]
        if let ram, ram > 0 {
          evidence.append("that is \(percent(slab.value, of: ram))% of the \(ram) pages RAM")
        }
        let largest = slabCaches.sorted { $0.totalKB > $1.totalKB }.prefix(3)
        for cache in largest {
          evidence.append(
            "\(ReportedZone.at(cache.line))slab cache \(cache.name): \(cache.usedKB)KB used, "
              + "\(cache.totalKB)KB held")
        }
        return Finding(
          id: "leak-suspect",
          title: "unreclaimable slab (\(kilobytesText(slab.value &* pageKilobytes))) exceeds "
            + "all user-visible LRU memory: the kernel itself holds the memory"
            + (largest.first.map { ", most in \($0.name)" } ?? ""),
          evidence: evidence,
          remedy: "Find the growing cache (slabtop, /proc/slabinfo, the OOM report's slab "
            + "table) and the code that allocates it (a driver or subsystem leak; "
            + "kmemleak); killing tasks will not free it. Update or fix that kernel code.",
          weight: isOOM ? 80 : 60)
      }
    }
    if let shmem = counter("shmem"), let ram, ram > 0, shmem.value >= ram / 2 {
      return Finding(
        id: "leak-suspect",
        title: "shmem/tmpfs holds \(percent(shmem.value, of: ram))% of RAM "
          + "(\(kilobytesText(shmem.value &* pageKilobytes))): it is freed only when its files "
          + "or segments go",
        evidence: [
          "\(at(index: shmem.index))shmem:\(shmem.value) pages of the \(ram) pages RAM"
        ],
        remedy: "Look at tmpfs mounts (df -t tmpfs: /dev/shm, /run, /tmp), SysV shared memory "
          + "(ipcs -m) and memfds; remove stale files, cap tmpfs size= or the memcg that "
          + "charges them, and give shmem swap to go to.",
        weight: isOOM ? 70 : 50)
    }
    return nil
  }
}
