import Testing
import Foundation
import PipelineCore
@testable import PipelineSpec

/// Writing a resolved spec back as YAML (`pipeline describe`): every default filled in, strings
/// quoted when YAML would read them as something else, and parse → yaml → parse is the same
/// spec. Also the UTF-8 check of a spec file's bytes.
@Suite struct SpecYAMLTests {
    @Test func describeFillsEveryDefault() throws {
        let y = try PipelineSpec.parse(minimalText, file: "t.yaml").yaml
        for key in ["batch_size: 128", "learning_rate: 0.001", "rho: 0.9", "padding: pre", "standardize: lower_and_strip_punctuation",
                    "return_sequences: false", "unit_forget_bias: true", "cache_dir:", "validation_split: 0.2"] {
            #expect(y.contains(key), "describe output lacks \(key)")
        }
    }

    /// A spec whose strings look like YAML nulls, booleans, numbers, comments or mappings, and
    /// whose options are all away from their defaults, reads back as the same spec.
    @Test func describeRoundTripsTrickyValues() throws {
        let yaml = """
        name: "null"
        seed: 7
        source: {url: "data #1.csv", cache_dir: "yes", retries: 0, timeout_seconds: 2.5, include: ["a: b", "-x"]}
        timeseries:
          target: "123"
          columns: ["123", "true", "p: q", "~"]
          lookback: 5
          step: 1
          delay: 0
          missing: fill_previous
          delimiter: ";"
          ranges: {train: [0, 10], validation: [11, 20], test: [21, null]}
        model:
          - conv1d: {filters: 2, kernel_size: 2, strides: 1, padding: same, activation: relu}
          - max_pooling1d: {pool_size: 2}
          - bidirectional: {layer: {simple_rnn: {units: 3, go_backwards: true, dropout: 0.25}}, merge_mode: mul}
          - dropout: {rate: 0.5}
          - dense: {units: 1}
        train:
          epochs: 3
          batch_size: 4
          optimizer: {name: sgd, learning_rate: 0.1, momentum: 0.5, clipnorm: 2}
          loss: mse
          metrics: [mae]
          steps_per_epoch: 9
          early_stopping: {monitor: val_mae, patience: 0, restore_best_weights: true}
          checkpoint: none
        output: {dir: "out: here"}
        """
        let spec = try PipelineSpec.parse(yaml, file: "w.yaml")
        #expect(spec.name == "null" && spec.timeseries?.target == "123" && spec.timeseries?.columns == ["123", "true", "p: q", "~"])
        let described = spec.yaml
        let again = try PipelineSpec.parse(described, file: "w.yaml")
        #expect(again == spec, "\(described)")
        #expect(again.yaml == described)
    }

    @Test func quotingRules() {
        for s in ["", "null", "Null", "~", "true", "no", "12", "1e3", "a: b", "x #y", "-a", "[a", "'q", "*r"] {
            #expect(Y.needsQuotes(s), "'\(s)' must be quoted")
        }
        for s in ["T (degC)", "runs/a", "a:b", "lstm", "0.5x"] {
            #expect(!Y.needsQuotes(s), "'\(s)' need not be quoted")
        }
        #expect(Y.format1(3) == "3.0")
    }

    /// A byte that is not UTF-8 stops the load at its line and column, naming the byte and offset,
    /// instead of becoming U+FFFD inside a value.
    @Test func invalidUTF8IsNamed() throws {
        let bytes = Array("name: a\nsource: {url: x".utf8) + [0xE9] + Array(".csv}\ntext: {}\n".utf8)
        let e = #expect(throws: InputError.self) { try SpecBytes.text(bytes, file: "latin1.yaml") }
        let d = e?.description ?? ""
        #expect(d.contains("latin1.yaml:2:16") && d.contains("byte 0xE9") && d.contains("byte offset 23") && d.contains("UTF-8"), "\(d)")
        #expect(try SpecBytes.text(Array("é: ü\n".utf8), file: "ok.yaml") == "é: ü\n")
        let path = NSTemporaryDirectory() + "spec-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError.self) { try PipelineSpec.load(path: path) }
    }
}
