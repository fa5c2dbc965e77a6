import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct GlobalMaxPooling1DTests {
    @Test func matchesKeras() throws {
        let g = try Golden.load("layers_pooling", as: PoolingGolden.self).global_max_pooling1d
        let layer = try LayerGradientCheck.built(GlobalMaxPooling1D(), inputShape: Array(g.x.shape.dropFirst()))
        var ctx = ForwardContext(training: false, rng: SeededRandom(seed: 0))
        let y = layer.forward(g.x.tensor, context: &ctx)
        #expect(y.shape == g.y.shape)
        #expect(y.data == g.y.data)
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        let layer = try LayerGradientCheck.built(GlobalMaxPooling1D(), inputShape: [6, 4])
        LayerGradientCheck.check(layer, input: GradientCheck.random([3, 6, 4], seed: 31), epsilon: 1e-3)
    }

    @Test func rejectsRank1Input() {
        var rng = SeededRandom(seed: 1)
        #expect(throws: InputError.self) { try GlobalMaxPooling1D().build(inputShape: [3], rng: &rng) }
    }
}
