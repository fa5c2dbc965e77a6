// swift-tools-version: 6.1
//
// Modules by concept, dependencies pointing one way:
//   PipelineCore ← PipelineIO, PipelineText, PipelineTimeseries, PipelineTraining
//                ← PipelineSpec (YAML → typed spec, on the engines' option types)
//                ← PipelineRun (assembly, run folders, reports, predict) ← pipeline (CLI)
//   PipelineCore, PipelineTraining ← PipelineKeras (`.keras` export) ← pipeline (CLI)
// `Pipeline` re-exports every library module for clients that want them all.
import PackageDescription

let package = Package(
    name: "swift-rnn-pipeline",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "PipelineCore", targets: ["PipelineCore"]),
        .library(name: "PipelineIO", targets: ["PipelineIO"]),
        .library(name: "PipelineText", targets: ["PipelineText"]),
        .library(name: "PipelineTimeseries", targets: ["PipelineTimeseries"]),
        .library(name: "PipelineTraining", targets: ["PipelineTraining"]),
        .library(name: "PipelineSpec", targets: ["PipelineSpec"]),
        .library(name: "PipelineRun", targets: ["PipelineRun"]),
        .library(name: "PipelineKeras", targets: ["PipelineKeras"]),
        .executable(name: "pipeline", targets: ["PipelineCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already in the graph through async-http-client; PipelineIO uses its SHA-256 and MD5 for download
        // checksums and cache names, PipelineTraining its SHA-256 for weight checksums.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        // Already in the graph through async-http-client; library warnings and diagnostics go through its
        // `Logger` (labels pipeline.io, pipeline.training, pipeline.run), and the CLI installs its handler.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
    ],
    targets: [
        // System libraries from Debian: zlib1g-dev, libarchive-dev, libopenblas-dev.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Open MPI (libopenmpi-dev): <mpi.h> through pkg-config's `ompi`, libmpi from the module map.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi", providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        // Debian's serial HDF5 (libhdf5-dev): the shim includes <hdf5/serial/hdf5.h> and links libhdf5_serial,
        // so neither pkg-config's `hdf5` alternative nor unsafeFlags are needed.
        .systemLibrary(name: "CHDF5", providers: [.apt(["libhdf5-dev"])]),
        // Hand SIMD kernels: AVX2/FMA via function attributes and a runtime CPU check,
        // with a portable fallback; no unsafeFlags, so the package stays usable as a dependency.
        .target(name: "CKernels"),

        .target(name: "PipelineCore"),
        .target(name: "PipelineIO", dependencies: [
            "PipelineCore", "CZlib", "CArchive",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "PipelineText", dependencies: ["PipelineCore"]),
        .target(name: "PipelineTimeseries", dependencies: ["PipelineCore"]),
        .target(name: "PipelineTraining", dependencies: ["PipelineCore", "CBLAS", "CKernels",
                                                         .product(name: "Crypto", package: "swift-crypto"),
                                                         .product(name: "Logging", package: "swift-log")]),
        // YAML → typed spec: validation and did-you-mean; the engines' modules only for their option types.
        .target(name: "PipelineSpec", dependencies: [
            "PipelineCore", "PipelineIO", "PipelineText", "PipelineTimeseries", "PipelineTraining",
            .product(name: "Yams", package: "Yams"),
        ]),
        // A spec made runnable: stages and model assembled, run folders, reports, plots, compare, predict, evaluate.
        .target(name: "PipelineRun", dependencies: [
            "PipelineCore", "PipelineIO", "PipelineText", "PipelineTimeseries", "PipelineTraining", "PipelineSpec",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),   // the prepared-data cache's keys (PreparedDataCache)
        ]),
        // A trained model as a Keras 3 `.keras` file (HDF5 weights through libhdf5, a stored ZIP).
        .target(name: "PipelineKeras", dependencies: ["PipelineCore", "PipelineTraining", "CHDF5", "CZlib"]),
        // One rank of an MPI job (`mpirun -np N pipeline run`): implements PipelineTraining's DataParallel.
        // Only the CLI links it; a plain run never initialises MPI.
        .target(name: "PipelineDistributed", dependencies: ["PipelineCore", "PipelineTraining", "CMPI"]),
        .target(name: "Pipeline", dependencies: [
            "PipelineCore", "PipelineIO", "PipelineText", "PipelineTimeseries", "PipelineTraining", "PipelineSpec", "PipelineRun",
            "PipelineKeras",
        ]),
        .executableTarget(name: "PipelineCLI", dependencies: [
            "Pipeline", "PipelineDistributed",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "PipelineCoreTests", dependencies: ["PipelineCore"]),
        .testTarget(name: "PipelineIOTests", dependencies: ["PipelineIO", .product(name: "Crypto", package: "swift-crypto"),
                                                          .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "PipelineTextTests", dependencies: ["PipelineText"], resources: [.copy("Golden")]),
        .testTarget(name: "PipelineTimeseriesTests", dependencies: ["PipelineTimeseries", "PipelineIO"], resources: [.copy("Golden")]),
        .testTarget(name: "PipelineTrainingTests", dependencies: ["PipelineTraining", .product(name: "Logging", package: "swift-log")], resources: [.copy("Golden")]),
        .testTarget(name: "PipelineSpecTests", dependencies: ["PipelineSpec"]),
        .testTarget(name: "PipelineRunTests", dependencies: ["PipelineRun", "PipelineSpec"]),
        .testTarget(name: "PipelineKerasTests", dependencies: ["PipelineKeras", "PipelineTraining"]),
        .testTarget(name: "PipelineDistributedTests", dependencies: ["PipelineDistributed", "PipelineCore"]),
        // Crypto: the fixture pins hash prepared files and weights with a SHA-256 independent of the project's own code.
        .testTarget(name: "PipelineCLITests", dependencies: ["PipelineCLI", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
