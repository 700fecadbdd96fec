internal import MMCore

// MARK: - swap-exhausted

extension MemoryStateDiagnosis {
  /// The global counter called `name` (any case: 2.6 prints `Active_anon`), with its line index.
  func counter(_ name: String) -> (value: Int, index: Int)? {
    for (index, line) in showMem.lines.enumerated() {
      guard case .counters(let values) = line else { continue }
      if let value = values.first(where: { $0.name.lowercased() == name }) {
        return (value.value, index)
      }
    }
    return nil
  }

  /// Swap is configured and (nearly) full, or there is none while anonymous memory holds most
  /// of RAM: reclaim had nowhere to put anonymous pages.
  ///
  /// "Nearly full": `Free swap` at most 1 % of `Total swap`. "Most of RAM": `active_anon +
  /// inactive_anon` more than half of `pages RAM`. An allocation failure counts only when the
  /// request could reclaim (`__GFP_DIRECT_RECLAIM`).
  var swapExhausted: Finding? {
    if !isOOM, let request, !request.mask.mayDirectReclaim { return nil }
    guard
      let totalIndex = index(where: { if case .totalSwap = $0 { true } else { false } }),
      case .totalSwap(let total) = showMem.lines[totalIndex]
    else { return nil }
    let freeIndex = index { if case .freeSwap = $0 { true } else { false } }
    var free: Int?
    if let freeIndex, case .freeSwap(let kilobytes) = showMem.lines[freeIndex] { free = kilobytes }
    let anon = counter("active_anon").flatMap { active in
      counter("inactive_anon").map { (active.value &+ $0.value, active.index) }
    }
    let ramIndex = index { if case .pages(_, "RAM") = $0 { true } else { false } }
    let ram = showMem.pages("RAM")
    var evidence: [String] = []
    let title: String
    if total > 0 {
      guard let free, free <= total / 100 else { return nil }
      evidence.append(
        "\(at(index: freeIndex))Free swap = \(free)kB of \(at(index: totalIndex))Total swap = "
          + "\(total)kB (\(percent(total &- free, of: total))% used)")
      title =
        "swap is full: \(kilobytesText(free)) free of \(kilobytesText(total)), so reclaim "
        + "could not evict anonymous memory"
    } else {
      guard let anon, let ram, ram > 0, anon.0 > ram / 2 else { return nil }
      evidence.append("\(at(index: totalIndex))Total swap = 0kB: no swap configured")
      evidence.append(
        "\(at(index: anon.1))active_anon + inactive_anon = \(anon.0) pages, "
          + "\(percent(anon.0, of: ram))% of the \(at(index: ramIndex))\(ram) pages RAM")
      title =
        "no swap, and anonymous memory holds \(percent(anon.0, of: ram))% of RAM: reclaim "
        + "could only drop page cache, anonymous pages had nowhere to go"
    }
    if total > 0, let anon, let ram, ram > 0 {
      evidence.append(
        "\(at(index: anon.1))active_anon + inactive_anon = \(anon.0) pages "
          + "(\(percent(anon.0, of: ram))% of \(ram) pages RAM)")
    }
    return Finding(
      id: "swap-exhausted", title: title, evidence: evidence,
      remedy: "Add swap (a swap file or zram) sized to the anonymous memory that may idle, "
        + "or reduce what the workload keeps resident; find the task whose anonymous memory "
        + "grows (the task table, smaps) and fix or cap it (memcg memory.max / memory.swap.max); "
        + "watch Free swap before it reaches zero.",
      weight: isOOM ? 65 : 50)
  }
}

// MARK: - hugetlb-reserved

extension MemoryStateDiagnosis {
  /// The hugetlb pool holds a large share (≥ 25 %) of RAM: those pages serve only hugetlbfs
  /// and `MAP_HUGETLB` mappings, never the page allocator's other requests.
  var hugetlbReserved: Finding? {
    guard let ram = showMem.pages("RAM"), ram > 0 else { return nil }
    let ramKB = ram &* pageKilobytes
    var totalKB = 0
    var freeKB = 0
    var evidence: [String] = []
    for (index, line) in showMem.lines.enumerated() {
      guard case .hugepages(let pool) = line, pool.total > 0 else { continue }
      totalKB &+= pool.total &* pool.sizeKilobytes
      freeKB &+= pool.free &* pool.sizeKilobytes
      evidence.append(
        "\(at(index: index))Node \(pool.node): \(pool.total) × \(pool.sizeKilobytes)kB huge "
          + "pages = \(kilobytesText(pool.total &* pool.sizeKilobytes)), \(pool.free) free, "
          + "\(pool.surplus) surplus")
    }
    let share = percent(totalKB, of: ramKB)
    guard totalKB > 0, share >= 25 else { return nil }
    let ramIndex = index { if case .pages(_, "RAM") = $0 { true } else { false } }
    evidence.append(
      "\(at(index: ramIndex))\(ram) pages RAM = \(kilobytesText(ramKB)): hugetlb holds "
        + "\(share)%, of which \(kilobytesText(freeKB)) sits free in the pool")
    return Finding(
      id: "hugetlb-reserved",
      title: "the hugetlb pool holds \(kilobytesText(totalKB)), \(share)% of RAM "
        + "(\(kilobytesText(freeKB)) of it free and idle), which no other allocation may use",
      evidence: evidence,
      remedy: "Lower vm.nr_hugepages (or the per-node nr_hugepages) to what hugetlbfs users "
        + "map, release idle free huge pages, size the pool at boot (hugepages=) to the "
        + "workload, or use transparent huge pages, which return to the allocator when unused.",
      weight: share >= 50 ? 85 : 55)
  }
}
