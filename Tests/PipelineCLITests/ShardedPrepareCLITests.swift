import Testing
import Foundation

/// `source.shards` through the CLI: `pipeline run` trains on sharded data (the manifest's
/// concatenation), and the spec errors exit 2 naming the key.
@Suite struct ShardedPrepareCLITests {
    /// A fresh folder holding `fixtures/news4-train.csv` in 3 CSV shards.
    static func csvShards() throws -> String {
        let dir = NSTemporaryDirectory() + "cli-shards-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: CLI.repoRoot + "/fixtures/news4-train.csv", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
        for (k, range) in [0..<150, 150..<300, 300..<lines.count].enumerated() {
            try (lines[range].joined(separator: "\n") + "\n").write(toFile: dir + "/part-\(k).csv", atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func runTrainsOnShardedData() throws {
        let dir = try Self.csvShards()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        name: news-shards
        seed: 3
        source: {shards: "part-*.csv"}
        text: {format: csv, header: false, label_column: 0, text_column: 1, num_words: 100, maxlen: 20}
        model:
          - embedding: {input_dim: 100, output_dim: 8}
          - lstm: {units: 4}
          - dense: {units: 4, activation: softmax}
        train: {epochs: 1, batch_size: 64, loss: sparse_categorical_crossentropy, metrics: [acc], validation_split: 0.2}
        """.write(toFile: dir + "/spec.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", dir + "/spec.yaml", "--output", dir + "/run", "--cache-dir", dir + "/cache", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(json?["val_acc"] != nil || r.stdout.contains("val_acc"), "\(r.stdout)")
        // The cache entry holds the shard files and the manifest; the run folder only the small JSON files.
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir + "/cache/prepared").filter { !$0.hasPrefix(".") }
        let entry = dir + "/cache/prepared/" + (entries.first ?? "")
        #expect(FileManager.default.fileExists(atPath: entry + "/shards.json") && FileManager.default.fileExists(atPath: entry + "/x_train-0002.npy"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/run/data/shards.json"))
    }

    @Test func timeseriesShardsAndEmptyGlobExitTwo() throws {
        let series = try CLI.temp("series.yaml", "source: {shards: [a.csv, b.csv]}\ntimeseries: {lookback: 12, step: 2, delay: 3}\n")
        let a = try CLI.run(["validate", series])
        #expect(a.code == 2 && a.stderr.contains("source.shards") && a.stderr.contains("text pipelines"), "\(a.stderr)")
        let glob = try CLI.temp("glob.yaml", "source: {shards: 'nowhere-\(UUID().uuidString)/part-*.csv'}\ntext: {format: csv}\n")
        let b = try CLI.run(["prepare", glob, "--output", NSTemporaryDirectory() + "unused-\(UUID().uuidString)"])
        #expect(b.code == 2 && b.stderr.contains("source.shards") && b.stderr.contains("matches no file"), "\(b.stderr)")
    }
}
