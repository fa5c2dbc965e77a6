import Testing
import Foundation
import PipelineCore
@testable import PipelineRun
import PipelineSpec

/// HTTP sources (download, cache, checksums, resume, retries) are tested against a real local
/// server in PipelineIOTests; here, the opener's choice of reader for a spec's source.
@Suite struct SourceOpenerTests {
    @Test func jenaZipSourceReadsTheSelectedEntry() async throws {
        let dir = NSTemporaryDirectory() + "zip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repoRoot + "/fixtures/jena-mini.csv", toPath: dir + "/jena_climate_2009_2016.csv")
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        zip.arguments = ["python3", "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]+'/j.csv.zip','w',zipfile.ZIP_DEFLATED); z.write(sys.argv[1]+'/jena_climate_2009_2016.csv','jena_climate_2009_2016.csv'); z.close()", dir]
        try zip.run(); zip.waitUntilExit()
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/jena.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "timeseries.ranges=null"),
                                                                 try SpecOverride(parsing: "timeseries.fractions={train: 0.5, validation: 0.25}"),
                                                                 try SpecOverride(parsing: "timeseries.lookback=120"),
                                                                 try SpecOverride(parsing: "timeseries.delay=24")],
                                                          source: dir + "/j.csv.zip", output: dir + "/out"))
        let r = try await PipelineRunner(spec: spec, progress: .quiet).prepare()
        #expect(r.json["rows"] == .int(4000))
        #expect(r.json["features"] == .int(14))
    }

    func spec(_ source: String, file: String = "/specs/p.yaml") throws -> PipelineSpec {
        try PipelineSpec.parse("source: \(source)\ntimeseries: {}\n", file: file)
    }

    /// A relative url is relative to the spec's folder; a URL is remote and shown whole, a file by its name.
    @Test func locationAndDisplayName() throws {
        let local = SourceOpener(spec: try spec("{url: ../data/w.csv}"), progress: .quiet)
        #expect(local.location == "/data/w.csv" && !local.isRemote && local.displayName == "w.csv")
        let remote = SourceOpener(spec: try spec("{url: 'https://example.com/a/jena.zip'}"), progress: .quiet)
        #expect(remote.isRemote && remote.displayName == "https://example.com/a/jena.zip")
    }

    @Test func aMissingFileIsNamedWithAHint() throws {
        let path = NSTemporaryDirectory() + "absent-\(UUID().uuidString).csv"
        let opener = SourceOpener(spec: try spec("{url: '\(path)'}"), progress: .quiet)
        let e = try #require(throws: IOFailure.self) { _ = try opener.bytes() }
        #expect(e.description.contains(path) && e.description.contains("--source"))
    }

    /// A local file is checked against the spec's checksum: the wrong one fails the read.
    @Test func localChecksumsAreVerified() async throws {
        let dir = NSTemporaryDirectory() + "sum-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: dir + "/x.csv", atomically: true, encoding: .utf8)
        let right = "a9ae9b9bb9b2a6aab1b2bdd7f4b4d1f0e5fe5ae8e5f0b5e0d1fbd8ec3b1d5d10"   // not the digest: any other 64 hex digits
        let opener = SourceOpener(spec: try spec("{url: x.csv, sha256: \(right)}", file: dir + "/p.yaml"), progress: .quiet)
        await #expect(throws: (any Error).self) { for try await _ in try opener.fileContent() {} }
        let plain = SourceOpener(spec: try spec("{url: x.csv}", file: dir + "/p.yaml"), progress: .quiet)
        var bytes: [UInt8] = []
        for try await c in try plain.fileContent() { bytes += c }
        #expect(bytes == Array("a,b\n1,2\n".utf8))
    }

    /// A `.gz` file is decompressed on the way (format auto).
    @Test func gzipFilesAreDecompressed() async throws {
        let dir = NSTemporaryDirectory() + "gz-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: dir + "/x.csv", atomically: true, encoding: .utf8)
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gz.arguments = ["gzip", "-k", dir + "/x.csv"]
        try gz.run(); gz.waitUntilExit()
        let opener = SourceOpener(spec: try spec("{url: x.csv.gz}", file: dir + "/p.yaml"), progress: .quiet)
        var bytes: [UInt8] = []
        for try await c in try opener.fileContent() { bytes += c }
        #expect(bytes == Array("a,b\n1,2\n".utf8))
    }

    @Test func skippedMembersAreWarnedOneLineEach() {
        #expect(SourceOpener.skipWarnings([], source: "a.tgz").isEmpty)
        #expect(SourceOpener.skipWarnings(["x/1.txt", "x/2.txt"], source: "a.tgz") == [
            "warning: a.tgz: skipped 2 damaged members (source.on_corrupt_entry: skip); their data is missing from the output",
            "warning:   x/1.txt", "warning:   x/2.txt"])
    }
}

