import Testing
import Foundation
import PipelineCore
@testable import PipelineTraining

/// Keeps a copy of the model file and the position when `fit` reaches (epoch, step).
final class SnapshotAt: Callback {
    let epoch: Int, step: Int, path: String
    var position: FitPosition?
    init(epoch: Int, step: Int, path: String) { self.epoch = epoch; self.step = step; self.path = path }
    func onStepEnd(position: FitPosition, model: Sequential) throws {
        guard position.epoch == epoch && position.step == step else { return }
        try ModelStore.save(model, to: path)
        self.position = position
    }
}

final class SkipCounter: Callback {
    var skipped: [NonFiniteError] = []
    func onBatchSkipped(_ error: NonFiniteError, model: Sequential) throws { skipped.append(error) }
}

@Suite struct FitPositionTests {
    static func data(seed: UInt64, n: Int = 32) -> ArrayBatches {
        var rng = SeededRandom(seed: seed)
        let x = (0..<(n * 6 * 3)).map { _ in Float(rng.nextDouble() * 2 - 1) }
        let y = (0..<n).map { i in Float(i % 2) }
        return ArrayBatches(x: x, xShape: [n, 6, 3], y: y, yShape: [n, 1], size: 4)
    }

    static func model() throws -> Sequential {
        let m = Sequential([GRU(units: 5, dropout: 0.2, recurrentDropout: 0.3), Dense(units: 1, activation: .sigmoid)])
        try m.build(inputShape: [6, 3], seed: 7)
        m.compile(optimizer: RMSprop(), loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
        return m
    }

    @Test func resumingMidEpochGivesBitIdenticalWeightsAndLogs() async throws {
        let train = Self.data(seed: 1), val = Self.data(seed: 2, n: 8)
        let path = NSTemporaryDirectory() + "fitpos-\(UUID().uuidString).safetensors"
        let snapshot = SnapshotAt(epoch: 1, step: 3, path: path)
        let full = try Self.model()
        let fullHistory = try await full.fit(trainData: { _ in train }, epochs: 3, validationData: { _ in val }, callbacks: [snapshot])
        let position = try #require(snapshot.position)
        #expect(position.samples == 12 && position.lossSum > 0)

        let resumed = try Self.model()
        try ModelStore.restore(resumed, from: path)
        #expect(resumed.weights() != full.weights())
        let rest = try await resumed.fit(trainData: { _ in train }, epochs: 3, validationData: { _ in val }, resumeFrom: position)
        #expect(resumed.weights() == full.weights())
        #expect(rest.epochs == [1, 2])
        for key in fullHistory.keys { #expect(rest[key] == Array(fullHistory[key]!.suffix(2)), "\(key)") }
    }

    @Test func positionAtAnEpochStartEqualsInitialEpoch() async throws {
        let train = Self.data(seed: 3)
        let a = try Self.model(), b = try Self.model()
        try await a.fit(trainData: { _ in train }, epochs: 2, initialEpoch: 1)
        try await b.fit(trainData: { _ in train }, epochs: 2, resumeFrom: FitPosition(epochStart: 1))
        #expect(a.weights() == b.weights())
    }

    @Test func skipBatchLeavesTheStepOutAndGoesOn() async throws {
        // Batch 2 of 4 holds a NaN input. With SGD and no dropout, skipping it must give exactly
        // the weights of training on the three clean batches.
        var x = (0..<48).map { Float($0 % 7) / 7 - 0.5 }
        let y = (0..<16).map { Float($0 % 3) / 3 }
        let clean = ArrayBatches(x: Array(x[0..<12] + x[24..<48]), xShape: [12, 3], y: Array(y[0..<4] + y[8..<16]), yShape: [12, 1], size: 4)
        x[13] = .nan
        let poisoned = ArrayBatches(x: x, xShape: [16, 3], y: y, yShape: [16, 1], size: 4)
        func model() throws -> Sequential {
            let m = Sequential([Dense(units: 4, activation: .tanh), Dense(units: 1)])
            try m.build(inputShape: [3], seed: 3)
            m.compile(optimizer: SGD(learningRate: 0.1), loss: .meanSquaredError)
            return m
        }
        let stops = try model()
        let error = try await #require(throws: NonFiniteError.self) { try await stops.fit(trainData: { _ in poisoned }, epochs: 1) }
        #expect(error.place == .input && error.step == 2)

        let skips = try model(), reference = try model(), counter = SkipCounter()
        let h = try await skips.fit(trainData: { _ in poisoned }, epochs: 2, onNonFinite: .skipBatch, callbacks: [counter])
        let r = try await reference.fit(trainData: { _ in clean }, epochs: 2)
        #expect(counter.skipped.map(\.step) == [2, 2] && counter.skipped.map(\.epoch) == [1, 2])
        #expect(skips.weights() == reference.weights())
        #expect(h["loss"] == r["loss"])
    }

    @Test func anEpochOfOnlySkippedBatchesStillThrows() async throws {
        let m = Sequential([Dense(units: 1)])
        try m.build(inputShape: [2], seed: 1)
        m.compile(optimizer: SGD(), loss: .meanSquaredError)
        let bad = ArrayBatches(x: [.nan, 1, 2, .infinity], xShape: [2, 2], y: [0, 1], yShape: [2, 1], size: 1)
        let error = await #expect(throws: SkippedEpochError.self) { try await m.fit(trainData: { _ in bad }, epochs: 1, onNonFinite: .skipBatch) }
        #expect(error?.skipped == 2 && error?.batches == 2 && error?.last?.place == .input)
    }
}
