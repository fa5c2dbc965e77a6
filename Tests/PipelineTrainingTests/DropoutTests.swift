import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct DropoutTests {
    @Test func dropsAboutRateAndScalesSurvivors() throws {
        let layer = try LayerGradientCheck.built(Dropout(rate: 0.3), inputShape: [1000])
        let x = Tensor(shape: [10, 1000], repeating: 1)
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 4))
        let y = layer.forward(x, context: &ctx)
        let zeros = y.data.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 10_000 - 0.3) < 0.02)
        #expect(y.data.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
    }

    @Test func inferenceIsIdentityAndMasksAreSeeded() throws {
        let layer = try LayerGradientCheck.built(Dropout(rate: 0.5), inputShape: [50])
        let x = GradientCheck.random([4, 50], seed: 9)
        var off = ForwardContext(training: false, rng: SeededRandom(seed: 1))
        #expect(layer.forward(x, context: &off) == x)
        var a = ForwardContext(training: true, rng: SeededRandom(seed: 1))
        var b = ForwardContext(training: true, rng: SeededRandom(seed: 1))
        var c = ForwardContext(training: true, rng: SeededRandom(seed: 2))
        let ya = layer.forward(x, context: &a), yb = layer.forward(x, context: &b), yc = layer.forward(x, context: &c)
        #expect(ya == yb)
        #expect(ya != yc)
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        let layer = try LayerGradientCheck.built(Dropout(rate: 0.4), inputShape: [3, 5])
        LayerGradientCheck.check(layer, input: GradientCheck.random([2, 3, 5], seed: 3))
    }
}
