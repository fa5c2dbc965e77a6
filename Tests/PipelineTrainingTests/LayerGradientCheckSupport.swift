import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

/// Finite-difference checks for the feed-forward layers (any input rank, ids included), on top of
/// the shared helpers of `GradientCheck.swift` (`GradientCheck.random`, `checkClose`).
enum LayerGradientCheck {
    /// Compares `layer.backward` with central differences of L = Σ wᵢ·yᵢ (w random, fixed), in
    /// `Double`, at up to `samples` positions of any-rank input (unless `checkInput` is false: token
    /// ids) and of every parameter, for a layer the caller built. Unlike `GradientCheck.check`
    /// (recurrent layers, `[B, T, F]` inputs, builds the layer itself) it takes the input as given.
    /// Training mode with the same rng each time, so dropout masks are fixed. Uses `checkClose`.
    static func check(_ layer: any Layer, input x: Tensor, checkInput: Bool = true, epsilon: Float = 1e-2,
                      tolerance: Float = 2e-2, samples: Int = 40,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let rng = SeededRandom(seed: 99)
        func loss(_ input: Tensor, _ w: Tensor) -> Double {
            var ctx = ForwardContext(training: true, rng: rng)
            let y = layer.forward(input, context: &ctx)
            return zip(y.data, w.data).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        var ctx = ForwardContext(training: true, rng: rng)
        let y = layer.forward(x, context: &ctx)
        let w = GradientCheck.random(y.shape, seed: 7)
        for p in layer.parameters { p.zeroGrad() }
        let dx = layer.backward(w)
        let grads = layer.parameters.map(\.grad)
        var x2 = x

        func compare(_ label: String, count: Int, analytic: (Int) -> Float, perturb: (Int, Float) -> Void) {
            var pick = SeededRandom(seed: 5)
            let positions = count <= samples ? Array(0..<count) : (0..<samples).map { _ in pick.nextInt(below: count) }
            let numeric = positions.map { i -> Float in
                perturb(i, epsilon); let up = loss(x2, w)
                perturb(i, -2 * epsilon); let down = loss(x2, w)
                perturb(i, epsilon)
                return Float((up - down) / (2 * Double(epsilon)))
            }
            checkClose(positions.map(analytic), numeric, tolerance: tolerance, "\(layer.kind) \(label)", sourceLocation: sourceLocation)
        }
        if checkInput {
            #expect(dx.shape == x.shape, "dx shape \(dx.shape) != x shape \(x.shape)", sourceLocation: sourceLocation)
            compare("dx", count: x.count, analytic: { dx.data[$0] }, perturb: { x2.data[$0] += $1 })
        }
        for (p, g) in zip(layer.parameters, grads) {
            compare(p.name, count: p.value.count, analytic: { g.data[$0] }, perturb: { p.value.data[$0] += $1 })
        }
    }

    static func built<L: Layer>(_ layer: L, inputShape: [Int], name: String = "layer", seed: UInt64 = 1) throws -> L {
        if layer.name.isEmpty { layer.name = name }
        var rng = SeededRandom(seed: seed)
        _ = try layer.build(inputShape: inputShape, rng: &rng)
        return layer
    }
}

/// A tensor as stored in the golden JSON files.
struct GoldenTensor: Decodable {
    var shape: [Int]
    var data: [Float]
    var tensor: Tensor { Tensor(shape: shape, data: data) }
}

enum Golden {
    static func load<T: Decodable>(_ name: String, as: T.Type = T.self) throws -> T {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Golden"),
                               "missing Golden/\(name).json: run scripts/goldens/training_layers.py")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}

/// Batches over fixed arrays, for `fit` tests: `[N, …]` inputs cut into batches of `size`.
struct ArrayBatches: AsyncSequence, Sendable {
    typealias Element = Batch
    let x: [Float], xShape: [Int], y: [Float], yShape: [Int], size: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let base: ArrayBatches
        var start = 0
        mutating func next() async throws -> Batch? {
            let n = base.xShape[0]
            guard start < n else { return nil }
            let m = Swift.min(base.size, n - start)
            let xw = base.x.count / n, yw = base.y.count / n
            let b = Batch(x: Array(base.x[(start * xw)..<((start + m) * xw)]), xShape: [m] + base.xShape.dropFirst(),
                          y: Array(base.y[(start * yw)..<((start + m) * yw)]), yShape: [m] + base.yShape.dropFirst(),
                          sampleOffset: start)
            start += m
            return b
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: self) }
}
