import Testing
import PipelineCore
@_spi(RecurrentCells) @testable import PipelineTraining

@Suite struct RecurrentProductsTests {
    @Test func timeMajorTransposesRoundTrip() {
        let x = GradientCheck.random([3, 5, 2], seed: 1)
        for reverse in [false, true] {
            var tm = [Float](repeating: 0, count: x.count), back = tm
            tm.withUnsafeMutableBufferPointer { TimeMajor.pack(x.data, $0.baseAddress!, b: 3, t: 5, w: 2, reverse: reverse) }
            // processing step s of batch row b is time (reverse ? 4 − s : s)
            #expect(tm[(1 * 3 + 2) * 2] == x[2, reverse ? 3 : 1, 0])
            back.withUnsafeMutableBufferPointer { TimeMajor.unpack(tm, $0.baseAddress!, b: 3, t: 5, w: 2, reverse: reverse) }
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
        var out = [Float](repeating: 0, count: 2 * 32)
        l.masks.withPointers { _, mr in
            out.withUnsafeMutableBufferPointer { o in
                l.stepPointers(recurrentMasks: mr, inputRows: nil, ids: nil)
                    .recurrentProduct(h, gates: 0, count: 4, out: o.baseAddress!, ldOut: 32, beta: 0)
            }
        }
        let u = l.recurrentKernel!.value
        for b in 0..<2 { for g in 0..<4 { for j in 0..<8 {
            var s: Float = 0
            for i in 0..<8 { s += h[b * 8 + i] * l.masks.recurrent[(g * 2 + b) * 8 + i] * u[i, g * 8 + j] }
            #expect(abs(out[b * 32 + g * 8 + j] - s) < 1e-5)
        } } }
    }
}
