import Testing
import PipelineCore
@testable import PipelineTraining

/// `Golden/layers_categorical.json`, written by scripts/goldens/training_categorical.py.
struct CategoricalGolden: Decodable {
    struct LossCase: Decodable { var name: String; var target, prediction, gradient: GoldenTensor; var loss: Float }
    struct Metrics: Decodable {
        var prediction, labels, onehot: GoldenTensor
        var sparse_categorical_accuracy, sparse_categorical_accuracy_column, categorical_accuracy: Float
        var resolved_accuracy: [String: String]
    }
    struct TrainingCase: Decodable {
        var name: String; var hidden: Bool; var activation: String; var loss: String
        var y: GoldenTensor; var initial, final: [GoldenTensor]; var losses: [Float]
    }
    struct Training: Decodable { var x: GoldenTensor; var learning_rate: Float; var steps: Int; var cases: [TrainingCase] }
    var losses: [LossCase]
    var metrics: Metrics
    var training: Training

    static func load() throws -> CategoricalGolden { try Golden.load("layers_categorical", as: CategoricalGolden.self) }
}

@Suite struct LossCategoricalTests {
    static func loss(for golden: String) -> Loss {
        let logits = golden.contains("logits")
        return golden.hasPrefix("sparse") ? .sparseCategoricalCrossentropy(fromLogits: logits) : .categoricalCrossentropy(fromLogits: logits)
    }

    @Test func valuesAndGradientsMatchKeras() throws {
        let g = try CategoricalGolden.load()
        #expect(g.losses.count == 10)
        for c in g.losses {
            let (value, gradient) = Self.loss(for: c.name).evaluate(prediction: c.prediction.tensor, target: c.target.data)
            checkClose([value], [c.loss], tolerance: 1e-5, "\(c.name) loss")
            #expect(gradient.shape == c.prediction.shape)
            checkClose(gradient.data, c.gradient.data, tolerance: 1e-5, "\(c.name) gradient")
        }
    }

    @Test func clippedProbabilitiesHaveZeroGradientAndAFiniteLoss() {
        // Row 0: the true class has probability 0 (clipped to ε); row 1: certain and right.
        let p = Tensor(shape: [2, 3], data: [0, 1, 0, 0, 0, 1])
        for loss in [Loss.sparseCategoricalCrossentropy(), .categoricalCrossentropy()] {
            let target: [Float] = loss == .sparseCategoricalCrossentropy() ? [0, 2] : [1, 0, 0, 0, 0, 1]
            let (value, g) = loss.evaluate(prediction: p, target: target)
            #expect(value.isFinite && value > 7 && value < 8.1, "\(loss): \(value)")   // (−log 1e-7 + ~0) / 2
            #expect(g.data.allSatisfy { $0 == 0 }, "\(loss): \(g.data)")
        }
    }

    @Test func logitsAreStableForHugeValues() {
        let z = Tensor(shape: [2, 3], data: [1000, -1000, 0, -500, 500, 0])
        let (value, g) = Loss.sparseCategoricalCrossentropy(fromLogits: true).evaluate(prediction: z, target: [1, 1])
        #expect(abs(value - 1000) < 1e-3)                  // (2000 + 0) / 2
        #expect(g.data.allSatisfy { $0.isFinite })
        checkClose(g.data, [0.5, -0.5, 0, 0, 0, 0], tolerance: 1e-6, "softmax − onehot over 2 rows")
    }

    static let finiteDifferenceCases: [Loss] = [.sparseCategoricalCrossentropy(), .sparseCategoricalCrossentropy(fromLogits: true),
                                                .categoricalCrossentropy(), .categoricalCrossentropy(fromLogits: true)]

