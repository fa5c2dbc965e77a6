import Testing
import Foundation
import PipelineCore
import PipelineText
import PipelineTraining
@testable import PipelineRun
import PipelineSpec

/// `predict` and `evaluate` from a run folder: the run's own encoding, weights and baseline.
@Suite(.serialized) struct PredictionTests {
    @Test func predictionUsesTheRunsOwnEncodingAndWeights() async throws {
        let out = scratch("predict")
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/imdb-lstm.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=1")], output: out))
        _ = try await PipelineRunner(spec: spec, progress: .quiet).run()
        let p = try Prediction(runDirectory: out)
        let vocab = try Vocabulary.load(from: out + "/data/vocab.json")
        // A text made of known words encodes with the start char, padded "pre" to maxlen.
        let text = "Brilliant moving film, the acting was wonderful."
        let row = try p.encode(text: text)
        #expect(row.count == 48)
        #expect(Array(row.suffix(vocab.encode(text: text).count)) == vocab.encode(text: text))
        #expect(row.first == 0 && vocab.encode(text: text).first == 1)
        let prob = try p.probability(text: text)
        #expect(prob > 0 && prob < 1)
        // evaluate on the fixture's test split equals the test metrics recorded by the run
        let eval = try await p.evaluate(source: repoRoot + "/fixtures/aclImdb-mini.tar.gz")
        let run = try JSONValue.parse(FileManager.default.contents(atPath: out + "/run.json")!)
        #expect(eval["acc"]?.double == run["final"]?["test_acc"]?.double)
        // Same samples, other batch composition: equal up to float summation order.
        #expect(abs((eval["loss"]?.double ?? 0) - (run["final"]?["test_loss"]?.double ?? 1)) < 1e-5)
    }

    /// `evaluate` on a weather CSV: the model's MAE over every full batch of windows, in
    /// normalised units and °C, beside the common-sense baseline over the same file.
    @Test func weatherEvaluationReportsTheBaselineBesideTheModel() async throws {
        let out = scratch("evaluate-weather")
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-gru.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=1")], output: out))
        _ = try await PipelineRunner(spec: spec, progress: .quiet).run()
        let eval = try await Prediction(runDirectory: out).evaluate(source: repoRoot + "/fixtures/jena-mini.csv")
        let mae = try #require(eval["mae"]?.double), baseline = try #require(eval["baseline_mae"]?.double)
        let maeC = try #require(eval["mae_celsius"]?.double), baselineC = try #require(eval["baseline_mae_celsius"]?.double)
        #expect((eval["windows"]?.double ?? 0) > 0)
        #expect(mae > 0 && mae.isFinite && baseline > 0 && baseline.isFinite)
        #expect(abs(maeC / mae - baselineC / baseline) < 1e-9)        // the same target std
        #expect(baseline != mae)
    }

    /// A folder without a finished run is refused with what to do.
    @Test func aFolderWithoutAModelIsRefused() throws {
        let dir = scratch("no-model")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try Prediction(runDirectory: dir) }
    }
}
