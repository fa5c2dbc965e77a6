// swift-tools-version: 6.1
//
// An example client: another package that depends on the toolkit by path and chains its stages.
// Build and run from the repository root:
//   swift run --package-path Examples review-stats fixtures/aclImdb-mini.tar.gz
import PackageDescription
import Foundation

// A path dependency's identity is its folder name, which differs between clones.
let toolkit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "Examples",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "review-stats",
            dependencies: [
                .product(name: "PipelineCore", package: toolkit),
                .product(name: "PipelineIO", package: toolkit),
                .product(name: "PipelineText", package: toolkit),
            ],
            path: "Sources/ReviewStats"
        ),
    ],
    swiftLanguageModes: [.v6]
)
