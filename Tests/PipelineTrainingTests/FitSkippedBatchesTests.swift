import Testing
import PipelineCore
@testable import PipelineTraining

/// `onNonFinite: .skipBatch`: the per-epoch count of skipped batches, and an epoch whose every
/// batch was skipped is an error that says how many.
@Suite struct FitSkippedBatchesTests {
    /// 4 samples of 3 features in batches of 2 (2 batches); the samples listed in `infAt` hold +inf.
    static func data(infAt: Set<Int>) -> ArrayBatches {
        var x = (0..<12).map { Float($0) / 12 }
        for s in infAt { x[s * 3] = .infinity }
        return ArrayBatches(x: x, xShape: [4, 3], y: [1, 0, 1, 0], yShape: [4, 1], size: 2)
    }

    static func model() throws -> Sequential {
        let model = Sequential([Dense(units: 4, activation: .relu), Dense(units: 1)])
        try model.build(inputShape: [3], seed: 1)
        model.compile(optimizer: SGD(), loss: .meanSquaredError)
        return model
    }

    @Test func everyBatchSkippedIsAnErrorThatCountsThem() async throws {
        let model = try Self.model()
        let data = Self.data(infAt: [0, 3])   // one bad sample in each batch
        let error = try await #require(throws: SkippedEpochError.self) {
            try await model.fit(trainData: { _ in data }, epochs: 2, onNonFinite: .skipBatch)
        }
        #expect(error.epoch == 1 && error.skipped == 2 && error.batches == 2)
        #expect(error.description.hasPrefix("every batch of epoch 1 was skipped (2 of 2 batches had a non-finite loss or gradient)"))
        #expect(error.last?.place == .input)
    }

    @Test func eachEpochLogsHowManyBatchesWereSkipped() async throws {
        let model = try Self.model()
        let data = Self.data(infAt: [2])   // the second batch only
        let history = try await model.fit(trainData: { _ in data }, epochs: 2, onNonFinite: .skipBatch)
        #expect(history[Logs.skippedBatchesKey] == [1, 1])
        #expect(history["loss"]?.allSatisfy(\.isFinite) == true)
        var logs = Logs(); logs["loss"] = 0.5; logs[Logs.skippedBatchesKey] = 1
        #expect(logs.description == "loss: 0.5000 - skipped_batches: 1")
        // The default policy keeps Keras' keys exactly.
        let clean = try await Self.model().fit(trainData: { _ in Self.data(infAt: []) }, epochs: 1)
        #expect(clean[Logs.skippedBatchesKey] == nil)
    }

    /// The count survives a resume inside the epoch (it is part of the FitPosition).
    @Test func skippedCountSurvivesAResumeMidEpoch() async throws {
        final class Grab: Callback {
            var position: FitPosition?
            func onStepEnd(position: FitPosition, model: Sequential) throws { if position.step == 1 { self.position = position } }
        }
        let data = ArrayBatches(x: [.infinity, 0, 0, 1, 2, 3, 4, 5, 6], xShape: [3, 3], y: [1, 0, 1], yShape: [3, 1], size: 1)
        let whole = try await Self.model().fit(trainData: { _ in data }, epochs: 1, onNonFinite: .skipBatch)
        let grab = Grab()
        let first = try Self.model()
        _ = try await first.fit(trainData: { _ in data }, epochs: 1, onNonFinite: .skipBatch, callbacks: [grab])
        let position = try #require(grab.position)
        #expect(position.skippedBatches == 1)
        let resumed = try Self.model()
        let h = try await resumed.fit(trainData: { _ in data }, epochs: 1, resumeFrom: position, onNonFinite: .skipBatch)
        #expect(h[Logs.skippedBatchesKey] == [1] && whole[Logs.skippedBatchesKey] == [1])
    }

    /// A raised StopRequest ends fit before the next step with the position reached.
    @Test func stopRequestEndsFitAtAStepBoundary() async throws {
        final class StopAfter: Callback {
            let stop: StopRequest
            init(_ stop: StopRequest) { self.stop = stop }
            func onStepEnd(position: FitPosition, model: Sequential) throws {
                #expect(stop.isWatched)
                if position.epoch == 1 && position.step == 1 { stop.request(signal: 2) }
            }
        }
        let stop = StopRequest()
        let model = try Self.model()
        let data = Self.data(infAt: [])
        let interrupted = try await #require(throws: FitInterrupted.self) {
            try await model.fit(trainData: { _ in data }, epochs: 3, callbacks: [StopAfter(stop)], stop: stop)
        }
        #expect(interrupted.position.epoch == 1 && interrupted.position.step == 1 && interrupted.signal == 2)
        #expect(interrupted.history.epochs == [0])
        #expect(!stop.isWatched)
        // Continuing from the position gives the weights of an uninterrupted run.
        let continued = try await model.fit(trainData: { _ in data }, epochs: 3, resumeFrom: interrupted.position)
        let whole = try Self.model()
        let h = try await whole.fit(trainData: { _ in data }, epochs: 3)
        #expect(model.weights() == whole.weights())
        #expect(continued["loss"] == Array(h["loss"]!.dropFirst()))
    }
}
