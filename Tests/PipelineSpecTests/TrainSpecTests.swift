import Testing
import PipelineCore
import PipelineTraining
@testable import PipelineSpec

/// `train:` Keras' compile and fit arguments: defaults, ranges, the optimizer shorthand and
/// the engine's own option types.
@Suite struct TrainSpecTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "zero batch size", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, batch_size: 0"),
                    expected: ["train.batch_size", "must be > 0", "'0'"]),
        InvalidSpec(label: "negative epochs", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: -3"),
                    expected: ["train.epochs", "must be > 0", "'-3'"]),
        InvalidSpec(label: "validation split 1", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, validation_split: 1.0"),
                    expected: ["train.validation_split", "must be < 1.0", "'1.0'"]),
        InvalidSpec(label: "validation split 0", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, validation_split: 0"),
                    expected: ["train.validation_split", "must be > 0.0"]),
        InvalidSpec(label: "unknown metric", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, metrics: [acc, accuracyy]"),
                    expected: ["train.metrics", "unknown metric 'accuracyy'", "did you mean 'accuracy'?"]),
        InvalidSpec(label: "optimizer shorthand misspelt", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, optimizer: adma"),
                    expected: ["train.optimizer", "must be one of rmsprop, adam, sgd", "did you mean 'adam'?"]),
        InvalidSpec(label: "prefetch too deep", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, prefetch: 65"),
                    expected: ["train.prefetch", "must be <= 64", "'65'"]),
        InvalidSpec(label: "three threads", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, threads: 3"),
                    expected: ["train.threads", "must be <= 2", "'3'"]),
    ]

    @Test(arguments: cases)
    func invalidTrainingIsRejectedWithPlace(_ c: InvalidSpec) { expectRejected(c) }

    @Test func defaultsAreKeras() throws {
        let s = try PipelineSpec.parse(minimalText, file: "t.yaml")
        #expect(s.train?.batchSize == 128)
        #expect(s.train?.optimizer.name == .rmsprop && s.train?.optimizer.learningRate == 1e-3)
        #expect(s.train?.optimizer.rho == 0.9 && s.train?.optimizer.epsilon == 1e-7)
        #expect(s.train?.loss == .binary_crossentropy && s.train?.metrics == [.acc])
        #expect(s.train?.validationSplit == 0.2)
    }

    /// `threads: auto` (the default) is nil and leaves the resolved spec's text as before; 1 is kept.
    @Test func threadsAutoOrOneOrTwo() throws {
        let auto = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, threads: auto"), file: "t.yaml")
        let plain = try PipelineSpec.parse(minimalText, file: "t.yaml")
        #expect(auto.train?.threads == nil && plain.train?.threads == nil && auto.yaml == plain.yaml)
        let one = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, threads: 1"), file: "t.yaml")
        #expect(one.train?.threads == 1 && one.yaml.contains("threads: 1"))
        #expect(try PipelineSpec.parse(one.yaml, file: "t.yaml").train?.threads == 1)
    }

    /// A timeseries trains on MAE with no validation split (its ranges give the validation rows).
    @Test func timeseriesDefaultsAreTheBooks() throws {
        let t = try #require(try PipelineSpec.parse(minimalSeries, file: "w.yaml").train)
        #expect(t.loss == .mae && t.metrics == [.mae] && t.validationSplit == nil && t.epochs == 10)
        #expect(t.checkpoint == .everyEpoch && t.onNonFinite == .stop && t.earlyStopping == nil)
    }

    @Test func trainOptionsAreTheEngineTypes() throws {
        let text = try PipelineSpec.parse(minimalText
            .replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, checkpoint: best, early_stopping: {mode: max}}"),
            file: "t.yaml")
        #expect(text.train?.checkpoint == .best && text.train?.earlyStopping?.mode == MonitorMode.max)
        #expect(text.train?.earlyStopping?.monitor == "val_loss" && text.train?.earlyStopping?.patience == 2)
    }

    /// `optimizer: NAME` takes that optimizer's Keras defaults (SGD's learning rate is 0.01), and
    /// `describe` lists only the chosen optimizer's keys.
    @Test func optimizerShorthandTakesKerasDefaults() throws {
        func train(_ opt: String) throws -> TrainSpec {
            try #require(try PipelineSpec.parse(minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, optimizer: \(opt)"), file: "t.yaml").train)
        }
        let sgd = try train("sgd"), adam = try train("adam")
        #expect(sgd.optimizer.name == .sgd && sgd.optimizer.learningRate == 0.01 && sgd.optimizer.momentum == 0)
        #expect(adam.optimizer.name == .adam && adam.optimizer.beta1 == 0.9 && adam.optimizer.beta2 == 0.999)
        let full = try train("{name: adam, learning_rate: 0.5, clipnorm: 1}")
        #expect(full.optimizer.learningRate == 0.5 && full.optimizer.clipnorm == 1)
        let y = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, optimizer: adam"), file: "t.yaml").yaml
        #expect(y.contains("beta_1: 0.9") && !y.contains("rho:") && !y.contains("centered:"), "\(y)")
    }
}
