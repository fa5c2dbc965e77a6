import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct FitNonFiniteTests {
    @Test func nonFiniteLossNamesEpochStepAndLayer() async throws {
        let model = Sequential([Dense(units: 4, activation: .relu), Dense(units: 1)])
        try model.build(inputShape: [3], seed: 1)
        model.compile(optimizer: SGD(), loss: .meanSquaredError)
        let data = ArrayBatches(x: (0..<24).map { Float($0) / 24 }, xShape: [8, 3], y: [Float](repeating: 1, count: 8), yShape: [8, 1], size: 4)
        try await model.fit(trainData: { _ in data }, epochs: 1)
        (model.layers[1] as! Dense).kernel!.value.data[0] = .nan
        let error = try await #require(throws: NonFiniteError.self) {
            try await model.fit(trainData: { _ in data }, epochs: 1)
        }
        #expect(error.epoch == 1 && error.step == 1 && error.place == .output)
        #expect(error.layer == "'dense_1' (Dense)")
        #expect(error.description.contains("epoch 1, step 1"))
    }

    @Test func overflowingGradientNamesTheLayer() throws {
        let model = Sequential([Dense(units: 1)])
        try model.build(inputShape: [1], seed: 1)
        model.compile(optimizer: SGD(), loss: .meanSquaredError)
        (model.layers[0] as! Dense).kernel!.value.data[0] = 2e-38     // y = 1.5e38 · 2e-38 ≈ 3: a finite loss (2e-38 is a normal float)
        let batch = Batch(x: [1.5e38], xShape: [1, 1], y: [0], yShape: [1, 1])
        let before = model.weights()
        let error = try #require(throws: NonFiniteError.self) { try model.trainStep(batch, epoch: 4, step: 6) }
        #expect(error.place == .gradient && error.layer == "'dense' (Dense)" && error.epoch == 5 && error.step == 7)
        #expect(error.loss.isFinite)
        #expect(model.weights() == before)                              // no update was applied
    }
}
