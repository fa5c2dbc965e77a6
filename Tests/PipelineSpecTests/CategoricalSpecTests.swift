import Testing
import Foundation
import PipelineCore
@testable import PipelineSpec

/// `train.loss` / `train.metrics` for several classes and the output check that goes with them.
@Suite struct CategoricalSpecTests {
    static func spec(dense: String, loss: String, metrics: String = "[accuracy]") -> String {
        """
        name: t
        source: {url: data.tar.gz}
        text: {num_words: 100, maxlen: 20}
        model:
          - embedding: {input_dim: 100, output_dim: 8}
          - lstm: {units: 4}
          - dense: \(dense)
        train: {epochs: 2, loss: \(loss), metrics: \(metrics)}
        """
    }

    @Test(arguments: [("{units: 4, activation: softmax}", "sparse_categorical_crossentropy"),
                      ("{units: 4}", "sparse_categorical_crossentropy_from_logits"),
                      ("{units: 2, activation: softmax}", "categorical_crossentropy"),
                      ("{units: 3, activation: linear}", "categorical_crossentropy_from_logits")])
    func categoricalLossesValidateWithAMatchingHead(dense: String, loss: String) throws {
        let s = try PipelineSpec.parse(Self.spec(dense: dense, loss: loss, metrics: "[accuracy, sparse_categorical_accuracy, categorical_accuracy]"), file: "t.yaml")
        #expect(s.train?.loss.rawValue == loss)
        #expect(s.train?.loss.isCategorical == true)
        #expect(s.train?.metrics == [.accuracy, .sparse_categorical_accuracy, .categorical_accuracy])
        // describe → parse again keeps them
        let again = try PipelineSpec.parse(s.yaml, file: "t.yaml")
        #expect(again.train == s.train)
    }

    @Test(arguments: [
        // A categorical loss needs units ≥ 2 …
        ("{units: 1, activation: sigmoid}", "sparse_categorical_crossentropy", ["bad.yaml:7:5", "model.2.dense.units", "units: 1", "one unit per class"]),
        // … and softmax (linear for _from_logits), naming the other choice.
        ("{units: 3, activation: sigmoid}", "sparse_categorical_crossentropy", ["model.2.dense.activation", "activation: sigmoid", "needs activation: softmax",
                                                                              "sparse_categorical_crossentropy_from_logits"]),
        ("{units: 3, activation: softmax}", "categorical_crossentropy_from_logits", ["model.2.dense.activation", "needs activation: linear"]),
        // A binary loss with several units names the layer and points to the categorical loss.
        ("{units: 3, activation: sigmoid}", "binary_crossentropy", ["bad.yaml:7:5", "model.2 (dense)", "units: 3", "binary_crossentropy needs (None, 1), one value per sample",
                                                                    "sparse_categorical_crossentropy"]),
        // Softmax over one unit is always 1.0.
        ("{units: 1, activation: softmax}", "binary_crossentropy", ["model.2.dense.activation", "always outputs 1.0"]),
    ])
    func mismatchedHeadsAreErrorsNamingTheLayer(dense: String, loss: String, expected: [String]) throws {
        let e = try #require(specError(Self.spec(dense: dense, loss: loss)))
        for part in expected { #expect(e.description.contains(part), "\(e.description) lacks \(part)") }
    }

    @Test func aCategoricalLossNeedsADenseLast() throws {
        let yaml = Self.spec(dense: "{units: 4, activation: softmax}", loss: "sparse_categorical_crossentropy")
            .replacingOccurrences(of: "train:", with: "  - dropout: {rate: 0.5}\ntrain:")
        let e = try #require(specError(yaml))
        #expect(e.description.contains("model.3 (dropout)") && e.description.contains("end with dense"), "\(e.description)")
    }

    @Test func unknownNamesGetDidYouMean() throws {
        let l = try #require(specError(Self.spec(dense: "{units: 4, activation: softmax}", loss: "sparse_categorical_crossentropi")))
        #expect(l.description.contains("did you mean 'sparse_categorical_crossentropy'?"), "\(l.description)")
        let m = try #require(specError(Self.spec(dense: "{units: 4, activation: softmax}", loss: "sparse_categorical_crossentropy",
                                                 metrics: "[sparse_categorical_acuracy]")))
        #expect(m.description.contains("did you mean 'sparse_categorical_accuracy'?"), "\(m.description)")
    }

    @Test func classCountFromTheDataMustMatchTheUnits() throws {
        let s = try PipelineSpec.parse(Self.spec(dense: "{units: 4, activation: softmax}", loss: "sparse_categorical_crossentropy"), file: "t.yaml")
        try s.validateClassCount(4)
        let e = #expect(throws: InputError.self) { try s.validateClassCount(5) }
        #expect(e?.description.contains("units: 4, but the data has 5 classes") == true, "\(e?.description ?? "")")
        #expect(e?.hint == "set units: 5")
        #expect(throws: InputError.self) { try s.validateClassCount(1) }
        // Binary models are not concerned.
        try PipelineSpec.parse(minimalText, file: "t.yaml").validateClassCount(7)
    }
}
