import Foundation
import Testing
import PipelineCore
@testable import PipelineRun
import PipelineSpec

/// The manifest behind `--overwrite`: what is recorded, when, and what may be removed.
@Suite struct OutputFolderTests {
    static func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "outfolder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
    static func manifest(_ dir: String) throws -> [String] { try OutputFolder.readManifest(dir) ?? [] }

    /// The name is in the manifest before the temporary file exists, so a SIGKILL between the
    /// write and the rename leaves nothing the next `--overwrite` does not know about.
    @Test func namesAreRecordedBeforeTheRename() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d); OutputManifest.release(root: d) }
        try OutputFolder.prepare(d, overwrite: false, warn: { _ in })
        #expect(try Self.manifest(d) == [])
        try FileManager.default.createDirectory(atPath: d + "/data", withIntermediateDirectories: true)
        let f = try AtomicFile(path: d + "/data/x.npy")
        try f.write([1, 2, 3])
        #expect(try Self.manifest(d) == ["data/x.npy"])          // before commit
        #expect(!FileManager.default.fileExists(atPath: d + "/data/x.npy"))
        // "SIGKILL": the temporary stays behind under another name (simulated by a copy).
        try Data([1, 2]).write(to: URL(fileURLWithPath: d + "/data/x.npy.tmp-424242-7"))
        f.abort()
        try AtomicFile.write("a", to: d + "/data/x.npy")           // recorded once
        try AtomicFile.write("b", to: "\(d)/../\((d as NSString).lastPathComponent)/y.json")   // another spelling of the folder
        #expect(try Self.manifest(d) == ["data/x.npy", "y.json"])
        try Data("user".utf8).write(to: URL(fileURLWithPath: d + "/data/user.txt"))
        var warnings: [String] = []
        try OutputFolder.prepare(d, overwrite: true, warn: { warnings.append($0) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: d).sorted() == [".pipeline-manifest.json", "data"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: d + "/data") == ["user.txt"])
        #expect(warnings.count == 1 && warnings[0].contains("data"))
        #expect(try Self.manifest(d) == [])
    }

    /// A manifest that names files outside the folder (by `..`, an absolute path or a symlinked
    /// sub-folder) cannot make `--overwrite` reach them.
    @Test func aHostileManifestCannotReachOutside() throws {
        let d = try Self.tempDir(), outside = try Self.tempDir()
        defer { for p in [d, outside] { try? FileManager.default.removeItem(atPath: p) } }
        try Data("victim".utf8).write(to: URL(fileURLWithPath: outside + "/victim.txt"))
        try FileManager.default.createSymbolicLink(atPath: d + "/link", withDestinationPath: outside)
        let rel = "../" + (outside as NSString).lastPathComponent + "/victim.txt"
        try OutputManifest.text([rel, outside + "/victim.txt", "link/victim.txt", "./link/victim.txt"])
            .write(toFile: d + "/" + OutputManifest.fileName, atomically: true, encoding: .utf8)
        try OutputFolder.prepare(d, overwrite: true, warn: { _ in })
        OutputManifest.release(root: d)
        #expect(FileManager.default.contents(atPath: outside + "/victim.txt") == Data("victim".utf8))
    }

    /// A run that failed before writing anything leaves only the manifest: the folder counts as empty.
    @Test func aFolderHoldingOnlyTheManifestIsEmpty() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d); OutputManifest.release(root: d) }
        try OutputFolder.prepare(d, overwrite: false, warn: { _ in })
        try OutputFolder.prepare(d, overwrite: false, warn: { _ in })
        try Data("x".utf8).write(to: URL(fileURLWithPath: d + "/user.txt"))
        #expect(throws: InputError.self) { try OutputFolder.prepare(d, overwrite: false, warn: { _ in }) }
    }

    @Test func anUnreadableManifestStopsTheOverwrite() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        try "{not json".write(toFile: d + "/" + OutputManifest.fileName, atomically: true, encoding: .utf8)
        try Data("x".utf8).write(to: URL(fileURLWithPath: d + "/data.npy"))
        #expect(throws: IOFailure.self) { try OutputFolder.prepare(d, overwrite: true, warn: { _ in }) }
        #expect(FileManager.default.fileExists(atPath: d + "/data.npy"))
    }

    @Test func outputAndSourceAreComparedAsRealPaths() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        try FileManager.default.createDirectory(atPath: d + "/src", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: d + "/alias", withDestinationPath: d + "/src")
        func refused(_ out: String, _ src: String?, cache: String? = nil) -> Bool {
            (try? OutputFolder.checkApart(output: out, source: src, cacheDir: cache)) == nil
        }
        #expect(refused(d + "/alias/new/deeper", d + "/src"))          // inside, through a symlink, not yet created
        #expect(refused(d + "/src/../src", "file://" + d + "/alias"))
        #expect(refused(d, d + "/src/file.csv"))
        #expect(!refused(d + "/out", d + "/src"))
        #expect(!refused(d + "/srcx", d + "/src"))                      // a shared prefix is not containment
        #expect(!refused(d + "/out", "https://example.com/" + d + "/out"))
        #expect(refused(d + "/c", nil, cache: d + "/c"))
        #expect(refused(d, nil, cache: d + "/c/pipeline"))
        #expect(!refused(d + "/c/runs", nil, cache: d + "/c"))
    }
}
