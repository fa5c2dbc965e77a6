import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct SimpleRNNCellTests {
    @Test(arguments: ["simple_rnn", "simple_rnn_relu_seq_back", "simple_rnn_scalar_h5"])
    func matchesKeras(_ name: String) throws {
        try RecurrentGolden.load(name).verify()
    }

    @Test func parameterCountMatchesKeras() throws {
        let l = SimpleRNN(units: 32, returnSequences: true)
        var rng = SeededRandom(seed: 1)
        #expect(try l.build(inputShape: [500, 32], rng: &rng) == [500, 32])
        #expect(l.parameterCount == 2_080)
        #expect(l.parameters.map(\.name) == ["simple_rnn/kernel", "simple_rnn/recurrent_kernel", "simple_rnn/bias"])
    }

    @Test(arguments: [(false, false, 8), (true, false, 8), (true, true, 8), (false, true, 5)])
    func gradientsMatchFiniteDifferences(_ seq: Bool, _ back: Bool, _ units: Int) throws {
        try GradientCheck.check(SimpleRNN(units: units, returnSequences: seq, goBackwards: back))
    }

    @Test func reluActivationGradients() throws {
        try GradientCheck.check(SimpleRNN(units: 8, activation: .relu, returnSequences: true), epsilon: 1e-3)
    }

    @Test func noBiasGradients() throws {
        let l = SimpleRNN(units: 8, useBias: false)
        try GradientCheck.check(l)
        #expect(l.parameters.count == 2)
    }

    @Test(arguments: [(0.3 as Float, 0 as Float), (0, 0.3), (0.25, 0.25)])
    func dropoutGradientsWithFixedMasks(_ dropout: Float, _ recurrentDropout: Float) throws {
        try GradientCheck.check(SimpleRNN(units: 8, dropout: dropout, recurrentDropout: recurrentDropout, returnSequences: true),
                                training: true)
    }

    @Test func rejectsInputWithoutTimeAxis() {
        var rng = SeededRandom(seed: 1)
        #expect(throws: InputError.self) { try SimpleRNN(units: 4).build(inputShape: [10], rng: &rng) }
    }
}
