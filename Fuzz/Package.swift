// swift-tools-version: 6.1
//
// libFuzzer targets for the toolkit's parsers of untrusted input, in their own package so the
// sanitizer flags never touch normal builds. Build and run (see README "Fuzzing"):
//
//   swift build --package-path Fuzz -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
//   Fuzz/.build/debug/FuzzCSV -max_total_time=600 Fuzz/corpus/csv
//
// Each target is a library-mode executable whose `<Target>_main` hands libFuzzer's driver a
// callback that feeds the bytes to one reader. Anything but a thrown, reported error is a finding.
import PackageDescription
import Foundation

// A path dependency's identity is its folder name, which differs between clones.
let toolkit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func fuzzer(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", "CLibFuzzer"] + products.map { .product(name: $0, package: toolkit) },
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "Fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .target(name: "CLibFuzzer"),
        fuzzer("FuzzCSV", ["PipelineIO"]),
        fuzzer("FuzzTokenizer", ["PipelineText"]),
        fuzzer("FuzzSpec", ["PipelineSpec"]),
        fuzzer("FuzzArchive", ["PipelineIO"]),
    ],
    swiftLanguageModes: [.v6]
)
