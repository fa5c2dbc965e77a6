import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineSpec

/// `source:` where the data comes from: the url and its checks, the decompression and token
/// limits (defaults, values, validation, and the spec hash of a spec that does not use them,
/// unchanged), the stall keys, the delivery and one source per split.
@Suite struct SourceSpecTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "missing source url", yaml: "source: {}\ntext: {}\n", expected: ["source.url", "is required", "--source"]),
        InvalidSpec(label: "unsupported scheme", yaml: "source: {url: 'ftp://x/y.tgz'}\ntext: {}\n", expected: ["source.url", "unsupported scheme"]),
        InvalidSpec(label: "bad checksum", yaml: "source: {url: x.tgz, sha256: abc}\ntext: {}\n", expected: ["source.sha256", "64 hexadecimal"]),
        InvalidSpec(label: "bad md5", yaml: "source: {url: x.tgz, md5: \(String(repeating: "g", count: 32))}\ntext: {}\n", expected: ["source.md5", "32 hexadecimal"]),
        InvalidSpec(label: "url beside per-split sources", yaml: "source: {url: x.csv, train: {url: a.csv}}\ntext: {}\n",
                    expected: ["source.url", "not both"]),
        InvalidSpec(label: "per-split sources for a timeseries", yaml: "source: {train: {url: a.csv}}\ntimeseries: {}\n",
                    expected: ["source", "for text pipelines"]),
        InvalidSpec(label: "too many retries", yaml: "source: {url: x.tgz, retries: 101}\ntext: {}\n", expected: ["source.retries", "must be <= 100"]),
    ]

    @Test(arguments: cases)
    func invalidSourceIsRejectedWithPlace(_ c: InvalidSpec) { expectRejected(c) }

    @Test func defaultsAreTheLibraryDefaults() throws {
        let spec = try PipelineSpec.parse(minimalText, file: "t.yaml")
        #expect(spec.source.archiveLimits == ArchiveLimits())
        #expect(spec.source.maxEntryBytes == 16 << 20 && spec.source.maxTotalBytes == 16 << 30)
        #expect(spec.source.maxCompressionRatio == 100 && spec.source.onCorruptEntry == .error)
        #expect(spec.text?.maxTokenBytes == 1024)
        // Keys at their defaults are not written back, so existing specs keep their hash.
        let yaml = try PipelineSpec.parse(minimalText, file: "t.yaml").yaml
        #expect(!yaml.contains("max_entry_bytes") && !yaml.contains("max_token_bytes") && !yaml.contains("on_corrupt_entry"))
    }

    @Test func keysAreReadAndKeptInTheResolvedSpec() throws {
        let text = minimalText
            .replacingOccurrences(of: "source: {url: data.tar.gz}",
                                  with: "source: {url: data.tar.gz, max_entry_bytes: 1000, max_total_bytes: 5000, max_compression_ratio: 7.5, on_corrupt_entry: skip}")
            .replacingOccurrences(of: "text: {num_words: 100, maxlen: 20}", with: "text: {num_words: 100, maxlen: 20, max_token_bytes: 64}")
        let spec = try PipelineSpec.parse(text, file: "t.yaml")
        #expect(spec.source.archiveLimits == ArchiveLimits(maxEntryBytes: 1000, maxTotalBytes: 5000, maxCompressionRatio: 7.5))
        #expect(spec.source.onCorruptEntry == .skip && spec.text?.maxTokenBytes == 64)
        let again = try PipelineSpec.parse(spec.yaml, file: "t.yaml")
        #expect(again.source == spec.source && again.text == spec.text)
    }

    @Test func badValuesNameTheField() {
        func error(_ source: String = "", _ text: String = "") -> String {
            let yaml = minimalText
                .replacingOccurrences(of: "source: {url: data.tar.gz}", with: "source: {url: data.tar.gz\(source)}")
                .replacingOccurrences(of: "text: {num_words: 100, maxlen: 20}", with: "text: {num_words: 100, maxlen: 20\(text)}")
            return specError(yaml).map { "\($0)" } ?? "no error"
        }
        #expect(error(", max_entry_bytes: 0").contains("source.max_entry_bytes"))
        #expect(error(", max_total_bytes: -1").contains("source.max_total_bytes"))
        #expect(error(", max_compression_ratio: 0.5").contains("source.max_compression_ratio"))
        #expect(error(", on_corrupt_entry: ignore").contains("source.on_corrupt_entry"))
        #expect(error("", ", max_token_bytes: 2").contains("text.max_token_bytes"))
        #expect(error("", ", max_token_bytes: 2000000").contains("text.max_token_bytes"))
    }

    // MARK: stall keys

    /// `source.timeout_seconds` (the stall timeout) and `source.min_bytes_per_second` (the rate
    /// floor): ranges checked at parse time; the floor is listed by `describe` only when set.
    func stallSpec(_ source: String) -> String {
        minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: http://x/y.tgz, \(source)}")
    }

    @Test func outOfRangeValuesAreSpecErrors() {
        for (source, key) in [("timeout_seconds: 1e300", "timeout_seconds"), ("timeout_seconds: 0", "timeout_seconds"),
                              ("min_bytes_per_second: -1", "min_bytes_per_second"), ("min_bytes_per_second: .nan", "min_bytes_per_second")] {
            let e = specError(stallSpec(source))
            #expect(e != nil && "\(e!)".contains(key), "\(source): \(String(describing: e))")
        }
    }

    @Test func floorIsParsedAndListedOnlyWhenSet() throws {
        let set = try PipelineSpec.parse(stallSpec("timeout_seconds: 0.5, min_bytes_per_second: 50"), file: "t.yaml")
        #expect(set.source.timeoutSeconds == 0.5 && set.source.minBytesPerSecond == 50)
        #expect(set.yaml.contains("min_bytes_per_second: 50"))
        let plain = try PipelineSpec.parse(stallSpec("retries: 1"), file: "t.yaml")
        #expect(plain.source.minBytesPerSecond == 1000 && !plain.yaml.contains("min_bytes_per_second"))
    }

    // MARK: delivery, checksums, splits

    @Test func deliveryIsTheDownloadersOwnType() throws {
        let spec = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: data.tar.gz, delivery: download_first}"),
                                          file: "t.yaml")
        #expect(spec.source.delivery == SourceOptions.Delivery.downloadFirst)
        #expect(try PipelineSpec.parse(minimalText, file: "t.yaml").source.delivery == .stream)
        let e = specError(minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: data.tar.gz, delivery: downloadFirst}"))
        #expect(e?.description.contains("must be one of stream, download_first") == true, "\(String(describing: e))")
    }

    /// Checksums are kept in lower case (what the digests print); the text default include is
    /// aclImdb's reviews without `unsup`, and a timeseries includes everything.
    @Test func checksumsAndDefaultGlobs() throws {
        let upper = String(repeating: "AB", count: 32)
        let s = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: data.tar.gz, sha256: \(upper)}"), file: "t.yaml")
        #expect(s.source.sha256 == upper.lowercased())
        #expect(s.source.include == ["aclImdb/{train,test}/{pos,neg}/*.txt"] && s.source.exclude == ["**/unsup/**"])
        let w = try PipelineSpec.parse(minimalSeries, file: "w.yaml")
        #expect(w.source.include == [] && w.source.exclude == [] && w.source.format == .auto && w.source.retries == 3)
    }

    /// `train:`/`test:` sources each take the keys given beside them unless they set their own;
    /// the fields of the spec's source are the train source's.
    @Test func perSplitSourcesInheritTheSharedKeys() throws {
        let s = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "source: {url: data.tar.gz}",
            with: "source: {retries: 7, format: csv, train: {url: a.csv, retries: 1}, test: {url: b.csv}}"), file: "t.yaml")
        let train = try #require(s.source.splits["train"]), test = try #require(s.source.splits["test"])
        #expect(train.url == "a.csv" && train.retries == 1 && train.format == .csv)
        #expect(test.url == "b.csv" && test.retries == 7 && test.format == .csv)
        #expect(s.source.url == "a.csv" && s.source.retries == 1)
        let again = try PipelineSpec.parse(s.yaml, file: "t.yaml")
        #expect(again.source.splits == s.source.splits)
    }
}
