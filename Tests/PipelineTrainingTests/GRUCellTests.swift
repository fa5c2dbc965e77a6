import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct GRUCellTests {
    @Test(arguments: ["gru", "gru_reset_before", "gru_relu_seq", "gru_seq_back", "gru_scalar_h5"])
    func matchesKeras(_ name: String) throws {
        try RecurrentGolden.load(name).verify()
    }

    /// Keras 3 counts (reset_after = true adds a second bias row); the book's 4,512 for GRU(32)
    /// on 14 features is Keras 2's reset_after = false, which this layer also gives.
    @Test func parameterCountsMatchKeras() throws {
        var rng = SeededRandom(seed: 1)
        func count(_ l: GRU, _ f: Int) throws -> Int { _ = try l.build(inputShape: [10, f], rng: &rng); return l.parameterCount }
        #expect(try count(GRU(units: 32), 32) == 6_336)
        #expect(try count(GRU(units: 32), 14) == 4_608)
        #expect(try count(GRU(units: 64), 32) == 18_816)
        #expect(try count(GRU(units: 32, resetAfter: false), 14) == 4_512)
        let g = GRU(units: 4)
        _ = try g.build(inputShape: [3, 2], rng: &rng)
        #expect(g.bias!.value.shape == [2, 12])
    }

    @Test(arguments: [(false, false, true), (true, false, true), (true, true, true),
                      (false, false, false), (true, true, false)])
    func gradientsMatchFiniteDifferences(_ seq: Bool, _ back: Bool, _ resetAfter: Bool) throws {
        try GradientCheck.check(GRU(units: 8, returnSequences: seq, goBackwards: back, resetAfter: resetAfter))
    }

    @Test(arguments: [true, false])
    func scalarPathGradients(_ resetAfter: Bool) throws {
        try GradientCheck.check(GRU(units: 5, returnSequences: true, resetAfter: resetAfter))
    }

    @Test(arguments: [true, false])
    func reluActivationGradients(_ resetAfter: Bool) throws {
        try GradientCheck.check(GRU(units: 8, activation: .relu, returnSequences: true, resetAfter: resetAfter), epsilon: 3e-4)
    }

    @Test(arguments: [(0.3 as Float, 0 as Float, true), (0, 0.3, true), (0.2, 0.3, true), (0.2, 0.3, false), (0, 0.3, false)])
    func dropoutGradientsWithFixedMasks(_ dropout: Float, _ recurrentDropout: Float, _ resetAfter: Bool) throws {
        try GradientCheck.check(GRU(units: 8, dropout: dropout, recurrentDropout: recurrentDropout,
                                    returnSequences: true, resetAfter: resetAfter), training: true)
    }

    @Test func noBiasGradients() throws {
        try GradientCheck.check(GRU(units: 8, useBias: false, returnSequences: true))
    }
}
