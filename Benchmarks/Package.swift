// swift-tools-version: 6.1
//
// Benchmarks live in their own package so the benchmark plugin never slows builds of the
// toolkit itself. Run: `cd Benchmarks && swift package benchmark` (or `make bench`).
import PackageDescription
import Foundation

// A path dependency's identity is its folder name, which differs between clones.
let toolkit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func suite(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: "Pipeline", package: toolkit),
            "ChapterModels",
        ],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The chapter's models and synthetic batches, shared by TrainingBenchmarks and StepProfile.
        .target(name: "ChapterModels", dependencies: [.product(name: "Pipeline", package: toolkit)],
                path: "Sources/ChapterModels"),
        suite("StageBenchmarks"),
        suite("DataBenchmarks"),
        suite("TrainingBenchmarks"),
        // Not a benchmark: N training steps of one model, to run under `perf record`.
        .executableTarget(name: "StepProfile", dependencies: [.product(name: "Pipeline", package: toolkit), "ChapterModels"],
                          path: "Sources/StepProfile"),
    ],
    swiftLanguageModes: [.v6]
)
