import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct RecurrentBackwardTests {
    /// backward accumulates into Parameter.grad: two identical passes give twice one pass.
    @Test(arguments: [0, 1, 2])
    func gradientsAccumulateAcrossBackwardCalls(_ kind: Int) throws {
        let l = ([SimpleRNN(units: 8), LSTM(units: 8), GRU(units: 8)] as [any RecurrentLayer])[kind]
        var rng = SeededRandom(seed: 1)
        _ = try l.build(inputShape: [4, 3], rng: &rng)
        let x = GradientCheck.random([2, 4, 3], seed: 2), dy = GradientCheck.random([2, 8], seed: 3)
        func pass() { var c = ForwardContext(training: true, rng: rng); _ = l.forward(x, context: &c); _ = l.backward(dy) }
        pass()
        let once = l.parameters.map(\.grad.data)
        pass()
        for (p, g) in zip(l.parameters, once) { checkClose(p.grad.data, g.map { 2 * $0 }, tolerance: 1e-6, p.name) }
    }
}
