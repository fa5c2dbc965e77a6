import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct FlattenTests {
    @Test func collapsesAllButBatchAndRestoresOnBackward() throws {
        let layer = try LayerGradientCheck.built(Flatten(), inputShape: [240, 14])
        #expect(layer.parameters.isEmpty)
        let x = GradientCheck.random([3, 240, 14], seed: 1)
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 0))
        let y = layer.forward(x, context: &ctx)
        #expect(y.shape == [3, 3360])
        #expect(y.data == x.data)
        #expect(layer.backward(y).shape == [3, 240, 14])
        LayerGradientCheck.check(try LayerGradientCheck.built(Flatten(), inputShape: [3, 4]), input: GradientCheck.random([2, 3, 4], seed: 2))
    }
}
