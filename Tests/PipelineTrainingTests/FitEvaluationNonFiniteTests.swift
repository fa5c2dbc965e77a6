import Testing
import PipelineCore
@testable import PipelineTraining

/// A NaN or infinite validation or evaluation result is an error, never a number in the history:
/// `evaluate` throws ``NonFiniteEvaluationError`` and `fit` adds the epoch and the split.
@Suite struct FitEvaluationNonFiniteTests {
    static func model() throws -> Sequential {
        let model = Sequential([Dense(units: 4, activation: .relu), Dense(units: 1)])
        try model.build(inputShape: [3], seed: 1)
        model.compile(optimizer: SGD(), loss: .meanSquaredError)
        return model
    }

    static let clean = ArrayBatches(x: (0..<12).map { Float($0) / 12 }, xShape: [4, 3], y: [1, 0, 1, 0], yShape: [4, 1], size: 2)
    /// The same samples with the second batch's first value infinite.
    static let poisoned: ArrayBatches = {
        var x = (0..<12).map { Float($0) / 12 }
        x[6] = .infinity
        return ArrayBatches(x: x, xShape: [4, 3], y: [1, 0, 1, 0], yShape: [4, 1], size: 2)
    }()

    @Test func evaluateRefusesANonFiniteLoss() async throws {
        let model = try Self.model()
        let finite = try await model.evaluate(data: Self.clean)
        #expect(finite["loss"]?.isFinite == true)
        let error = try await #require(throws: NonFiniteEvaluationError.self) {
            _ = try await model.evaluate(data: Self.poisoned)
        }
        #expect(error.key == "loss" && !error.value.isFinite && error.epoch == nil)
    }

    @Test func fitStopsWhenValidationIsNotFiniteNamingTheEpoch() async throws {
        let model = try Self.model()
        let error = try await #require(throws: NonFiniteEvaluationError.self) {
            _ = try await model.fit(trainData: { _ in Self.clean }, epochs: 3, validationData: { _ in Self.poisoned })
        }
        #expect(error.epoch == 1 && error.split == "validation")
        #expect(error.description.hasPrefix("validation loss is "))
        #expect(error.description.contains("after epoch 1"))
    }
}
