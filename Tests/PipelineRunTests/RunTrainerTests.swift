import Testing
import Foundation
import PipelineCore
import PipelineTraining
@testable import PipelineRun
import PipelineSpec

/// The run's trainer: checkpoints that `--resume` continues bit-identically, `checkpoint: best`,
/// and the training state stored beside the weights.
@Suite(.serialized) struct RunTrainerTests {
    @Test func resumedRunEqualsUninterruptedRun() async throws {
        let path = repoRoot + "/pipelines/fixtures/imdb-gru.yaml"
        let full = scratch("full"), part = scratch("part")
        _ = try await PipelineRunner(spec: try PipelineSpec.load(path: path, overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=3")], output: full)), progress: .quiet).run()
        _ = try await PipelineRunner(spec: try PipelineSpec.load(path: path, overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=2")], output: part)), progress: .quiet).run()
        // Continue the 2-epoch run to 3 epochs from its checkpoint.
        let spec3 = try PipelineSpec.load(path: path, overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=3")], output: part))
        _ = try await PipelineRunner(spec: spec3, progress: .quiet).run(resume: part)
        #expect(FileManager.default.contents(atPath: full + "/model.safetensors") == FileManager.default.contents(atPath: part + "/model.safetensors"))
        #expect(try RunArtifacts.readHistory(part)["loss"]?.count == 3)
    }

    @Test func checkpointBestKeepsTheBestEpochsWeights() async throws {
        let out = scratch("best")
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-gru.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=4"),
                                                                 try SpecOverride(parsing: "train.checkpoint=best")], output: out))
        _ = try await PipelineRunner(spec: spec, progress: .quiet).run()
        let valLoss = try #require(try RunArtifacts.readHistory(out)["val_loss"])
        let bestEpoch = valLoss.indices.min { valLoss[$0] < valLoss[$1] }!
        let best = try ModelStore.readTensors(from: out + "/best.safetensors").tensors
        let final = try ModelStore.readTensors(from: out + "/model.safetensors").tensors
        let weights = best.keys.filter { !$0.hasPrefix("optimizer/") }
        #expect(!weights.isEmpty)
        let same = weights.allSatisfy { best[$0]?.data == final[$0]?.data }
        #expect(same == (bestEpoch == valLoss.count - 1), "best epoch \(bestEpoch + 1) of \(valLoss): \(same)")
        // `predict`/`evaluate --weights best` load exactly those weights.
        let loaded = try Prediction(runDirectory: out, weights: .best).model.parameters
        #expect(!loaded.isEmpty && loaded.allSatisfy { best[$0.name]?.data == $0.value.data })
        // Without `best` there is no such file.
        let plain = scratch("plain")
        let spec2 = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-dense.yaml",
                                          overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=1")], output: plain))
        _ = try await PipelineRunner(spec: spec2, progress: .quiet).run()
        #expect(!FileManager.default.fileExists(atPath: plain + "/best.safetensors"))
        let missing = try #require(throws: IOFailure.self) { try Prediction(runDirectory: plain, weights: .best) }
        #expect(missing.description.contains("best.safetensors") && missing.description.contains("checkpoint"))
    }

    /// A resumed run's history is the checkpoint's epochs followed by the new ones, epoch
    /// numbers and seconds included.
    @Test func mergeAppendsTheNewEpochs() {
        let previous = makeHistory([("loss", [0.9, 0.8]), ("val_loss", [1.0, 0.95])])
        var later = History()
        var logs = Logs(); logs["loss"] = 0.7; logs["val_loss"] = 0.9
        later.append(epoch: 2, logs: logs, seconds: 4)
        let merged = RunTrainer.merge(previous, later)
        #expect(merged.epochs == [0, 1, 2] && merged["loss"] == [0.9, 0.8, 0.7] && merged["val_loss"] == [1.0, 0.95, 0.9])
        #expect(merged.epochSeconds == [1, 2, 4])
    }

    /// The state survives non-finite values (a NaN loss under `on_non_finite: skip_batch`), and an
    /// unreadable one is an error naming the checkpoint, not a crash.
    @Test func trainingStateRoundTripsAndFailsClearly() throws {
        var position = FitPosition(epochStart: 1)
        position.step = 5
        let state = RunTrainer.TrainingState(history: makeHistory([("loss", [.nan, 0.5])]), position: position, earlyStopping: nil, stopped: true)
        let back = try RunTrainer.TrainingState.decode(try state.encoded(), path: "ck.safetensors")
        #expect(back.position == position && back.stopped && back.history.epochs == [0, 1])
        #expect(back.history["loss"]?[0].isNaN == true && back.history["loss"]?[1] == 0.5)
        let e = #expect(throws: InputError.self) { try RunTrainer.TrainingState.decode("{\"history\": 3}", path: "ck.safetensors") }
        #expect(e?.description.contains("ck.safetensors") == true && e?.description.contains("training_state") == true)
    }
}
