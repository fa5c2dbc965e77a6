import Testing
import PipelineCore
import PipelineTraining
@testable import PipelineRun
import PipelineSpec

/// A spec's `model:` and `train:` as a built, compiled `Sequential`: the layers with their
/// options, Keras' names, the spec's seed, the optimizer, loss and metrics.
@Suite struct ModelBuilderTests {
    static let yaml = """
    name: built
    seed: 42
    source: {url: data.tar.gz}
    text: {num_words: 50, maxlen: 10}
    model:
      - embedding: {output_dim: 4}
      - bidirectional: {layer: {lstm: {units: 3, return_sequences: true, unit_forget_bias: false}}, merge_mode: sum}
      - gru: {units: 2, reset_after: false, go_backwards: true, dropout: 0.25, activation: relu}
      - dropout: {rate: 0.5}
      - dense: {units: 1, activation: sigmoid}
    train: {epochs: 1, optimizer: {name: sgd, learning_rate: 0.05, momentum: 0.5, clipnorm: 1.5}}
    """

    @Test func layersCarryTheSpecsOptions() throws {
        let spec = try PipelineSpec.parse(Self.yaml, file: "b.yaml")
        let model = try ModelBuilder.build(spec: spec, inputShape: spec.inputShape(), vocabularySize: 60)
        #expect(model.layers.map(\.kind) == ["Embedding", "Bidirectional", "GRU", "Dropout", "Dense"])
        #expect(model.layers.map(\.name) == ["embedding", "bidirectional", "gru", "dropout", "dense"])
        #expect(model.outputShapes == [[10, 4], [10, 3], [2], [2], [1]])
        #expect(model.name == "built")
        // input_dim left out: the vocabulary size.
        #expect(model.layers[0].config["input_dim"] == .int(60) && model.layers[0].config["output_dim"] == .int(4))
        let bi = model.layers[1].config
        #expect(bi["merge_mode"] == .string("sum") && bi["units"] == .int(3) && bi["unit_forget_bias"] == .bool(false) && bi["return_sequences"] == .bool(true))
        let gru = model.layers[2].config
        #expect(gru["reset_after"] == .bool(false) && gru["go_backwards"] == .bool(true) && gru["dropout"] == .double(0.25) && gru["activation"] == .string("relu"))
        #expect(model.layers[3].config["rate"] == .double(0.5) && model.layers[4].config["activation"] == .string("sigmoid"))
    }

    @Test func compileOptionsFollowTheTrainSection() throws {
        let spec = try PipelineSpec.parse(Self.yaml, file: "b.yaml")
        let model = try ModelBuilder.build(spec: spec, inputShape: spec.inputShape(), vocabularySize: 60)
        let opt = try #require(model.optimizer)
        #expect(opt.kerasName == "sgd" && opt.learningRate == 0.05)
        #expect(opt.config["momentum"] == .double(0.5) && opt.config["clipnorm"] == .double(1.5))
        #expect(model.loss == .binaryCrossentropy(fromLogits: false))
        #expect(model.metrics.map(\.name) == ["acc"] && model.metrics.map(\.kind) == [.binaryAccuracy])

        // acc under a sparse categorical loss is sparse categorical accuracy, as Keras resolves it.
        let multi = try PipelineSpec.parse(Self.yaml
            .replacingOccurrences(of: "{units: 1, activation: sigmoid}", with: "{units: 4}")
            .replacingOccurrences(of: "train: {epochs: 1,", with: "train: {epochs: 1, loss: sparse_categorical_crossentropy_from_logits, metrics: [acc, categorical_accuracy],"),
            file: "b.yaml")
        let m = try ModelBuilder.build(spec: multi, inputShape: multi.inputShape(), vocabularySize: 60)
        #expect(m.loss == .sparseCategoricalCrossentropy(fromLogits: true))
        #expect(m.metrics.map(\.kind) == [.sparseCategoricalAccuracy, .categoricalAccuracy])
        let rms = ModelBuilder.optimizer(try #require(try PipelineSpec.parse(Self.minimalRun, file: "r.yaml").train).optimizer)
        #expect(rms.kerasName == "rmsprop" && rms.config["rho"] == .double(0.9) && rms.config["centered"] == .bool(false))
    }

    /// Weights come from the spec's seed: the same seed builds the same weights, another seed others.
    @Test func weightsFollowTheSeed() throws {
        func weights(_ seed: UInt64) throws -> [[Float]] {
            let spec = try PipelineSpec.parse(Self.yaml, file: "b.yaml", overrides: .init(seed: seed))
            return try ModelBuilder.build(spec: spec, inputShape: spec.inputShape(), vocabularySize: 60).parameters.map { Array($0.value.data) }
        }
        #expect(try weights(42) == weights(42))
        #expect(try weights(42) != weights(43))
    }

    @Test func aSpecWithoutAModelIsRefused() throws {
        let spec = try PipelineSpec.parse("source: {url: x.tar.gz}\ntext: {}\n", file: "p.yaml")
        let e = try #require(throws: InputError.self) { try ModelBuilder.build(spec: spec, inputShape: [10]) }
        #expect(e.description.contains("p.yaml") && e.description.contains("no model"))
    }

    static let minimalRun = "source: {url: x.tar.gz}\ntext: {num_words: 10, maxlen: 5}\nmodel: [{embedding: {output_dim: 2}}, flatten, {dense: {units: 1, activation: sigmoid}}]\n"
}
