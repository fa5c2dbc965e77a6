import Testing
import Foundation

/// `--overwrite` may only remove what pipeline wrote: the source, the cache and a user's own files
/// in the output folder survive byte for byte (issue 13, item 1).
@Suite struct OutputFolderSafetyTests {
    static func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "cli-outsafe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
    static let jenaSpec = "pipelines/fixtures/jena-dense.yaml"
    static var jenaCSV: Data { FileManager.default.contents(atPath: CLI.repoRoot + "/fixtures/jena-mini.csv")! }

    @Test func sourceInsideTheOutputFolderIsRefusedAndSurvives() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        try Self.jenaCSV.write(to: URL(fileURLWithPath: d + "/file.csv"))
        for verb in ["prepare", "run"] {
            let r = try CLI.run([verb, Self.jenaSpec, "--source", d + "/file.csv", "--output", d, "--overwrite", "--quiet"])
            #expect(r.code == 2, "\(verb): \(r.stderr)")
            #expect(r.stderr.contains("contains the data source"), "\(r.stderr)")
            #expect(FileManager.default.contents(atPath: d + "/file.csv") == Self.jenaCSV)
        }
        // Through a file:// URL and through a symlink to the folder: the same real paths.
        let link = d + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: d)
        defer { try? FileManager.default.removeItem(atPath: link) }
        let viaURL = try CLI.run(["prepare", Self.jenaSpec, "--source", "file://" + d + "/file.csv", "--output", link, "--overwrite"])
        #expect(viaURL.code == 2, "\(viaURL.stderr)")
        #expect(FileManager.default.contents(atPath: d + "/file.csv") == Self.jenaCSV)
        #expect(try FileManager.default.contentsOfDirectory(atPath: d) == ["file.csv"])
    }

    @Test func folderSourceEqualToOrHoldingTheOutputIsRefused() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        try Data("a review".utf8).write(to: URL(fileURLWithPath: d + "/review.txt"))
        let same = try CLI.run(["prepare", "pipelines/fixtures/imdb-lstm.yaml", "--source", d, "--output", d, "--overwrite"])
        #expect(same.code == 2 && same.stderr.contains("is the data source"), "\(same.stderr)")
        let inside = try CLI.run(["prepare", "pipelines/fixtures/imdb-lstm.yaml", "--source", d, "--output", d + "/out"])
        #expect(inside.code == 2 && inside.stderr.contains("lies inside the data source"), "\(inside.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: d) == ["review.txt"])
    }

    @Test func outputHoldingTheCacheIsRefused() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        try FileManager.default.createDirectory(atPath: d + "/cache", withIntermediateDirectories: true)
        try Data("cached".utf8).write(to: URL(fileURLWithPath: d + "/cache/x.tar.gz"))
        for out in [d, d + "/cache"] {
            let r = try CLI.run(["prepare", Self.jenaSpec, "--cache-dir", d + "/cache", "--output", out, "--overwrite"])
            #expect(r.code == 2 && r.stderr.contains("download cache"), "\(r.stderr)")
        }
        #expect(FileManager.default.contents(atPath: d + "/cache/x.tar.gz") == Data("cached".utf8))
    }

    @Test func overwriteOfAFolderPipelineDidNotWriteIsRefused() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        try Data("mine".utf8).write(to: URL(fileURLWithPath: d + "/thesis.tex"))
        let r = try CLI.run(["prepare", Self.jenaSpec, "--output", d, "--overwrite", "--quiet"])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("was not written by pipeline") && r.stderr.contains("choose another --output"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: d) == ["thesis.tex"])
    }

    /// An earlier run's folder that also holds the user's files: `--overwrite` replaces the run's
    /// files, keeps the user's byte for byte, and says so.
    @Test(arguments: ["prepare", "run"])
    func overwriteReplacesOnlyTheRunsFiles(verb: String) throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        let out = d + "/out"
        let args = [verb, Self.jenaSpec, "--output", out, "--set", "train.epochs=1", "--quiet"]
        let first = try CLI.run(args)
        #expect(first.code == 0, "\(first.stderr)")
        let manifest = try String(contentsOfFile: out + "/.pipeline-manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"meta.json\"") || manifest.contains("\"data/meta.json\""), "\(manifest)")
        // The user's files, at the top and inside a folder the run made.
        let notes = Data((0..<300).map { UInt8($0 % 251) })
        try notes.write(to: URL(fileURLWithPath: out + "/notes.bin"))
        let sub = verb == "run" ? out + "/data/mine.txt" : out + "/mine.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: sub))
        // A stale temporary of the earlier run (as a SIGKILL leaves it) goes too.
        let stale = verb == "run" ? out + "/history.json.tmp-99999-1" : out + "/meta.json.tmp-99999-1"
        try Data("half".utf8).write(to: URL(fileURLWithPath: stale))
        let metaPath = verb == "run" ? out + "/data/meta.json" : out + "/meta.json"
        try Data("stale".utf8).write(to: URL(fileURLWithPath: metaPath))

        let again = try CLI.run(args + ["--overwrite"])
        #expect(again.code == 0, "\(again.stderr)")
        #expect(FileManager.default.contents(atPath: out + "/notes.bin") == notes)
        #expect(FileManager.default.contents(atPath: sub) == Data("keep me".utf8))
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.contents(atPath: metaPath) != Data("stale".utf8))   // rewritten by the new run
        #expect(again.stderr.contains("warning: --overwrite kept") && again.stderr.contains("notes.bin"), "\(again.stderr)")
        // Without --overwrite: still refused.
        let refused = try CLI.run(args)
        #expect(refused.code == 2 && refused.stderr.contains("--overwrite"))
    }

    @Test func resumeKeepsTheManifestAndOverwriteStillWorksAfterIt() throws {
        let d = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: d) }
        let out = d + "/run"
        let first = try CLI.run(["run", Self.jenaSpec, "--output", out, "--set", "train.epochs=1", "--quiet"])
        #expect(first.code == 0, "\(first.stderr)")
        let resumed = try CLI.run(["run", Self.jenaSpec, "--resume", out, "--set", "train.epochs=2", "--quiet"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        let manifest = try String(contentsOfFile: out + "/.pipeline-manifest.json", encoding: .utf8)
        // The arrays live in the prepared-data cache; the run lists its reference, data.json, and data/'s JSON files.
        for f in ["spec.yaml", "data.json", "data/meta.json", "model.safetensors", "history.json", "report.html"] {
            #expect(manifest.contains("\"\(f)\""), "\(f) missing from \(manifest)")
        }
        let again = try CLI.run(["run", Self.jenaSpec, "--output", out, "--set", "train.epochs=1", "--overwrite", "--quiet"])
        #expect(again.code == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("warning: --overwrite kept"), "\(again.stderr)")
    }
}
