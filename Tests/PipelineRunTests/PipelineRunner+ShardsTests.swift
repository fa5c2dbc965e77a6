import Testing
import Foundation
import PipelineCore
import PipelineText
@testable import PipelineRun
import PipelineSpec

/// Sharded preparation in one process (`source.shards`): the vocabulary equals that of one
/// prepare over the same texts, the manifest lists every shard file with its rows, bytes and
/// SHA-256, ``EncodedDataset`` reads the concatenation, and a damaged shard file is named.
@Suite struct PipelineRunnerShardsTests {
    /// A folder with `fixtures/news4-train.csv` split into 3 CSV shards (120, 160, 200 rows),
    /// the whole file beside them, and two specs: `sharded.yaml` and `one.yaml`.
    static func csvShards(maxlen: String = "40") throws -> String {
        let dir = scratch("shards-csv")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: repoRoot + "/fixtures/news4-train.csv", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 480)
        for (k, range) in [0..<120, 120..<280, 280..<480].enumerated() {
            try (lines[range].joined(separator: "\n") + "\n").write(toFile: dir + "/part-\(k).csv", atomically: true, encoding: .utf8)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/all.csv", atomically: true, encoding: .utf8)
        let text = "text: {format: csv, header: false, label_column: 0, text_column: 1, num_words: 50, maxlen: \(maxlen)}\n"
        try "name: sharded\nseed: 7\nsource: {shards: 'part-*.csv'}\n\(text)".write(toFile: dir + "/sharded.yaml", atomically: true, encoding: .utf8)
        try "name: one\nseed: 7\nsource: {url: all.csv}\n\(text)".write(toFile: dir + "/one.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    static func prepare(_ spec: String, into out: String) async throws -> RunResult {
        let s = try PipelineSpec.load(path: spec, overrides: .init(output: out))
        return try await PipelineRunner(spec: s, progress: .quiet).prepare()
    }

    /// Rows as (ids, label), sorted: the same multiset whatever the order.
    static func rowSet(_ d: EncodedDataset) -> [[Int32]] {
        (0..<d.count).map { Array(d.row($0)) + [d.y[$0]] }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func csvShardsGiveTheVocabularyAndRowsOfOnePrepare() async throws {
        let dir = try Self.csvShards()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try await Self.prepare(dir + "/sharded.yaml", into: dir + "/out-sharded")
        _ = try await Self.prepare(dir + "/one.yaml", into: dir + "/out-one")
        // num_words 50 of ~60 words: the cut falls inside the ranking, so ties and order matter.
        #expect(FileManager.default.contents(atPath: dir + "/out-sharded/vocab.json") == FileManager.default.contents(atPath: dir + "/out-one/vocab.json"))
        let sharded = try EncodedDataset.load(directory: dir + "/out-sharded", split: .train)
        let one = try EncodedDataset.load(directory: dir + "/out-one", split: .train)
        #expect(sharded.count == 480 && sharded.maxlen == 40)
        #expect(Self.rowSet(sharded) == Self.rowSet(one))
        #expect(try !EncodedDataset.hasSplit(directory: dir + "/out-sharded", split: .test))

        // The manifest: shard order, rows, sizes and digests of the files; the concatenation is
        // the shards' rows in that order.
        let manifest = try #require(try ShardManifest.read(directory: dir + "/out-sharded"))
        let files = try #require(manifest.splits[.train])
        #expect(manifest.shardCount == 3 && manifest.splits[.test] == nil)
        #expect(files.map(\.shard) == [0, 1, 2] && files.map(\.rows) == [120, 160, 200])
        #expect(files.map(\.x) == ["x_train-0000.npy", "x_train-0001.npy", "x_train-0002.npy"])
        var concatenated: [Int32] = []
        for f in files {
            let path = dir + "/out-sharded/" + f.x
            #expect(try PipelineRunner.sha256(ofFile: path) == f.xSHA256)
            #expect(try PipelineRunner.sha256(ofFile: dir + "/out-sharded/" + f.y) == f.ySHA256)
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == f.xBytes)
            concatenated += try EncodedDataset.load(x: path, y: dir + "/out-sharded/" + f.y).x
        }
        #expect(concatenated == sharded.x)
        // meta.json: totals of the concatenation; the result lists every file.
        let meta = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/out-sharded/meta.json"))))
        #expect(meta["splits"]?["train"]?["count"]?.int == 480 && meta["shards"]?.int == 3)
        let listed = try #require(r.json["files"]?.array).compactMap { $0.string }.map { ($0 as NSString).lastPathComponent }
        #expect(Set(listed) == ["x_train-0000.npy", "y_train-0000.npy", "x_train-0001.npy", "y_train-0001.npy",
                                "x_train-0002.npy", "y_train-0002.npy", "vocab.json", "meta.json", "shards.json"])
    }

    /// `maxlen: null`: every shard pads to the longest row over all shards, as one prepare does.
    @Test func unsetMaxlenIsTheLongestRowOfAllShards() async throws {
        let dir = try Self.csvShards(maxlen: "null")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await Self.prepare(dir + "/sharded.yaml", into: dir + "/out-sharded")
        _ = try await Self.prepare(dir + "/one.yaml", into: dir + "/out-one")
        let sharded = try EncodedDataset.load(directory: dir + "/out-sharded", split: .train)
        let one = try EncodedDataset.load(directory: dir + "/out-one", split: .train)
        #expect(sharded.maxlen == one.maxlen && sharded.maxlen > 0)
        #expect(Self.rowSet(sharded) == Self.rowSet(one))
    }

    /// The aclImdb fixture's members in 3 tar.gz archives: the vocabulary and both splits' rows
    /// of the single-archive prepare.
    @Test func archiveShardsGiveTheVocabularyAndRowsOfTheWholeArchive() async throws {
        let dir = scratch("shards-tar")
        try FileManager.default.createDirectory(atPath: dir + "/x", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func tar(_ args: [String], cwd: String) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["tar"] + args
            p.currentDirectoryURL = URL(fileURLWithPath: cwd)
            try p.run(); p.waitUntilExit()
            #expect(p.terminationStatus == 0, "tar \(args)")
        }
        try tar(["xzf", repoRoot + "/fixtures/aclImdb-mini.tar.gz"], cwd: dir + "/x")
        let members = (FileManager.default.enumerator(atPath: dir + "/x")?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".txt") }.sorted()
        #expect(members.count >= 400)   // train and test, and unsup (excluded by the default source.exclude)
        // Interleaved (not by folder), so each shard holds both splits and labels.
        for k in 0..<3 {
            let list = dir + "/list-\(k)"
            try members.enumerated().filter { $0.offset % 3 == k }.map(\.element).joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
            try tar(["czf", dir + "/part-\(k).tar.gz", "-T", list], cwd: dir + "/x")
        }
        try "name: s\nseed: 1337\nsource: {shards: [part-0.tar.gz, part-1.tar.gz, part-2.tar.gz]}\ntext: {num_words: 40, maxlen: 48}\n"
            .write(toFile: dir + "/sharded.yaml", atomically: true, encoding: .utf8)
        try "name: o\nseed: 1337\nsource: {url: \(repoRoot)/fixtures/aclImdb-mini.tar.gz}\ntext: {num_words: 40, maxlen: 48}\n"
            .write(toFile: dir + "/one.yaml", atomically: true, encoding: .utf8)
        _ = try await Self.prepare(dir + "/sharded.yaml", into: dir + "/out-sharded")
        _ = try await Self.prepare(dir + "/one.yaml", into: dir + "/out-one")
        #expect(FileManager.default.contents(atPath: dir + "/out-sharded/vocab.json") == FileManager.default.contents(atPath: dir + "/out-one/vocab.json"))
        for split in [ReviewSplit.train, .test] {
            let sharded = try EncodedDataset.load(directory: dir + "/out-sharded", split: split)
            let one = try EncodedDataset.load(directory: dir + "/out-one", split: split)
            #expect(sharded.count == one.count && sharded.count > 0)
            #expect(Self.rowSet(sharded) == Self.rowSet(one))
        }
    }

    /// A shard file that is cut short, missing, or replaced by one with other rows fails the
    /// load with an ``IOFailure`` naming it.
    @Test func damagedShardFileIsNamed() async throws {
        let dir = try Self.csvShards()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out"
        _ = try await Self.prepare(dir + "/sharded.yaml", into: out)
        let victim = out + "/x_train-0001.npy"
        let original = try Data(contentsOf: URL(fileURLWithPath: victim))
        try original.prefix(original.count - 100).write(to: URL(fileURLWithPath: victim))
        do {
            _ = try EncodedDataset.load(directory: out, split: .train)
            Issue.record("a truncated shard file was read")
        } catch let e as IOFailure {
            #expect(e.path == victim && e.message.contains("truncated"))
        }
        try FileManager.default.removeItem(atPath: victim)
        do {
            _ = try EncodedDataset.load(directory: out, split: .train)
            Issue.record("a missing shard file was not noticed")
        } catch let e as IOFailure {
            #expect(e.path == victim && e.message.contains("missing"))
        }
        // Same size, other rows: shard 0's y (120 rows) where shard 1's (160) belongs is refused by size;
        // a y file of the right size but the wrong row count cannot exist (the header says it).
        try original.write(to: URL(fileURLWithPath: victim))
        #expect(try EncodedDataset.load(directory: out, split: .train).count == 480)
    }
}
