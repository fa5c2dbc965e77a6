import Foundation
import PipelineCore
import Testing
@testable import PipelineSpec

/// `source.shards`: a list (paths, URLs, mappings with checksums) or a glob of local files
/// relative to the spec's folder; the errors at the key; `--source` replacing the whole source.
@Suite struct SourceSpecShardsTests {
    static let sha = String(repeating: "ab", count: 32)

    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "shards beside url", yaml: "source: {url: x.csv, shards: [a.csv]}\ntext: {}\n", expected: ["source.shards", "not both", "url"]),
        InvalidSpec(label: "shards beside train", yaml: "source: {train: {url: a.csv}, shards: [a.csv]}\ntext: {}\n", expected: ["source.shards", "train"]),
        InvalidSpec(label: "shards beside a checksum", yaml: "source: {sha256: \(sha), shards: [a.csv]}\ntext: {}\n",
                    expected: ["source.shards", "sha256", "each shard"]),
        InvalidSpec(label: "empty list", yaml: "source: {shards: []}\ntext: {}\n", expected: ["source.shards", "at least one"]),
        InvalidSpec(label: "glob matching nothing", yaml: "source: {shards: 'no-such-folder-xyz/part-*.csv'}\ntext: {}\n",
                    expected: ["source.shards", "matches no file", "no-such-folder-xyz/part-*.csv"]),
        InvalidSpec(label: "bad shard checksum", yaml: "source: {shards: [{url: a.csv, sha256: abc}]}\ntext: {}\n",
                    expected: ["source.shards[0].sha256", "64 hexadecimal"]),
        InvalidSpec(label: "unknown key in a shard", yaml: "source: {shards: [{url: a.csv, size: 3}]}\ntext: {}\n", expected: ["size"]),
        InvalidSpec(label: "unsupported scheme", yaml: "source: {shards: [a.csv, 'ftp://h/b.csv']}\ntext: {}\n",
                    expected: ["source.shards", "shard 1", "unsupported scheme"]),
        InvalidSpec(label: "shards for a timeseries", yaml: "source: {shards: [a.csv, b.csv]}\ntimeseries: {}\n",
                    expected: ["source.shards", "text pipelines", "source.url"]),
    ]

    @Test(arguments: cases)
    func invalidShardsAreRejectedAtTheKey(_ c: InvalidSpec) { expectRejected(c) }

    @Test func listAndMappingsAreRead() throws {
        let yaml = minimalText.replacingOccurrences(of: "source: {url: data.tar.gz}", with: """
            source:
              shards: [data/p0.tar.gz, {url: 'https://example.org/p1.tar.gz', sha256: \(Self.sha)}]
              max_entry_bytes: 1000
            """)
        let spec = try PipelineSpec.parse(yaml, file: "t.yaml")
        #expect(spec.source.shards == [.init(url: "data/p0.tar.gz"), .init(url: "https://example.org/p1.tar.gz", sha256: Self.sha)])
        #expect(spec.source.url == "data/p0.tar.gz")        // the first shard's: format detection, output checks
        #expect(spec.source.maxEntryBytes == 1000)          // the other keys apply to every shard
        // The resolved spec lists the shards (so the cache key changes with them) and parses back the same.
        let again = try PipelineSpec.parse(spec.yaml, file: "t.yaml")
        #expect(again.source == spec.source)
        #expect(spec.yaml.contains("shards:") && !spec.yaml.contains("url: data/p0.tar.gz,"))
    }

    @Test func globIsRelativeToTheSpecFolderAndSortedByName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shards-glob-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["part-10.csv", "part-02.csv", "part-01.csv", "other.csv"] {
            FileManager.default.createFile(atPath: dir + "/data/" + name, contents: Data("1,a\n".utf8))
        }
        try FileManager.default.createDirectory(atPath: dir + "/data/part-99.csv", withIntermediateDirectories: true)   // a folder: not a shard
        let yaml = minimalText.replacingOccurrences(of: "source: {url: data.tar.gz}", with: "source: {shards: 'data/part-*.csv'}")
        let spec = try PipelineSpec.parse(yaml, file: dir + "/spec.yaml")
        #expect(spec.source.shards.map(\.url) == ["data/part-01.csv", "data/part-02.csv", "data/part-10.csv"])
    }

    @Test func sourceOptionReplacesTheWholeSource() throws {
        let yaml = minimalText.replacingOccurrences(of: "source: {url: data.tar.gz}", with: "source: {shards: [a.tar.gz, b.tar.gz]}")
        var o = PipelineSpec.Overrides()
        o.source = "other.tar.gz"
        let spec = try PipelineSpec.parse(yaml, file: "t.yaml", overrides: o)
        #expect(spec.source.shards.isEmpty && spec.source.url == "other.tar.gz")
    }
}
