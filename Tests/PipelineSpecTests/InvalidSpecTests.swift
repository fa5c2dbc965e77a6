import Testing
import PipelineCore
@testable import PipelineSpec

/// Each case: a broken spec, and what the error must say (location, field, value, hint).
@Suite struct InvalidSpecTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let yaml: String
        let expected: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "misspelt top-level key", yaml: minimalText + "\ntrian: {epochs: 3}\n",
             expected: ["bad.yaml:9:1", "unknown key", "'trian'", "did you mean 'train'?"]),
        Case(label: "misspelt nested key", yaml: minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epocs: 2}"),
             expected: ["bad.yaml:8:9", "train.epocs", "did you mean 'epochs'?"]),
        Case(label: "wrong type", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: ten"),
             expected: ["bad.yaml:8:17", "train.epochs", "must be an integer", "'ten'"]),
        Case(label: "zero batch size", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, batch_size: 0"),
             expected: ["train.batch_size", "must be > 0", "'0'"]),
        Case(label: "negative epochs", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: -3"),
             expected: ["train.epochs", "must be > 0", "'-3'"]),
        Case(label: "maxlen 0", yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 0"),
             expected: ["bad.yaml:3:", "text.maxlen", "must be > 0", "'0'"]),
        Case(label: "validation split 1", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, validation_split: 1.0"),
             expected: ["train.validation_split", "must be < 1.0", "'1.0'"]),
        Case(label: "validation split 0", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, validation_split: 0"),
             expected: ["train.validation_split", "must be > 0.0"]),
        Case(label: "unknown enum value", yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 20, padding: middle"),
             expected: ["text.padding", "must be one of pre, post", "'middle'"]),
        Case(label: "misspelt enum value", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, optimizer: {name: rmsprob}"),
             expected: ["train.optimizer.name", "did you mean 'rmsprop'?"]),
        Case(label: "unknown layer", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstn: {units: 4}"),
             expected: ["bad.yaml:6:5", "unknown layer type", "'lstn'", "did you mean 'lstm'?"]),
        Case(label: "layer option misspelt", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4, return_sequence: true}"),
             expected: ["model.1.lstm.return_sequence", "did you mean 'return_sequences'?"]),
        Case(label: "shapes do not chain", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4}\n  - gru: {units: 4}"),
             expected: ["bad.yaml:7:5", "model.2 (gru)", "model.1 (lstm)", "(None, 4)", "return_sequences"]),
        Case(label: "model output not one unit", yaml: minimalText.replacingOccurrences(of: "{units: 1, activation: sigmoid}", with: "{units: 3}"),
             expected: ["model outputs (None, 3)", "needs (None, 1)"]),
        Case(label: "embedding smaller than vocabulary", yaml: minimalText.replacingOccurrences(of: "input_dim: 100", with: "input_dim: 50"),
             expected: ["model.0.embedding.input_dim", "smaller than text.num_words 100"]),
        Case(label: "no task section", yaml: "source: {url: x.csv}\n", expected: ["bad.yaml", "text: or a timeseries: section"]),
        Case(label: "missing source url", yaml: "source: {}\ntext: {}\n", expected: ["source.url", "is required", "--source"]),
        Case(label: "unsupported scheme", yaml: "source: {url: 'ftp://x/y.tgz'}\ntext: {}\n", expected: ["source.url", "unsupported scheme"]),
        Case(label: "dropout rate out of range", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4, recurrent_dropout: 1.5}"),
             expected: ["model.1.lstm.recurrent_dropout", "must be < 1.0", "'1.5'"]),
        Case(label: "timeseries step longer than lookback", yaml: "source: {url: x.csv}\ntimeseries: {lookback: 4, step: 6}\n",
             expected: ["bad.yaml:2:", "timeseries.step", "must be <= lookback (4)"]),
        Case(label: "overlapping ranges", yaml: "source: {url: x.csv}\ntimeseries: {ranges: {train: [0, 100], validation: [50, 200]}}\n",
             expected: ["timeseries.ranges.validation", "must start after the train range ends (100)"]),
        Case(label: "bad checksum", yaml: "source: {url: x.tgz, sha256: abc}\ntext: {}\n", expected: ["source.sha256", "64 hexadecimal"]),
        Case(label: "not YAML", yaml: "source: {url: [\n", expected: ["bad.yaml", "not valid YAML"]),
    ]

    @Test(arguments: cases)
    func invalidSpecIsRejectedWithPlace(_ c: Case) {
        guard let e = specError(c.yaml) else { Issue.record("\(c.label): accepted"); return }
        let text = e.description
        for piece in c.expected {
            #expect(text.contains(piece), "\(c.label): '\(text)' lacks '\(piece)'")
        }
    }

    @Test func didYouMean() {
        #expect(DidYouMean.suggest("epocs", in: ["epochs", "batch_size"]) == "epochs")
        #expect(DidYouMean.suggest("zzzzzz", in: ["epochs", "batch_size"]) == nil)
    }

    @Test func malformedSetFlag() {
        #expect(throws: InputError.self) { try SpecOverride(parsing: "train.epochs") }
        #expect(throws: InputError.self) { try SpecOverride(parsing: "train..epochs=1") }
    }
}
