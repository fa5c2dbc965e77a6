import Testing
import PipelineCore
import PipelineText
@testable import PipelineSpec

/// `text:` the reviews' preprocessing: Keras' defaults, the engine's option types and the
/// labelled-text keys' checks.
@Suite struct TextSpecTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "maxlen 0", yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 0"),
                    expected: ["bad.yaml:3:", "text.maxlen", "must be > 0", "'0'"]),
        InvalidSpec(label: "one class name", yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 20, class_names: [pos]"),
                    expected: ["text.class_names", "at least 2 classes"]),
        InvalidSpec(label: "a class named twice", yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 20, class_names: [a, b, a]"),
                    expected: ["text.class_names", "lists a class twice"]),
        InvalidSpec(label: "column by name without a header",
                    yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 20, format: csv, header: false, text_column: review"),
                    expected: ["text.text_column", "header is false", "0-based index"]),
        InvalidSpec(label: "negative column index", yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 20, format: csv, label_column: -1"),
                    expected: ["text.label_column", "must be >= 0"]),
    ]

    @Test(arguments: cases)
    func invalidTextIsRejectedWithPlace(_ c: InvalidSpec) { expectRejected(c) }

    @Test func defaultsAreKeras() throws {
        let s = try PipelineSpec.parse(minimalText, file: "t.yaml")
        #expect(s.text?.padding == .pre && s.text?.truncating == .pre && s.text?.index == .imdb && s.text?.indexFrom == 3)
    }

    @Test func textOptionsAreTheEngineTypes() throws {
        let text = try PipelineSpec.parse(minimalText
            .replacingOccurrences(of: "maxlen: 20}", with: "maxlen: 20, standardize: strip_punctuation, html: keep, padding: post, truncating: post}"),
            file: "t.yaml")
        guard case .text(let t) = text.task else { Issue.record("not a text task"); return }
        #expect(t.standardize == Standardize.stripPunctuation && t.html == HTMLHandling.keep)
        #expect(t.padding == SequencePadding.post && t.truncating == Truncating.post)
        #expect(text.task.name == "text" && text.timeseries == nil)
    }

    /// No `maxlen` key means Keras' book value 500; `maxlen: null` means the longest review.
    @Test func maxlenAbsentOrNull() throws {
        let absent = try PipelineSpec.parse(minimalText.replacingOccurrences(of: ", maxlen: 20", with: ""), file: "t.yaml")
        #expect(absent.text?.maxlen == 500)
        let null = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: null"), file: "t.yaml")
        #expect(null.text?.maxlen == nil)
    }

    /// Columns by name or index (a quoted number is a name); the labelled reader is chosen by
    /// format, class names or a record-file extension, never for a plain aclImdb archive.
    @Test func labelledKeysAndReaderChoice() throws {
        let s = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "maxlen: 20",
            with: "maxlen: 20, format: csv, text_column: 2, label_column: '0', class_names: [b, a]"), file: "t.yaml")
        let t = try #require(s.text)
        #expect(t.labelled.textColumn == .index(2) && t.labelled.labelColumn == .name("0") && t.labelled.classNames == ["b", "a"])
        #expect(t.usesLabelledReader(location: "x.tar.gz", perSplit: false))
        let plain = try #require(try PipelineSpec.parse(minimalText, file: "t.yaml").text)
        #expect(!plain.usesLabelledReader(location: "aclImdb_v1.tar.gz", perSplit: false))
        #expect(plain.usesLabelledReader(location: "reviews.csv", perSplit: false))
        #expect(plain.usesLabelledReader(location: "aclImdb_v1.tar.gz", perSplit: true))
        // describe lists the labelled keys only when set, and reads them back.
        #expect(!(try PipelineSpec.parse(minimalText, file: "t.yaml").yaml.contains("text_column")))
        #expect(try PipelineSpec.parse(s.yaml, file: "t.yaml").text == t)
    }
}
