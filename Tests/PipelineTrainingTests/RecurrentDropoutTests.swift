import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct RecurrentDropoutTests {
    @Test func maskCountsFollowKeras3() {
        // recurrent_dropout switches LSTM/GRU to one mask per gate for inputs and states.
        #expect(RecurrentDropout.counts(gates: 4, dropout: 0.2, recurrentDropout: 0.2, training: true) == (4, 4))
        #expect(RecurrentDropout.counts(gates: 3, dropout: 0.2, recurrentDropout: 0, training: true) == (1, 0))
        #expect(RecurrentDropout.counts(gates: 3, dropout: 0, recurrentDropout: 0.5, training: true) == (0, 3))
        #expect(RecurrentDropout.counts(gates: 1, dropout: 0.2, recurrentDropout: 0.2, training: true) == (1, 1))
        #expect(RecurrentDropout.counts(gates: 4, dropout: 0.2, recurrentDropout: 0.2, training: false) == (0, 0))
    }

    @Test func masksAreInvertedDropout() {
        var rng = SeededRandom(seed: 1)
        let m = RecurrentDropout.masks(count: 100_000, rate: 0.2, rng: &rng)
        #expect(Set(m) == [0, 1.25])
        let kept = Float(m.filter { $0 > 0 }.count) / Float(m.count)
        #expect(abs(kept - 0.8) < 0.01)
    }

    @Test func maskIsReusedAtEveryTimestepAndOffAtInference() throws {
        // Linear SimpleRNN with identity-free weights: a dropped feature never reaches the output.
        let l = SimpleRNN(units: 8, activation: .linear, dropout: 0.5, returnSequences: true)
        var rng = SeededRandom(seed: 2)
        _ = try l.build(inputShape: [6, 4], rng: &rng)
        let x = GradientCheck.random([3, 6, 4], seed: 8)
        var train = ForwardContext(training: true, rng: SeededRandom(seed: 5))
        _ = l.forward(x, context: &train)
        #expect(l.masks.input.count == 3 * 4)
        var a = ForwardContext(training: false, rng: SeededRandom(seed: 5))
        var b = ForwardContext(training: false, rng: SeededRandom(seed: 6))
        #expect(l.forward(x, context: &a) == l.forward(x, context: &b), "no dropout at inference")
        #expect(l.masks.input.isEmpty)
    }
}
