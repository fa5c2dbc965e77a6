import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct RecurrentTests {
    /// Keras 3: go_backwards with return_sequences returns outputs in processing (reversed) order,
    /// so the last output equals the final state, and it equals reading the reversed input.
    @Test func goBackwardsReadsReversedInputAndReturnsProcessingOrder() throws {
        var r1 = SeededRandom(seed: 3), r2 = SeededRandom(seed: 3)
        let back = GRU(units: 8, returnSequences: true, goBackwards: true)
        let fwd = GRU(units: 8, returnSequences: true)
        _ = try back.build(inputShape: [5, 3], rng: &r1)
        _ = try fwd.build(inputShape: [5, 3], rng: &r2)
        let x = GradientCheck.random([2, 5, 3], seed: 4)
        var ctx = ForwardContext(training: false, rng: SeededRandom(seed: 0))
        let yb = back.forward(x, context: &ctx)
        let yf = fwd.forward(Bidirectional.flipTime(x), context: &ctx)
        #expect(yb == yf)
    }

    @Test func variableTimestepsAndBatchesReuseTheLayer() throws {
        let l = LSTM(units: 8, returnSequences: true)
        var rng = SeededRandom(seed: 1)
        _ = try l.build(inputShape: [10, 3], rng: &rng)
        var ctx = ForwardContext(training: false, rng: rng)
        #expect(l.forward(GradientCheck.random([4, 10, 3], seed: 1), context: &ctx).shape == [4, 10, 8])
        let y = l.forward(GradientCheck.random([2, 3, 3], seed: 2), context: &ctx)
        #expect(y.shape == [2, 3, 8])
        #expect(l.backward(y).shape == [2, 3, 3])
    }

    @Test func configUsesKerasKeys() {
        let c = GRU(units: 64, activation: .relu, recurrentDropout: 0.5, returnSequences: true).config
        #expect(c["units"] == .int(64))
        #expect(c["activation"] == .string("relu"))
        #expect(c["reset_after"] == .bool(true))
        #expect(c["recurrent_dropout"] == .double(0.5))
    }
}

@Suite struct RecurrentChunkingTests {
    /// `layer` with `chunkFloats` pre-activation floats per chunk.
    static func chunked<C>(_ layer: Recurrent<C>, _ chunkFloats: Int) -> any RecurrentLayer {
        layer.chunkFloats = chunkFloats
        return layer
    }

    static let layers: [@Sendable (Int) -> any RecurrentLayer] = [
        { chunked(SimpleRNN(units: 8, dropout: 0.2, recurrentDropout: 0.3, returnSequences: true), $0) },
        { chunked(LSTM(units: 8, dropout: 0.2, recurrentDropout: 0.3, returnSequences: true), $0) },
        { chunked(LSTM(units: 8, dropout: 0.2), $0) },
        { chunked(GRU(units: 8, dropout: 0.2, recurrentDropout: 0.3, returnSequences: true), $0) },
        { chunked(GRU(units: 8, returnSequences: true, goBackwards: true, resetAfter: false), $0) },
        { chunked(GRU(units: 8, dropout: 0.1, recurrentDropout: 0.3, resetAfter: false), $0) },
    ]

    /// Steps run in chunks (projection and gradient GEMMs per chunk); any chunk size gives the
    /// same outputs and gradients as one chunk.
    @Test(arguments: 0..<6)
    func chunkSizeDoesNotChangeResults(_ index: Int) throws {
        func run(_ chunkFloats: Int) throws -> [[Float]] {
            let l = Self.layers[index](chunkFloats)
            var rng = SeededRandom(seed: 1)
            _ = try l.build(inputShape: [7, 3], rng: &rng)
            var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 2))
            let y = l.forward(GradientCheck.random([3, 7, 3], seed: 3), context: &ctx)
            let dx = l.backward(GradientCheck.random(y.shape, seed: 4))
            return [y.data, dx.data] + l.parameters.map(\.grad.data)
        }
        let whole = try run(1 << 20)
        for chunk in [1, 3 * 8 * 4 * 2, 3 * 8 * 4 * 3] {
            for (a, b) in zip(try run(chunk), whole) { checkClose(a, b, tolerance: 1e-5, "chunk \(chunk)") }
        }
    }
}
