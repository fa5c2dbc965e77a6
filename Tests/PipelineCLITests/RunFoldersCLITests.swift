import Foundation
import Testing

/// Run folders numbered per spec, failed runs that leave nothing, and the prepared-data cache
/// (`data.json` instead of copied arrays, `pipeline cache list|clear`), through the binary.
@Suite("Run folders and the prepared-data cache")
struct RunFoldersCLITests {
    static let spec = CLI.repoRoot + "/pipelines/fixtures/imdb-lstm.yaml"

    /// A fresh working folder with its own cache.
    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "runfolders-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func run(_ cwd: String, _ extra: [String] = []) throws -> CLI.Output {
        try CLI.run(["run", spec, "--set", "train.epochs=1", "--cache-dir", cwd + "/cache"] + extra, cwd: cwd)
    }

    static func reference(_ run: String) throws -> [String: Any] {
        let raw = try #require(FileManager.default.contents(atPath: run + "/data.json"))
        return try #require(try JSONSerialization.jsonObject(with: raw) as? [String: Any])
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test("running a spec twice writes runs/NAME then runs/NAME-2, says so, and the second run's data is a cache hit with no copy")
    func twiceNumberedAndCached() throws {
        let cwd = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        let first = try Self.run(cwd)
        #expect(first.code == 0, "\(first.stderr)")
        #expect(Self.exists(cwd + "/runs/imdb-lstm-fixture/model.safetensors"))
        let second = try Self.run(cwd)
        #expect(second.code == 0, "\(second.stderr)")
        #expect(second.stderr.contains("runs/imdb-lstm-fixture holds an earlier run; this run writes runs/imdb-lstm-fixture-2"))
        #expect(second.stderr.contains("prepared data found in the cache"))
        #expect(second.stdout.contains("runs/imdb-lstm-fixture-2"))
        let a = try Self.reference(cwd + "/runs/imdb-lstm-fixture"), b = try Self.reference(cwd + "/runs/imdb-lstm-fixture-2")
        #expect(a["key"] as? String == b["key"] as? String)
        let entry = try #require(b["entry"] as? String)
        #expect(entry.hasPrefix(cwd + "/cache/prepared/"))
        #expect(Self.exists(entry + "/x_train.npy"))
        for run in ["imdb-lstm-fixture", "imdb-lstm-fixture-2"] {
            let data = cwd + "/runs/\(run)/data"
            #expect(!Self.exists(data + "/x_train.npy") && !Self.exists(data + "/y_train.npy"), "no arrays copied into \(run)")
            #expect(Self.exists(data + "/vocab.json"), "predict's vocabulary stays in the run folder")
        }
        // The hit read no source at all (the first run's progress names the archive it prepared).
        #expect(first.stderr.contains("prepare aclImdb-mini.tar.gz"))
        #expect(!second.stderr.contains("prepare aclImdb-mini.tar.gz"))
        // evaluate and predict still read the run (the arrays through data.json).
        let eval = try CLI.run(["evaluate", "runs/imdb-lstm-fixture-2", "--split", "test"], cwd: cwd)
        #expect(eval.code == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains("samples: 80"))
        let predict = try CLI.run(["predict", "runs/imdb-lstm-fixture-2", "--text", "a fine film"], cwd: cwd)
        #expect(predict.code == 0, "\(predict.stderr)")
        // An explicit --output keeps its strict meaning.
        let strict = try Self.run(cwd, ["--output", "runs/imdb-lstm-fixture"])
        #expect(strict.code == 2)
        #expect(strict.stderr.contains("already holds"))
    }

    @Test("a run that fails before training (bad --source) leaves no folder behind, and the rerun works")
    func failedRunLeavesNothing() throws {
        let cwd = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        let bad = try Self.run(cwd, ["--source", cwd + "/missing.tar.gz"])
        #expect(bad.code == 1)
        #expect(!Self.exists(cwd + "/runs/imdb-lstm-fixture"), "nothing left: \(bad.stderr)")
        #expect(!Self.exists(cwd + "/runs"), "the runs folder this run created is gone too")
        let again = try Self.run(cwd)
        #expect(again.code == 0, "\(again.stderr)")
        #expect(again.stdout.contains("runs/imdb-lstm-fixture\n") || again.stdout.hasSuffix("runs/imdb-lstm-fixture"))
        #expect(!again.stderr.contains("earlier run"))
        // A failed run into an existing folder of the user's: its files stay untouched.
        try FileManager.default.createDirectory(atPath: cwd + "/mine", withIntermediateDirectories: true)
        let failedInto = try Self.run(cwd, ["--source", cwd + "/missing.tar.gz", "--output", "mine/run"])
        #expect(failedInto.code == 1)
        #expect(Self.exists(cwd + "/mine") && !Self.exists(cwd + "/mine/run"))
    }

    @Test("a truncated cache entry is detected and rebuilt, never used")
    func truncatedEntryRebuilt() throws {
        let cwd = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        #expect(try Self.run(cwd, ["--output", "a"]).code == 0)
        let entry = try #require(try Self.reference(cwd + "/a")["entry"] as? String)
        let x = entry + "/x_train.npy"
        let good = try Data(contentsOf: URL(fileURLWithPath: x))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: x))
        let list = try CLI.run(["cache", "list", "--cache-dir", cwd + "/cache"], cwd: cwd)
        #expect(list.stdout.contains("damaged"))
        let evalDamaged = try CLI.run(["evaluate", "a", "--split", "test"], cwd: cwd)
        #expect(evalDamaged.code == 1)
        #expect(evalDamaged.stderr.contains("cleared from the cache or is damaged"))
        let rerun = try Self.run(cwd, ["--output", "b"])
        #expect(rerun.code == 0, "\(rerun.stderr)")
        #expect(!rerun.stderr.contains("found in the cache"), "a damaged entry is not a hit")
        #expect(try Self.reference(cwd + "/b")["entry"] as? String == entry)
        #expect(try Data(contentsOf: URL(fileURLWithPath: x)) == good, "rebuilt with the same bytes")
    }

    @Test("cache list shows entries; cache clear removes only entries pipeline wrote")
    func listAndClear() throws {
        let cwd = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        #expect(try Self.run(cwd).code == 0)
        let cache = cwd + "/cache"
        // Foreign things in and around the cache: a download-like file, a key-named folder without our entry.json, a note.
        let foreignKey = String(repeating: "ab", count: 32)
        try FileManager.default.createDirectory(atPath: cache + "/prepared/" + foreignKey, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: cache + "/prepared/\(foreignKey)/keep.txt"))
        try Data("note".utf8).write(to: URL(fileURLWithPath: cache + "/prepared/README"))
        try Data("download".utf8).write(to: URL(fileURLWithPath: cache + "/0123456789abcdef-file.tar.gz"))

        let list = try CLI.run(["cache", "list", "--cache-dir", cache, "--json"], cwd: cwd)
        #expect(list.code == 0, "\(list.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["spec"] as? String == "imdb-lstm-fixture")
        #expect(entries.first?["source"] as? String == "aclImdb-mini.tar.gz")
        #expect((entries.first?["bytes"] as? Int ?? 0) > 0)
        let key = try #require(entries.first?["key"] as? String)

        let young = try CLI.run(["cache", "clear", "--cache-dir", cache, "--older-than", "1"], cwd: cwd)
        #expect(young.code == 0)
        #expect(young.stdout.contains("removed 0 entries"))
        #expect(Self.exists(cache + "/prepared/" + key))
        let unknown = try CLI.run(["cache", "clear", "--cache-dir", cache, "ffffff"], cwd: cwd)
        #expect(unknown.code == 2)
        let clear = try CLI.run(["cache", "clear", "--cache-dir", cache, String(key.prefix(12))], cwd: cwd)
        #expect(clear.code == 0, "\(clear.stderr)")
        #expect(clear.stdout.contains("removed 1 entry"))
        #expect(!Self.exists(cache + "/prepared/" + key))
        let all = try CLI.run(["cache", "clear", "--cache-dir", cache], cwd: cwd)
        #expect(all.code == 0)
        #expect(Self.exists(cache + "/prepared/\(foreignKey)/keep.txt"))
        #expect(Self.exists(cache + "/prepared/README"))
        #expect(Self.exists(cache + "/0123456789abcdef-file.tar.gz"))

        // The run whose entry was cleared: evaluate says so; --resume prepares it anew.
        let eval = try CLI.run(["evaluate", "runs/imdb-lstm-fixture", "--split", "test"], cwd: cwd)
        #expect(eval.code == 1)
        #expect(eval.stderr.contains("cleared from the cache"))
        let resumed = try Self.run(cwd, ["--resume", "runs/imdb-lstm-fixture"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("prepare aclImdb-mini.tar.gz"))
        #expect(Self.exists(cache + "/prepared/" + key + "/x_train.npy"), "the same key, prepared anew")
        #expect(try CLI.run(["evaluate", "runs/imdb-lstm-fixture", "--split", "test"], cwd: cwd).code == 0)
    }
}
