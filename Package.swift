// swift-tools-version: 6.2
import PackageDescription

/// Settings every oomlab target shares (../STYLE.md §2).
///
/// `MM_INTERNAL_CHECKS` turns on the debug-only invariant checks (the kernel's
/// `CONFIG_DEBUG_VM`); release builds compile them out.
let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .define("MM_INTERNAL_CHECKS", .when(configuration: .debug)),
  .treatAllWarnings(as: .error),
]

let package = Package(
  name: "oomlab",
  products: [
    .executable(name: "oomlab", targets: ["oomlab"]),
    .library(name: "MMCore", targets: ["MMCore"]),
    .library(name: "MMSim", targets: ["MMSim"]),
    .library(name: "MMText", targets: ["MMText"]),
    .library(name: "MMDiagnose", targets: ["MMDiagnose"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // Core library: vocabulary → engine / formats → diagnosis → CLI (../DESIGN.md).
    .target(name: "_MMUtilities", exclude: ["README.md"], swiftSettings: strictSettings),
    .target(
      name: "MMCore", dependencies: ["_MMUtilities"], exclude: ["README.md"],
      swiftSettings: strictSettings),
    .target(
      name: "MMSim",
      dependencies: ["MMCore", "_MMUtilities", .product(name: "Yams", package: "Yams")],
      exclude: ["README.md"],
      swiftSettings: strictSettings),
    .target(
      name: "MMText", dependencies: ["MMCore", "_MMUtilities", "CZlib"], exclude: ["README.md"],
      swiftSettings: strictSettings),
    // The system zlib (Debian's zlib1g-dev), for gzip-compressed logs.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
    .target(
      name: "MMDiagnose", dependencies: ["MMCore", "MMSim", "MMText"], exclude: ["README.md"],
      swiftSettings: strictSettings),

    // Tools
    .executableTarget(
      name: "oomlab",
      dependencies: [
        "MMCore", "MMText", "MMDiagnose",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      resources: [.copy("scenarios")],
      swiftSettings: strictSettings),

    // Tests (fixtures live in Tests/Fixtures and are found with #filePath)
    .target(
      name: "MMTestSupport", dependencies: ["_MMUtilities", "CZlib"], path: "Tests/MMTestSupport",
      swiftSettings: strictSettings),
    .testTarget(
      name: "_MMUtilitiesTests", dependencies: ["_MMUtilities"], swiftSettings: strictSettings),
    .testTarget(
      name: "MMCoreTests", dependencies: ["MMCore", "MMText", "MMTestSupport", "_MMUtilities"],
      swiftSettings: strictSettings),
    .testTarget(
      name: "MMSimTests",
      dependencies: ["MMSim", "MMCore", "MMText", "MMTestSupport", "_MMUtilities"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "MMTextTests", dependencies: ["MMText", "MMCore", "MMTestSupport", "_MMUtilities"],
      swiftSettings: strictSettings),
    .testTarget(
      name: "MMDiagnoseTests", dependencies: ["MMDiagnose", "MMCore", "MMText", "MMTestSupport"],
      swiftSettings: strictSettings),
    .testTarget(
      name: "oomlabTests",
      dependencies: [
        "oomlab", "MMCore", "MMTestSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSettings),

    // Benchmarks (release: `swift package benchmark`)
    .executableTarget(
      name: "GFPDecode",
      dependencies: ["MMCore", "_MMUtilities", .product(name: "Benchmark", package: "benchmark")],
      path: "Benchmarks/GFPDecode",
      swiftSettings: strictSettings,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "PageAlloc",
      dependencies: [
        "MMCore", "MMSim", "_MMUtilities", .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/PageAlloc",
      swiftSettings: strictSettings,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "Pressure",
      dependencies: [
        "MMCore", "MMSim", "_MMUtilities", .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/Pressure",
      swiftSettings: strictSettings,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "ExplainStream",
      dependencies: [
        "MMDiagnose", "MMText", "MMTestSupport", .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/ExplainStream",
      swiftSettings: strictSettings,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "Scenario",
      dependencies: ["MMSim", .product(name: "Benchmark", package: "benchmark")],
      path: "Benchmarks/Scenario",
      exclude: ["desktop-16g-hour.yaml"],
      swiftSettings: strictSettings,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)
