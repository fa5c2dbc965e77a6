import Testing
import PipelineCore
@_spi(Benchmarks) @testable import PipelineTraining

/// ``RecurrentBatchSplit`` (two halves on two threads) against the plain path on one thread.
@Suite struct RecurrentBatchSplitTests {
    static func layers() -> [(String, () -> any RecurrentLayer)] {
        [("simple_rnn", { SimpleRNN(units: 5) }),
         ("simple_rnn seq back", { SimpleRNN(units: 4, returnSequences: true, goBackwards: true) }),
         ("lstm seq", { LSTM(units: 5, returnSequences: true) }),
         ("lstm back", { LSTM(units: 3, goBackwards: true) }),
         ("gru", { GRU(units: 5) }),
         ("gru reset_before seq", { GRU(units: 4, returnSequences: true, resetAfter: false) })]
    }

    /// `layer`'s split: the first half's rows in the last forward, and the twin (nil: never split).
    static func split(of layer: any RecurrentLayer) -> (rows: Int, twin: (any RecurrentLayer)?) {
        func state<C>(_ s: RecurrentBatchSplit<C>) -> (rows: Int, twin: (any RecurrentLayer)?) { (s.rows, s.twin) }
        switch layer {
        case let l as GRU: return state(l.batchSplit)
        case let l as LSTM: return state(l.batchSplit)
        case let l as SimpleRNN: return state(l.batchSplit)
        default: preconditionFailure("\(layer.kind)")
        }
    }

    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Float(rng.nextDouble() * 2 - 1) })
    }

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
    }

    @Test(arguments: [6, 7])
    func splitBatchEqualsWholeBatch(batch: Int) throws {
        for (label, make) in Self.layers() {
            let whole = make(), split = make()
            var r1 = SeededRandom(seed: 3), r2 = SeededRandom(seed: 3)
            _ = try whole.build(inputShape: [9, 3], rng: &r1)
            _ = try split.build(inputShape: [9, 3], rng: &r2)
            whole.parallelMinBatch = .max
            split.parallelMinBatch = 2
            for round in 0..<2 {   // the second round checks the twin picks up changed weights
                let x = Self.random([batch, 9, 3], seed: UInt64(10 + round))
                var c1 = ForwardContext(training: true, rng: SeededRandom(seed: 1)), c2 = c1
                let y1 = whole.forward(x, context: &c1), y2 = split.forward(x, context: &c2)
                #expect(Self.split(of: split).rows == batch / 2, "\(label)")
                #expect(y1.shape == y2.shape && Self.close(y1.data, y2.data), "\(label): outputs differ")
                let dy = Self.random(y1.shape, seed: UInt64(20 + round))
                let dx1 = whole.backward(dy), dx2 = split.backward(dy)
                #expect(dx1.shape == dx2.shape && Self.close(dx1.data, dx2.data), "\(label): dx differs")
                for (p, q) in zip(whole.parameters, split.parameters) {
                    #expect(Self.close(p.grad.data, q.grad.data), "\(label): \(p.name) gradient differs")
                    // The step changes the weights before the next round.
                    p.value.data = p.value.data.enumerated().map { $1 - 0.1 * p.grad.data[$0] }
                    q.value.data = q.value.data.enumerated().map { $1 - 0.1 * q.grad.data[$0] }
                    p.zeroGrad(); q.zeroGrad()
                }
                // The twin's gradients were added to the layer's and cleared.
                #expect(Self.split(of: split).twin!.parameters.allSatisfy { $0.grad.data.allSatisfy { $0 == 0 } })
            }
        }
    }

    @Test func dropoutMasksFollowTheirSamples() throws {
        for make in [{ GRU(units: 4, dropout: 0.3, recurrentDropout: 0.4, returnSequences: true) as any RecurrentLayer },
                     { LSTM(units: 3, dropout: 0.5) }, { SimpleRNN(units: 4, dropout: 0.2, recurrentDropout: 0.2) }] {
            let whole = make(), split = make()
            var r1 = SeededRandom(seed: 3), r2 = SeededRandom(seed: 3)
            _ = try whole.build(inputShape: [5, 3], rng: &r1)
            _ = try split.build(inputShape: [5, 3], rng: &r2)
            whole.parallelMinBatch = .max
            split.parallelMinBatch = 2
            let x = Self.random([7, 5, 3], seed: 1)
            var c1 = ForwardContext(training: true, rng: SeededRandom(seed: 1)), c2 = c1
            let y1 = whole.forward(x, context: &c1), y2 = split.forward(x, context: &c2)
            #expect(Self.split(of: split).rows == 3)
            #expect(c1.maskDraws == c2.maskDraws)   // the same draws from the context
            #expect(Self.close(y1.data, y2.data))
            let dy = Self.random(y1.shape, seed: 2)
            #expect(Self.close(whole.backward(dy).data, split.backward(dy).data))
            for (p, q) in zip(whole.parameters, split.parameters) { #expect(Self.close(p.grad.data, q.grad.data), "\(p.name)") }
        }
    }

    @Test func bidirectionalSplitsBothDirections() throws {
        let whole = Bidirectional(LSTM(units: 3, returnSequences: true), mergeMode: .concat)
        let split = Bidirectional(LSTM(units: 3, returnSequences: true), mergeMode: .concat)
        var r1 = SeededRandom(seed: 5), r2 = SeededRandom(seed: 5)
        _ = try whole.build(inputShape: [6, 2], rng: &r1)
        _ = try split.build(inputShape: [6, 2], rng: &r2)
        for l in [whole.forwardLayer, whole.backwardLayer] { l.parallelMinBatch = .max }
        for l in [split.forwardLayer, split.backwardLayer] { l.parallelMinBatch = 2 }
        let x = Self.random([5, 6, 2], seed: 9)
        var c1 = ForwardContext(training: true, rng: SeededRandom(seed: 1)), c2 = c1
        let y1 = whole.forward(x, context: &c1), y2 = split.forward(x, context: &c2)
        #expect(Self.close(y1.data, y2.data))
        let dy = Self.random(y1.shape, seed: 4)
        #expect(Self.close(whole.backward(dy).data, split.backward(dy).data))
        for (p, q) in zip(whole.parameters, split.parameters) { #expect(Self.close(p.grad.data, q.grad.data), "\(p.name)") }
    }
}