    @Test(arguments: finiteDifferenceCases)
    func gradientMatchesFiniteDifferences(_ loss: Loss) {
        let shape = [5, 4]
        // Probabilities in (0.05, 0.95), rows not normalised (both losses renormalise); logits in (−2, 2).
        let p = loss.fromLogits ? GradientCheck.random(shape, seed: 3, lo: -2, hi: 2) : GradientCheck.random(shape, seed: 3, lo: 0.05, hi: 0.95)
        let ids: [Float] = [0, 3, 1, 2, 3]
        let t: [Float] = loss == .sparseCategoricalCrossentropy(fromLogits: loss.fromLogits) ? ids
            : ids.flatMap { id in (0..<4).map { Float($0) == id ? 0.85 : 0.05 } }     // soft one-hot rows
        GradientCheck.checkLoss(loss, prediction: p, target: t)
    }

    /// Dense(softmax) then the loss, differentiated end to end: dL/dkernel against central
    /// differences, and dL/dlogits = (softmax − onehot) / rows, the gradient Keras' fit uses.
    @Test(arguments: [false, true])
    func denseSoftmaxThenCrossentropyMatchesFiniteDifferences(sparse: Bool) throws {
        let dense = try LayerGradientCheck.built(Dense(units: 3, activation: .softmax), inputShape: [4], name: "out")
        let x = GradientCheck.random([6, 4], seed: 21, lo: -1, hi: 1)
        let ids: [Float] = [0, 2, 1, 1, 0, 2]
        let loss: Loss = sparse ? .sparseCategoricalCrossentropy() : .categoricalCrossentropy()
        let t = sparse ? ids : ids.flatMap { id in (0..<3).map { Float($0) == id ? 1 : 0 } }
        func value() -> Double {
            var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 1))
            return Double(loss.evaluate(prediction: dense.forward(x, context: &ctx), target: t).loss)
        }
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 1))
        let y = dense.forward(x, context: &ctx)
        for p in dense.parameters { p.zeroGrad() }
        let dx = dense.backward(loss.evaluate(prediction: y, target: t).gradient)
        #expect(dx.shape == x.shape)
        let kernel = try #require(dense.kernel), bias = try #require(dense.bias)
        // Σ_rows (p − t)/rows is the bias gradient: softmax + crossentropy through the chain.
        var expectedBias = [Float](repeating: 0, count: 3)
        for r in 0..<6 { for j in 0..<3 { expectedBias[j] += (y.data[r * 3 + j] - (Float(j) == ids[r] ? 1 : 0)) / 6 } }
        checkClose(bias.grad.data, expectedBias, tolerance: 1e-5, "bias gradient = mean(softmax − onehot)")
        let eps: Float = 1e-2
        let numeric = (0..<kernel.value.count).map { i -> Float in
            kernel.value.data[i] += eps; let up = value()
            kernel.value.data[i] -= 2 * eps; let down = value()
            kernel.value.data[i] += eps
            return Float((up - down) / Double(2 * eps))
        }
        checkClose(kernel.grad.data, numeric, tolerance: 1e-2, "kernel gradient vs finite differences")
    }

    @Test func kerasNamesAndFlags() throws {
        #expect(try Loss(keras: "sparse_categorical_crossentropy") == .sparseCategoricalCrossentropy())
        #expect(try Loss(keras: "categorical_crossentropy", fromLogits: true) == .categoricalCrossentropy(fromLogits: true))
        #expect(Loss.sparseCategoricalCrossentropy().name == "sparse_categorical_crossentropy")
        #expect(Loss.categoricalCrossentropy(fromLogits: true).fromLogits && !Loss.meanSquaredError.fromLogits)
        #expect(Loss.categoricalCrossentropy().isCategorical && !Loss.binaryCrossentropy().isCategorical)
        #expect(Loss.sparseCategoricalCrossentropy().targetCount(for: Tensor(shape: [4, 3])) == 4)
        #expect(Loss.categoricalCrossentropy().targetCount(for: Tensor(shape: [4, 3])) == 12)
        let e = #expect(throws: InputError.self) { try Loss(keras: "sparse_categorical") }
        #expect(e?.hint?.contains("sparse_categorical_crossentropy") == true)
    }
}
