import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct RecurrentProductsTests {
    @Test func timeMajorTransposesRoundTrip() {
        let x = GradientCheck.random([3, 5, 2], seed: 1)
        for reverse in [false, true] {
            var tm = [Float](repeating: 0, count: x.count), back = tm
            tm.withUnsafeMutableBufferPointer { RecurrentLayer.toTimeMajor(x.data, $0.baseAddress!, b: 3, t: 5, w: 2, reverse: reverse) }
            // processing step s of batch row b is time (reverse ? 4 − s : s)
            #expect(tm[(1 * 3 + 2) * 2] == x[2, reverse ? 3 : 1, 0])
            back.withUnsafeMutableBufferPointer { RecurrentLayer.fromTimeMajor(tm, $0.baseAddress!, b: 3, t: 5, w: 2, reverse: reverse) }
            #expect(back == x.data)
        }
    }

    /// With per-gate recurrent masks the step product equals the product of the masked state.
    @Test func maskedRecurrentProductUsesOneMaskPerGate() throws {
        let l = LSTM(units: 8, recurrentDropout: 0.5)
        var rng = SeededRandom(seed: 1)
        _ = try l.build(inputShape: [2, 3], rng: &rng)
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 2))
        _ = l.forward(GradientCheck.random([2, 2, 3], seed: 3), context: &ctx)
        #expect(l.masks.recurrentCount == 4 && l.masks.inputCount == 0)
        let h = GradientCheck.random([2, 8], seed: 4).data
        var out = [Float](repeating: 0, count: 2 * 32), second = out
        l.masks.withPointers { _, mr in
            out.withUnsafeMutableBufferPointer { o in
                l.recurrentProduct(h, rows: 0..<2, gates: 0, count: 4, masks: mr, out: o.baseAddress!, ldOut: 32, beta: 0)
            }
            // A block of rows: only its rows are written, with their own masks.
            second.withUnsafeMutableBufferPointer { o in
                l.recurrentProduct(h, rows: 1..<2, gates: 0, count: 4, masks: mr, out: o.baseAddress!, ldOut: 32, beta: 0)
            }
        }
        let u = l.recurrentKernel!.value
        for b in 0..<2 { for g in 0..<4 { for j in 0..<8 {
            var s: Float = 0
            for i in 0..<8 { s += h[b * 8 + i] * l.masks.recurrent[(g * 2 + b) * 8 + i] * u[i, g * 8 + j] }
            #expect(abs(out[b * 32 + g * 8 + j] - s) < 1e-5)
            #expect(second[b * 32 + g * 8 + j] == (b == 1 ? out[b * 32 + g * 8 + j] : 0))
        } } }
    }

    /// The per-step row blocks cover the batch once, in order, in multiples of 6 rows but the last.
    @Test(arguments: [(1, 4), (7, 4), (64, 4), (128, 4), (64, 3), (64, 1), (128, 3)])
    func stepRowBlocksPartitionTheBatch(_ batch: Int, _ gates: Int) throws {
        let l: RecurrentLayer = gates == 4 ? LSTM(units: 32) : gates == 3 ? GRU(units: 64) : SimpleRNN(units: 32)
        var rng = SeededRandom(seed: 1)
        _ = try l.build(inputShape: [2, 3], rng: &rng)
        l.batch = batch
        let blocks = l.stepRowBlocks
        #expect(blocks.first?.lowerBound == 0 && blocks.last?.upperBound == batch)
        for (a, b) in zip(blocks, blocks.dropFirst()) { #expect(a.upperBound == b.lowerBound && a.count % 6 == 0) }
        for r in blocks { #expect(r.count * l.gates * l.units <= 4096 + 6 * l.gates * l.units || r.count <= 6) }
    }

    /// Steps in row blocks give exactly the whole-batch results: outputs, dx and every gradient,
    /// with and without recurrent dropout (each block takes its rows of the masks).
    @Test(arguments: [("lstm", 0), ("lstm", 0.3), ("gru", 0), ("gru", 0.3), ("srnn", 0.3)] as [(String, Float)])
    func rowBlocksMatchWholeBatchSteps(_ kind: String, _ recurrentDropout: Float) throws {
        func run(blockFloats: Int) throws -> [Tensor] {
            let l: RecurrentLayer = switch kind {
            case "lstm": LSTM(units: 8, recurrentDropout: recurrentDropout, returnSequences: true)
            case "gru": GRU(units: 8, recurrentDropout: recurrentDropout, returnSequences: true)
            default: SimpleRNN(units: 8, recurrentDropout: recurrentDropout, returnSequences: true)
            }
            var rng = SeededRandom(seed: 5)
            _ = try l.build(inputShape: [4, 3], rng: &rng)
            l.stepBlockFloats = blockFloats
            l.parallelMinBatch = .max
            var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 6))
            let y = l.forward(GradientCheck.random([20, 4, 3], seed: 7), context: &ctx)
            #expect(blockFloats == .max || l.stepRowBlocks.count > 1)
            let dx = l.backward(GradientCheck.random(y.shape, seed: 8))
            return [y, dx] + l.parameters.map(\.grad)
        }
        let blocked = try run(blockFloats: 64), whole = try run(blockFloats: .max)
        for (a, b) in zip(blocked, whole) { #expect(a.data == b.data, "\(kind) rd \(recurrentDropout)") }
    }
}
