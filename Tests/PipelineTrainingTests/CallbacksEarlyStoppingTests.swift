import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct CallbacksEarlyStoppingTests {
    @Test func earlyStoppingCountsPatienceAsKeras() throws {
        let model = try ToyData.model()
        let stop = EarlyStopping(monitor: "val_loss", patience: 2)
        try stop.onTrainBegin(model: model, epochs: 10)
        for (epoch, v) in [1.0, 0.5, 0.6, 0.7, 0.4].enumerated() where !model.stopTraining {
            try stop.onEpochEnd(epoch: epoch, logs: logs([("val_loss", v)]), seconds: 0, model: model)
        }
        #expect(stop.stoppedEpoch == 3 && stop.bestEpoch == 1 && stop.best == 0.5)
    }

    @Test func accuracyIsMaximisedInAutoMode() throws {
        let model = try ToyData.model()
        let stop = EarlyStopping(monitor: "val_acc", patience: 1)
        try stop.onTrainBegin(model: model, epochs: 10)
        for (epoch, v) in [0.5, 0.7, 0.6].enumerated() {
            try stop.onEpochEnd(epoch: epoch, logs: logs([("val_acc", v)]), seconds: 0, model: model)
        }
        #expect(stop.best == 0.7 && stop.stoppedEpoch == 2)
    }

    @Test func earlyStoppingEndsFitAndRestoresBestWeights() async throws {
        let model = try ToyData.model(lr: 0.05)
        let train = ToyData.batches(samples: 128, seed: 1)
        let flipped = ToyData.batches(samples: 64, seed: 2)
        // Validation labels inverted: val_loss gets worse as training improves, so the best epoch is the first.
        let inverted = ArrayBatches(x: flipped.x, xShape: flipped.xShape, y: flipped.y.map { 1 - $0 }, yShape: flipped.yShape, size: 32)
        let stop = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
        var snapshot: [Tensor] = []
        final class Snap: Callback {
            let grab: ([Tensor]) -> Void
            init(_ grab: @escaping ([Tensor]) -> Void) { self.grab = grab }
            func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws { if epoch == 0 { grab(model.weights()) } }
        }
        let history = try await model.fit(trainData: { _ in train }, epochs: 20, validationData: { _ in inverted },
                                          callbacks: [Snap { snapshot = $0 }, stop])
        #expect(history.epochs.count == 3)
        #expect(stop.stoppedEpoch == 2 && stop.bestEpoch == 0)
        #expect(model.weights() == snapshot)
    }

    @Test func unknownMonitorIsAnInputError() throws {
        let model = try ToyData.model()
        let stop = EarlyStopping(monitor: "val_los")
        #expect(throws: InputError.self) { try stop.onEpochEnd(epoch: 0, logs: logs([("val_loss", 1)]), seconds: 0, model: model) }
    }
}

extension CallbacksEarlyStoppingTests {
    @Test func resumedStateStopsWhereTheUninterruptedRunWould() throws {
        let model = Sequential([Dense(units: 1)])
        try model.build(inputShape: [2], seed: 1)
        let best = model.weights().map { Tensor(shape: $0.shape, data: $0.data.map { $0 + 1 }) }
        // Uninterrupted: improves at epoch 0, not at 1 (wait 1), not at 2 → stops at 2 with patience 2.
        let es = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
        try es.onTrainBegin(model: model, epochs: 5)
        try es.onEpochEnd(epoch: 0, logs: logs([("val_loss", 0.5)]), seconds: 0, model: model)
        try es.onEpochEnd(epoch: 1, logs: logs([("val_loss", 0.6)]), seconds: 0, model: model)
        #expect(es.state == EarlyStopping.State(wait: 1, best: 0.5, bestEpoch: 0, stoppedEpoch: nil))
        // Resumed after epoch 1 from the saved state: the next bad epoch stops it and the saved
        // best weights come back at the end.
        let resumed = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
        resumed.resume(from: es.state, bestWeights: best)
        model.stopTraining = false
        try resumed.onTrainBegin(model: model, epochs: 5)
        try resumed.onEpochEnd(epoch: 2, logs: logs([("val_loss", 0.7)]), seconds: 0, model: model)
        #expect(model.stopTraining && resumed.stoppedEpoch == 2)
        try resumed.onTrainEnd(model: model, history: History())
        #expect(model.weights() == best)
        // Without resume the same epoch would not stop training (wait restarts from 0).
        let fresh = EarlyStopping(monitor: "val_loss", patience: 2)
        model.stopTraining = false
        try fresh.onTrainBegin(model: model, epochs: 5)
        try fresh.onEpochEnd(epoch: 2, logs: logs([("val_loss", 0.7)]), seconds: 0, model: model)
        #expect(!model.stopTraining)
    }
}
