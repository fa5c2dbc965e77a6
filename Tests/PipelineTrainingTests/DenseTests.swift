import Testing
import PipelineCore
@testable import PipelineTraining

struct DenseGolden: Decodable {
    struct Case: Decodable { var activation: String; var units: Int; var x, kernel, bias, y: GoldenTensor }
    var cases: [Case]
}

@Suite struct DenseTests {
    @Test func matchesKerasForEveryActivationAndRank() throws {
        let golden = try Golden.load("layers_dense", as: DenseGolden.self)
        #expect(golden.cases.count == 10)
        for c in golden.cases {
            let layer = try LayerGradientCheck.built(Dense(units: c.units, activation: try #require(Activation(keras: c.activation))),
                                                     inputShape: Array(c.x.shape.dropFirst()))
            layer.kernel!.value = c.kernel.tensor
            layer.bias!.value = c.bias.tensor
            var ctx = ForwardContext(training: false, rng: SeededRandom(seed: 0))
            let y = layer.forward(c.x.tensor, context: &ctx)
            #expect(y.shape == c.y.shape)
            checkClose(y.data, c.y.data, tolerance: 1e-5, "Dense \(c.activation) \(c.x.shape)")
        }
    }

    @Test(arguments: Activation.allCases)
    func backwardMatchesFiniteDifferences(_ activation: Activation) throws {
        for shape in [[4, 5], [2, 3, 5]] {
            let layer = try LayerGradientCheck.built(Dense(units: 3, activation: activation), inputShape: Array(shape.dropFirst()))
            layer.bias!.value = GradientCheck.random([3], seed: 11)
            LayerGradientCheck.check(layer, input: GradientCheck.random(shape, seed: 3))
        }
    }

    @Test func buildNamesWeightsAndReturnsShape() throws {
        let layer = Dense(units: 32, name: "dense_1")
        var rng = SeededRandom(seed: 1)
        #expect(try layer.build(inputShape: [3360], rng: &rng) == [32])
        #expect(layer.parameters.map(\.name) == ["dense_1/kernel", "dense_1/bias"])
        #expect(layer.parameterCount == 3360 * 32 + 32)
        let limit = (6.0 / Double(3360 + 32)).squareRoot()
        #expect(layer.kernel!.value.data.allSatisfy { abs(Double($0)) <= limit })
        #expect(layer.bias!.value.data.allSatisfy { $0 == 0 })
        #expect(try Dense(units: 2).build(inputShape: [10, 4], rng: &rng) == [10, 2])
    }

    @Test func skippingTheInputGradientKeepsParameterGradients() throws {
        let x = GradientCheck.random([6, 4], seed: 2)
        let dy = GradientCheck.random([6, 3], seed: 4)
        var grads: [[Float]] = []
        for skip in [false, true] {
            let layer = try LayerGradientCheck.built(Dense(units: 3, activation: .tanh), inputShape: [4])
            layer.computesInputGradient = !skip
            var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 0))
            _ = layer.forward(x, context: &ctx)
            let dx = layer.backward(dy)
            #expect(dx.count == (skip ? 0 : x.count))
            grads.append(layer.kernel!.grad.data + layer.bias!.grad.data)
        }
        #expect(grads[0] == grads[1])
    }

    /// A batch big enough to run on two threads (128 × 300 × 32 multiply-adds) against the
    /// definition in Double: y = relu(xW + b), dW = xᵀdz, db = Σdz, dx = dz Wᵀ.
    @Test func twoThreadProductsMatchTheDefinition() throws {
        let rows = 128, f = 300, h = 32
        #expect(Dense.splits(rows, work: rows * f * h))
        let layer = try LayerGradientCheck.built(Dense(units: h, activation: .relu), inputShape: [f])
        layer.bias!.value = GradientCheck.random([h], seed: 9)
        let x = GradientCheck.random([rows, f], seed: 7), dy = GradientCheck.random([rows, h], seed: 8)
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 0))
        let y = layer.forward(x, context: &ctx)
        let dx = layer.backward(dy)
        let w = layer.kernel!.value.data, b = layer.bias!.value.data
        var ey = [Float](repeating: 0, count: rows * h), dz = [Double](repeating: 0, count: rows * h)
        for r in 0..<rows { for j in 0..<h {
            var s = Double(b[j])
            for k in 0..<f { s += Double(x.data[r * f + k]) * Double(w[k * h + j]) }
            ey[r * h + j] = Float(max(s, 0))
            dz[r * h + j] = s > 0 ? Double(dy.data[r * h + j]) : 0
        } }
        checkClose(y.data, ey, tolerance: 1e-4, "y")
        var dW = [Float](repeating: 0, count: f * h), db = [Float](repeating: 0, count: h), edx = [Float](repeating: 0, count: rows * f)
        for k in 0..<f { for j in 0..<h { dW[k * h + j] = Float((0..<rows).reduce(0.0) { $0 + Double(x.data[$1 * f + k]) * dz[$1 * h + j] }) } }
        for j in 0..<h { db[j] = Float((0..<rows).reduce(0.0) { $0 + dz[$1 * h + j] }) }
        for r in 0..<rows { for k in 0..<f { edx[r * f + k] = Float((0..<h).reduce(0.0) { $0 + dz[r * h + $1] * Double(w[k * h + $1]) }) } }
        checkClose(layer.kernel!.grad.data, dW, tolerance: 1e-4, "dW")
        checkClose(layer.bias!.grad.data, db, tolerance: 1e-4, "db")
        checkClose(dx.data, edx, tolerance: 1e-4, "dx")
    }
}
