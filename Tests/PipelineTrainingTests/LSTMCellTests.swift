import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct LSTMCellTests {
    @Test(arguments: ["lstm", "lstm_seq_back", "lstm_scalar_h3"])
    func matchesKeras(_ name: String) throws {
        try RecurrentGolden.load(name).verify()
    }

    @Test func parameterCountMatchesKeras() throws {
        let l = LSTM(units: 32)
        var rng = SeededRandom(seed: 1)
        #expect(try l.build(inputShape: [500, 32], rng: &rng) == [32])
        #expect(l.parameterCount == 8_320)
        #expect(l.bias!.value.data[32..<64].allSatisfy { $0 == 1 }, "unit_forget_bias")
        #expect(l.bias!.value.data[0..<32].allSatisfy { $0 == 0 })
    }

    @Test(arguments: [(false, false, 8), (true, false, 8), (true, true, 8), (false, true, 3), (true, false, 5)])
    func gradientsMatchFiniteDifferences(_ seq: Bool, _ back: Bool, _ units: Int) throws {
        try GradientCheck.check(LSTM(units: units, returnSequences: seq, goBackwards: back))
    }

    @Test func reluActivationGradients() throws {
        try GradientCheck.check(LSTM(units: 8, activation: .relu, returnSequences: true), epsilon: 1e-3)
    }

    @Test(arguments: [(0.3 as Float, 0 as Float), (0, 0.3), (0.3, 0.4)])
    func dropoutGradientsWithFixedMasks(_ dropout: Float, _ recurrentDropout: Float) throws {
        try GradientCheck.check(LSTM(units: 8, dropout: dropout, recurrentDropout: recurrentDropout, returnSequences: true),
                                training: true)
    }
}
