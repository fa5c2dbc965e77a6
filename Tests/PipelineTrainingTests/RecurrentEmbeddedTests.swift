import Testing
import PipelineCore
@testable import PipelineTraining

/// The fused Embedding → recurrent path against the two layers run one after the other.
@Suite struct RecurrentEmbeddedTests {
    static let vocabulary = 40, steps = 9, width = 8

    static func model(_ name: String) -> Sequential {
        let e = Embedding(inputDim: vocabulary, outputDim: width)
        switch name {
        case "simplernn": return Sequential([e, SimpleRNN(units: 8), Dense(units: 1)])
        case "lstm-sequences": return Sequential([e, LSTM(units: 8, returnSequences: true), Flatten(), Dense(units: 1)])
        case "gru": return Sequential([e, GRU(units: 8), Dense(units: 1)])
        case "gru-before-backwards": return Sequential([e, GRU(units: 8, goBackwards: true, resetAfter: false), Dense(units: 1)])
        case "gru-recurrent-dropout": return Sequential([e, GRU(units: 8, recurrentDropout: 0.3), Dense(units: 1)])
        case "bilstm": return Sequential([e, Bidirectional(LSTM(units: 8)), Dense(units: 1)])
        // 5 units: the portable (scalar) gate kernels, which read P's rows the same way.
        case "lstm-5-units": return Sequential([e, LSTM(units: 5), Dense(units: 1)])
        case "simplernn-5-units": return Sequential([e, SimpleRNN(units: 5), Dense(units: 1)])
        case "gru-5-units": return Sequential([e, GRU(units: 5), Dense(units: 1)])
        case "bigru-sequences-sum": return Sequential([e, Bidirectional(GRU(units: 8, returnSequences: true), mergeMode: .sum),
                                                       GlobalMaxPooling1D(), Dense(units: 1)])
        default: preconditionFailure(name)
        }
    }

    /// Forward output and every parameter gradient, fused or not.
    static func run(_ name: String, batch: Int, fused: Bool) throws -> (Tensor, [Tensor]) {
        let m = model(name)
        try m.build(inputShape: [steps], seed: 3)
        m.fusesEmbeddings = fused
        var rng = SeededRandom(seed: 8)
        let ids = Tensor(shape: [batch, steps], data: (0..<(batch * steps)).map { _ in Float(rng.nextInt(below: vocabulary)) })
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 11))
        m.zeroGradients()
        let y = m.forward(ids, context: &ctx)
        m.backward(GradientCheck.random(y.shape, seed: 12))
        return (y, m.parameters.map(\.grad))
    }

    // batch 70 is split over two threads (≥ 64), batch 5 is not; both have ≥ V tokens.
    @Test(arguments: ["simplernn", "lstm-sequences", "gru", "gru-before-backwards", "gru-recurrent-dropout",
                      "bilstm", "bigru-sequences-sum", "lstm-5-units", "simplernn-5-units", "gru-5-units"], [5, 70])
    func fusedMatchesEmbeddingThenLayer(_ name: String, _ batch: Int) throws {
        let (y1, g1) = try Self.run(name, batch: batch, fused: true)
        let (y0, g0) = try Self.run(name, batch: batch, fused: false)
        checkClose(y1.data, y0.data, tolerance: 1e-5, "\(name) output")
        #expect(g1.count == g0.count)
        for (i, (a, b)) in zip(g1, g0).enumerated() {
            checkClose(a.data, b.data, tolerance: 1e-4, "\(name) gradient \(i)")
        }
    }

    @Test func fusesOnlyWhenTheBatchCoversTheVocabularyAndNoInputDropout() throws {
        let e = Embedding(inputDim: Self.vocabulary, outputDim: Self.width)
        let plain = GRU(units: 4), dropped = GRU(units: 4, dropout: 0.2)
        var rng = SeededRandom(seed: 1)
        _ = try e.build(inputShape: [Self.steps], rng: &rng)
        _ = try plain.build(inputShape: [Self.steps, Self.width], rng: &rng)
        _ = try dropped.build(inputShape: [Self.steps, Self.width], rng: &rng)
        #expect(plain.canConsume(e, tokens: Self.vocabulary, training: true))
        #expect(!plain.canConsume(e, tokens: Self.vocabulary - 1, training: true))
        #expect(!dropped.canConsume(e, tokens: 1_000, training: true))
        #expect(dropped.canConsume(e, tokens: 1_000, training: false))
    }

    /// The Embedding's table gradient really flows through the fused path (not left at zero).
    @Test func embeddingGradientIsNotZero() throws {
        let (_, grads) = try Self.run("lstm-sequences", batch: 5, fused: true)
        #expect(grads[0].data.contains { $0 != 0 })
    }
}
