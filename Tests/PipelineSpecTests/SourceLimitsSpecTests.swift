import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineSpec

/// The decompression and token limits as spec keys: defaults, values, validation, and the spec
/// hash of a spec that does not use them (unchanged).
@Suite struct SourceLimitsSpecTests {
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
}
