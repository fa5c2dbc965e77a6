import Testing
import PipelineCore
@testable import PipelineTraining

struct LossGolden: Decodable {
    var target, probabilities, logits, regression_target, regression_prediction: GoldenTensor
    var bce, bce_logits, mse, mae, binary_accuracy: Float
}

@Suite struct LossTests {
    @Test func valuesMatchKerasIncludingClippedProbabilities() throws {
        let g = try Golden.load("layers_losses", as: LossGolden.self)
        let t = g.target.data
        checkClose([Loss.binaryCrossentropy().evaluate(prediction: g.probabilities.tensor, target: t).loss],
                                       [g.bce], tolerance: 1e-6, "bce (probabilities 0 and 1 included)")
        checkClose([Loss.binaryCrossentropy(fromLogits: true).evaluate(prediction: g.logits.tensor, target: t).loss],
                                       [g.bce_logits], tolerance: 1e-6, "bce from logits")
        let rt = g.regression_target.data
        checkClose([Loss.meanSquaredError.evaluate(prediction: g.regression_prediction.tensor, target: rt).loss],
                                       [g.mse], tolerance: 1e-6, "mse")
        checkClose([Loss.meanAbsoluteError.evaluate(prediction: g.regression_prediction.tensor, target: rt).loss],
                                       [g.mae], tolerance: 1e-6, "mae")
    }

    @Test(arguments: [Loss.binaryCrossentropy(), .binaryCrossentropy(fromLogits: true), .meanSquaredError, .meanAbsoluteError])
    func gradientMatchesFiniteDifferences(_ loss: Loss) {
        let shape = [6, 2]
        var p = GradientCheck.random(shape, seed: 3, lo: 0.05, hi: 0.95)
        if loss != .binaryCrossentropy() { p = GradientCheck.random(shape, seed: 3, lo: -2, hi: 2) }
        let t = GradientCheck.random(shape, seed: 4).data.map { $0 > 0 ? Float(1) : 0 }
        GradientCheck.checkLoss(loss, prediction: p, target: t)
    }

    @Test func clippedProbabilitiesHaveZeroGradient() {
        let (value, g) = Loss.binaryCrossentropy().evaluate(prediction: Tensor(shape: [2, 1], data: [0, 1]), target: [1, 0])
        #expect(value.isFinite && value > 15)            // −log(1e-7) ≈ 16.1
        #expect(g.data == [0, 0])
    }

    @Test func kerasNames() throws {
        #expect(try Loss(keras: "binary_crossentropy") == .binaryCrossentropy())
        #expect(try Loss(keras: "mse") == .meanSquaredError)
        #expect(try Loss(keras: "mae") == .meanAbsoluteError)
        #expect(throws: InputError.self) { try Loss(keras: "hinge") }
    }
}
