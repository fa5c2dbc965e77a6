import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

/// Records an issue listing the worst mismatches when `actual` and `expected` differ by more than
/// `tolerance · max(|actual|, |expected|, 0.1)` (relative, with a floor for values near zero).
@discardableResult
func checkClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ label: String,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return false
    }
    var bad: [(Int, Float, Float, Float)] = []
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let err = abs(a - e) / max(abs(a), abs(e), 0.1)
        if !(err <= tolerance) { bad.append((i, a, e, err)) }
    }
    if bad.isEmpty { return true }
    let worst = bad.sorted { !($0.3 <= $1.3) }.prefix(5)
        .map { "[\($0.0)] \($0.1) vs \($0.2) (rel \($0.3))" }.joined(separator: ", ")
    Issue.record("\(label): \(bad.count) of \(actual.count) values differ beyond \(tolerance); worst: \(worst)",
                 sourceLocation: sourceLocation)
    return false
}

/// Finite-difference gradient checks for the recurrent layers.
enum GradientCheck {
    /// Uniform values in [lo, hi) from a seed.
    static func random(_ shape: [Int], seed: UInt64, lo: Float = -1, hi: Float = 1) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in lo + (hi - lo) * rng.nextFloat() })
    }

    /// Compares `loss`'s gradient with respect to the prediction with central differences of its
    /// value (step 1e-3, accumulated in `Double`), at every position of `p`.
    static func checkLoss(_ loss: Loss, prediction p: Tensor, target t: [Float],
                          sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let g = loss.evaluate(prediction: p, target: t).gradient
        let eps: Float = 1e-3
        for i in 0..<p.count {
            var up = p, down = p
            up.data[i] += eps; down.data[i] -= eps
            let numeric = (Double(loss.evaluate(prediction: up, target: t).loss) - Double(loss.evaluate(prediction: down, target: t).loss)) / Double(2 * eps)
            #expect(abs(numeric - Double(g.data[i])) < 2e-3 + 2e-2 * abs(numeric), "\(loss) [\(i)]: \(g.data[i]) vs \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Builds `layer` on `[T, F]` with seed 1, then compares `backward` with central differences of
    /// L = Σ wᵢ·yᵢ (w fixed, accumulated in `Double`) for dx and every parameter (all positions up
    /// to `samples`, else a seeded sample). Forward runs with `training` and the same rng every time,
    /// so dropout masks are identical across the evaluations.
    static func check(_ layer: any Layer, batch: Int = 2, timesteps: Int = 4, features: Int = 3,
                      training: Bool = false, epsilon: Float = 1e-2, tolerance: Float = 3e-2,
                      samples: Int = 120, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var init_ = SeededRandom(seed: 1)
        _ = try layer.build(inputShape: [timesteps, features], rng: &init_)
        let x = random([batch, timesteps, features], seed: 11)
        let rng = SeededRandom(seed: 99)
        var ctx = ForwardContext(training: training, rng: rng)
        let y = layer.forward(x, context: &ctx)
        let w = random(y.shape, seed: 7)
        for p in layer.parameters { p.zeroGrad() }
        let dx = layer.backward(w)
        #expect(dx.shape == x.shape, sourceLocation: sourceLocation)

        var xp = x
        func loss() -> Double {
            var c = ForwardContext(training: training, rng: rng)
            let y = layer.forward(xp, context: &c)
            return zip(y.data, w.data).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        func numeric(count: Int, perturb: (Int, Float) -> Void) -> ([Int], [Float]) {
            var pick = SeededRandom(seed: 5)
            let positions = count <= samples ? Array(0..<count) : (0..<samples).map { _ in pick.nextInt(below: count) }
            let values = positions.map { i -> Float in
                perturb(i, epsilon); let up = loss()
                perturb(i, -2 * epsilon); let down = loss()
                perturb(i, epsilon)
                return Float((up - down) / (2 * Double(epsilon)))
            }
            return (positions, values)
        }
        let (xi, xn) = numeric(count: x.count) { xp.data[$0] += $1 }
        checkClose(xi.map { dx.data[$0] }, xn, tolerance: tolerance, "\(layer.kind) dx", sourceLocation: sourceLocation)
        for p in layer.parameters {
            let g = p.grad
            let (pi, pn) = numeric(count: p.value.count) { p.value.data[$0] += $1 }
            checkClose(pi.map { g.data[$0] }, pn, tolerance: tolerance, "\(p.name) grad", sourceLocation: sourceLocation)
        }
    }
}

/// One golden case written by scripts/goldens/training_recurrent.py (Keras 3, TF backend).
struct RecurrentGolden: Decodable {
    struct Values: Decodable { var shape: [Int]; var data: [Float] }
    var name: String, kind: String, units: Int
    var returnSequences: Bool, goBackwards: Bool, activation: String, resetAfter: Bool
    var mergeMode: String?
    var paramCount: Int
    var x: Values, y: Values, dy: Values
    var weights: [Values]
    var dx: [Float]
    var dweights: [[Float]]

    static func load(_ name: String) throws -> RecurrentGolden {
        let url = try #require(Bundle.module.url(forResource: "recurrent_\(name)", withExtension: "json", subdirectory: "Golden"),
                               "missing Golden/recurrent_\(name).json: run scripts/goldens/training_recurrent.py")
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try d.decode(RecurrentGolden.self, from: Data(contentsOf: url))
    }

    /// The layer this case describes, built on its input shape with Keras' weights loaded.
    func makeLayer() throws -> any Layer {
        let act = try #require(Activation(keras: activation))
        let inner: RecurrentLayer = switch kind {
        case "SimpleRNN": SimpleRNN(units: units, activation: act, returnSequences: returnSequences, goBackwards: goBackwards)
        case "LSTM": LSTM(units: units, activation: act, returnSequences: returnSequences, goBackwards: goBackwards)
        default: GRU(units: units, activation: act, returnSequences: returnSequences, goBackwards: goBackwards, resetAfter: resetAfter)
        }
        let layer: any Layer = try mergeMode.map { Bidirectional(inner, mergeMode: try #require(.init(rawValue: $0))) } ?? inner
        var rng = SeededRandom(seed: 0)
        _ = try layer.build(inputShape: Array(x.shape.dropFirst()), rng: &rng)
        #expect(layer.parameters.count == weights.count)
        for (p, w) in zip(layer.parameters, weights) {
            #expect(p.value.shape == w.shape, "\(p.name) shape \(p.value.shape) vs Keras \(w.shape)")
            p.value = Tensor(shape: w.shape, data: w.data)
        }
        return layer
    }

    /// Forward (inference) and backward against Keras: y within 1e-5, gradients within 1e-4.
    func verify(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let layer = try makeLayer()
        #expect(layer.parameterCount == paramCount, sourceLocation: sourceLocation)
        var ctx = ForwardContext(training: false, rng: SeededRandom(seed: 3))
        let out = layer.forward(Tensor(shape: x.shape, data: x.data), context: &ctx)
        #expect(out.shape == y.shape, sourceLocation: sourceLocation)
        checkClose(out.data, y.data, tolerance: 1e-5, "\(name) y", sourceLocation: sourceLocation)
        for p in layer.parameters { p.zeroGrad() }
        let gx = layer.backward(Tensor(shape: dy.shape, data: dy.data))
        checkClose(gx.data, dx, tolerance: 1e-4, "\(name) dx", sourceLocation: sourceLocation)
        for (p, g) in zip(layer.parameters, dweights) {
            checkClose(p.grad.data, g, tolerance: 1e-4, "\(name) \(p.name) grad", sourceLocation: sourceLocation)
        }
    }
}
