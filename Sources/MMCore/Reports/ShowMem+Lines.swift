extension ShowMem {
  /// One `name:value` field of a node or zone line, spelled as printed.
  ///
  /// Most fields are `name:%lukB`; some have no unit (`pages_scanned:%lu`), a capital unit
  /// (`reserved_highatomic:%luKB`), a space after the colon (the THP fields, `shmem_thp: %lukB`)
  /// or a word for a value (`all_unreclaimable? yes`).
  public struct Field: Hashable, Sendable {
    /// What comes between the name and the value.
    public enum Separator: String, Hashable, Sendable {
      /// `name:value`.
      case colon = ":"
      /// `name: value` (the THP fields up to ≈ 6.x).
      case colonSpace = ": "
      /// `name? value` (`all_unreclaimable? yes`).
      case question = "? "
    }

    /// A printed value.
    public enum Value: Hashable, Sendable {
      /// A decimal number (with ``Field/unit`` after it).
      case number(Int)
      /// A word (`yes`, `no`).
      case word(String)
    }

    /// The field's name as printed (`free`, `isolated(anon)`, `all_unreclaimable`).
    public var name: String
    /// The separator after the name.
    public var separator: Separator
    /// The value.
    public var value: Value
    /// The unit after a number: `kB`, `KB` or empty.
    public var unit: String

    /// Creates a field.
    public init(name: String, separator: Separator = .colon, value: Value, unit: String = "kB") {
      self.name = name
      self.separator = separator
      self.value = value
      self.unit = unit
    }

    /// A `name:<n>kB` field.
    public static func kilobytes(_ name: String, _ value: Int) -> Field {
      Field(name: name, value: .number(value))
    }

    /// The number, or `nil` for a word.
    public var number: Int? {
      if case .number(let value) = value { return value }
      return nil
    }
  }

  /// A per-node line: `Node %d active_anon:%lukB … all_unreclaimable? %s`.
  ///
  /// Kernel: the `for_each_online_pgdat()` loop of `show_free_areas()` (4.8+).
  public struct NodeState: Hashable, Sendable {
    /// The node id.
    public var node: Int
    /// The fields in print order.
    public var fields: [Field]

    /// Creates a node line.
    public init(node: Int, fields: [Field]) {
      self.node = node
      self.fields = fields
    }

    /// The number of the first field called `name`.
    public subscript(name: String) -> Int? { fields.first { $0.name == name }?.number }
  }

  /// A per-zone line: `[Node %d ]%s free:%lukB min:%lukB low:%lukB high:%lukB …`.
  ///
  /// Kernel: the `for_each_populated_zone()` loop of `show_free_areas()`; the `Node %d ` prefix
  /// is `show_node()`, printed only by `CONFIG_NUMA` kernels.
  public struct ZoneState: Hashable, Sendable {
    /// The node id, or `nil` when the kernel printed no `Node %d ` prefix.
    public var node: Int?
    /// The zone name as printed (`DMA32`, `Normal`).
    public var zone: String
    /// The fields in print order.
    public var fields: [Field]

    /// Creates a zone line.
    public init(node: Int?, zone: String, fields: [Field]) {
      self.node = node
      self.zone = zone
      self.fields = fields
    }

    /// The zone type the name stands for, or `nil` for a name oomlab does not know.
    public var kind: ZoneKind? { ZoneKind(kernelName: zone) }

    /// The number of the first field called `name` (`free`, `min`, `managed`, …; kB for most).
    public subscript(name: String) -> Int? { fields.first { $0.name == name }?.number }
  }

  /// A free-block line: `[Node %d ]%s: ` then `%lu*%lukB ` and, for a non-zero count,
  /// `(%s) ` per order, then `= %lukB`.
  ///
  /// Kernel: the second `for_each_populated_zone()` loop of `show_free_areas()` and
  /// `show_migration_types()`.
  public struct FreeArea: Hashable, Sendable {
    /// One order's entry.
    public struct Order: Hashable, Sendable {
      /// `nr_free`: free blocks of this order.
      public var count: Int
      /// The block size in kB (`4 << order` with 4 KiB pages).
      public var blockKilobytes: Int
      /// The migratetypes with a non-empty free list at this order, in print order, or `nil`
      /// when no parentheses were printed (a zero count, or a kernel before the letters).
      public var migrateTypes: [MigrateType]?

      /// Creates an entry.
      public init(count: Int, blockKilobytes: Int, migrateTypes: [MigrateType]? = nil) {
        self.count = count
        self.blockKilobytes = blockKilobytes
        self.migrateTypes = migrateTypes
      }

      /// `count × blockKilobytes`.
      public var kilobytes: Int { count * blockKilobytes }
    }

    /// The node id, or `nil` when the kernel printed no `Node %d ` prefix.
    public var node: Int?
    /// The zone name as printed.
    public var zone: String
    /// One entry per order, from order 0.
    public var orders: [Order]
    /// The printed total after `=` (kB).
    public var totalKilobytes: Int

    /// Creates a free-block line.
    public init(node: Int?, zone: String, orders: [Order], totalKilobytes: Int) {
      self.node = node
      self.zone = zone
      self.orders = orders
      self.totalKilobytes = totalKilobytes
    }

    /// The sum of the entries' `count × size`, which the kernel's own total equals.
    public var termsKilobytes: Int { orders.reduce(0) { $0 + $1.kilobytes } }
  }

  /// A hugepage line: `Node %d hugepages_total=%u hugepages_free=%u hugepages_surp=%u
  /// hugepages_size=%lukB`.
  ///
  /// Kernel: `hugetlb_show_meminfo_node()` / `hugetlb_show_meminfo()` in `mm/hugetlb.c`.
  public struct Hugepages: Hashable, Sendable {
    /// The node id.
    public var node: Int
    /// `hugepages_total`.
    public var total: Int
    /// `hugepages_free`.
    public var free: Int
    /// `hugepages_surp`.
    public var surplus: Int
    /// `hugepages_size` in kB.
    public var sizeKilobytes: Int

    /// Creates a hugepage line.
    public init(node: Int, total: Int, free: Int, surplus: Int, sizeKilobytes: Int) {
      self.node = node
      self.total = total
      self.free = free
      self.surplus = surplus
      self.sizeKilobytes = sizeKilobytes
    }
  }
}
