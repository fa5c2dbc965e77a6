import Testing
import PipelineCore
@testable import PipelineTraining

struct PoolingGolden: Decodable {
    struct Case: Decodable { var pool_size: Int; var strides: Int; var x, y: GoldenTensor }
    struct Global: Decodable { var x, y: GoldenTensor }
    var max_pooling1d: [Case]
    var global_max_pooling1d: Global
}

@Suite struct MaxPooling1DTests {
    @Test func matchesKeras() throws {
        let golden = try Golden.load("layers_pooling", as: PoolingGolden.self)
        for c in golden.max_pooling1d {
            let layer = try LayerGradientCheck.built(MaxPooling1D(poolSize: c.pool_size, strides: c.strides),
                                                     inputShape: Array(c.x.shape.dropFirst()))
            var ctx = ForwardContext(training: false, rng: SeededRandom(seed: 0))
            let y = layer.forward(c.x.tensor, context: &ctx)
            #expect(y.shape == c.y.shape)
            #expect(y.data == c.y.data, "pool \(c.pool_size) strides \(c.strides)")
        }
    }

    @Test func stridesDefaultToPoolSize() {
        #expect(MaxPooling1D(poolSize: 5).strides == 5)
        #expect(MaxPooling1D(poolSize: 5, strides: 2).strides == 2)
    }

    @Test(arguments: [(2, 2), (3, 2), (3, 1)])
    func backwardMatchesFiniteDifferences(_ pool: Int, _ strides: Int) throws {
        let layer = try LayerGradientCheck.built(MaxPooling1D(poolSize: pool, strides: strides), inputShape: [9, 3])
        LayerGradientCheck.check(layer, input: GradientCheck.random([2, 9, 3], seed: 21), epsilon: 1e-3)
    }

    /// Both kernel paths (8-lane for C = 16, scalar for C = 3) against the definition, with ties
    /// (the first maximum wins), NaN (never wins) and -inf; the gradient goes to the argmax.
    /// Overlapping windows (S < P: adds), adjacent ones (S = P), gaps and a tail that no window
    /// reads (S > P: zeros), and a batch large enough for the two-thread split (2^18+ inputs).
    @Test(arguments: [(16, 3, 2, 11, 2), (3, 3, 2, 11, 2), (16, 3, 3, 11, 2), (3, 2, 3, 12, 3),
                      (16, 2, 3, 12, 3), (8, 3, 3, 479, 70)])
    func lanesMatchTheDefinition(_ channels: Int, _ pool: Int, _ strides: Int, _ t: Int, _ b: Int) throws {
        let layer = try LayerGradientCheck.built(MaxPooling1D(poolSize: pool, strides: strides), inputShape: [t, channels])
        var x = GradientCheck.random([b, t, channels], seed: 31)
        for i in stride(from: 0, to: x.count, by: 7) { x.data[i] = 0.5 }      // ties
        for i in stride(from: 3, to: x.count, by: 11) { x.data[i] = .nan }
        for i in stride(from: 5, to: x.count, by: 13) { x.data[i] = -.infinity }
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 0))
        let y = layer.forward(x, context: &ctx)
        let dy = GradientCheck.random(y.shape, seed: 32)
        let dx = layer.backward(dy)
        let tOut = (t - pool) / strides + 1
        var expectedDx = [Float](repeating: 0, count: x.count)
        for i in 0..<b {
            for j in 0..<tOut {
                for q in 0..<channels {
                    var at = (i * t + j * strides) * channels + q
                    for p in 1..<pool {
                        let r = (i * t + j * strides + p) * channels + q
                        if x.data[r] > x.data[at] { at = r }
                    }
                    let o = (i * tOut + j) * channels + q
                    #expect(y.data[o].bitPattern == x.data[at].bitPattern, "y[\(i), \(j), \(q)]")
                    expectedDx[at] += dy.data[o]
                }
            }
        }
        #expect(dx.data == expectedDx)
    }

    @Test func rejectsTooFewTimesteps() {
        var rng = SeededRandom(seed: 1)
        #expect(throws: InputError.self) { try MaxPooling1D(poolSize: 5).build(inputShape: [3, 2], rng: &rng) }
    }
}
