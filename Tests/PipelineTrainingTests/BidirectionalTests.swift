import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct BidirectionalTests {
    @Test(arguments: ["bidirectional_lstm_concat_seq", "bidirectional_gru_sum",
                      "bidirectional_simple_rnn_mul_seq", "bidirectional_gru_ave"])
    func matchesKeras(_ name: String) throws {
        try RecurrentGolden.load(name).verify()
    }

    @Test func parameterCountAndNames() throws {
        let bi = Bidirectional(LSTM(units: 32))
        var rng = SeededRandom(seed: 1)
        #expect(try bi.build(inputShape: [500, 32], rng: &rng) == [64])
        #expect(bi.parameterCount == 16_640)
        #expect(bi.parameters.first?.name == "bidirectional/forward_lstm/kernel")
        #expect(bi.parameters.last?.name == "bidirectional/backward_lstm/bias")
        #expect(bi.backwardLayer.goBackwards && !bi.forwardLayer.goBackwards)
        #expect(bi.forwardLayer.parameters[0].value != bi.backwardLayer.parameters[0].value, "own weights")
        let g = Bidirectional(GRU(units: 32, returnSequences: true), mergeMode: .sum)
        #expect(try g.build(inputShape: [240, 14], rng: &rng) == [240, 32])
        #expect(g.parameterCount == 9_216)
    }

    @Test(arguments: Bidirectional.MergeMode.allCases)
    func gradientsForEveryMergeMode(_ mode: Bidirectional.MergeMode) throws {
        try GradientCheck.check(Bidirectional(LSTM(units: 8, returnSequences: true), mergeMode: mode))
        try GradientCheck.check(Bidirectional(GRU(units: 8), mergeMode: mode))
    }

    @Test func dropoutGradientsWithFixedMasks() throws {
        try GradientCheck.check(Bidirectional(GRU(units: 8, dropout: 0.2, recurrentDropout: 0.3, returnSequences: true)),
                                training: true)
    }
}
