import Testing
import Foundation
import PipelineCore
@testable import PipelineSpec

/// A relative `source.url` is relative to the spec's folder; a relative `--source` to the
/// current directory; URLs pass unchanged, `file://` becomes its path.
@Suite struct PathResolutionTests {
    @Test func specRelativePaths() {
        #expect(PathResolution.resolve("../../fixtures/a.tar.gz", relativeTo: "/repo/pipelines/fixtures/x.yaml") == "/repo/fixtures/a.tar.gz")
        #expect(PathResolution.resolve("data.csv", relativeTo: "/specs/w.yaml") == "/specs/data.csv")
        #expect(PathResolution.resolve("/abs/data.csv", relativeTo: "/specs/w.yaml") == "/abs/data.csv")
        #expect(PathResolution.resolve("https://example.com/a.zip", relativeTo: "/specs/w.yaml") == "https://example.com/a.zip")
        #expect(PathResolution.resolve("file:///data/a.csv", relativeTo: "/specs/w.yaml") == "/data/a.csv")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(PathResolution.resolve("data.csv", relativeTo: "specs/w.yaml") == ((cwd + "/specs/data.csv") as NSString).standardizingPath)
    }

    @Test func flagPathsAreRelativeToTheCurrentDirectory() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(PathResolution.absoluteIfLocal("a/b.csv") == cwd + "/a/b.csv")
        #expect(PathResolution.absoluteIfLocal("/a/b.csv") == "/a/b.csv")
        #expect(PathResolution.absoluteIfLocal("http://x/y") == "http://x/y")
        #expect(!PathResolution.absoluteIfLocal("~/x.csv").hasPrefix("~"))
        #expect(PathResolution.isURL("s3://b/k") && !PathResolution.isURL("a:b"))
    }
}
