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

    @Test func rejectsTooFewTimesteps() {
        var rng = SeededRandom(seed: 1)
        #expect(throws: InputError.self) { try MaxPooling1D(poolSize: 5).build(inputShape: [3, 2], rng: &rng) }
    }
}
