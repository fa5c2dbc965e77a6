import PipelineCore
import CKernels

/// Dropout masks of a recurrent layer for one batch, drawn once and reused at every timestep
/// (Keras' `DropoutRNNCell`).
///
/// ```swift
/// var masks = RecurrentDropout()
/// masks.draw(inputCount: 4, recurrentCount: 4, batch: 128, features: 32, units: 32,
///            dropout: 0.2, recurrentDropout: 0.2, streams: ctx.nextMaskDraw())
/// ```
///
/// Semantics: each mask is `[B, width]` of `0` or `1/(1−rate)` (inverted dropout, keep
/// probability `1−rate`). How many masks, as Keras 3: with `recurrent_dropout > 0` LSTM and
/// GRU switch to `implementation=1`, drawing one input mask and one recurrent mask **per gate**
/// (4 for LSTM, 3 for GRU); with only `dropout > 0` a single input mask is shared by all
/// gates; SimpleRNN always uses one of each. No masks at inference (`training == false`).
/// Per sample: a layer's masks are one draw of the context (``ForwardContext/nextMaskDraw()``)
/// and sample row `i` takes all its mask rows from ITS stream (``DropoutStreams/random(row:)``),
/// in this order: input mask rows `g = 0..<inputCount` (`F` values each), then recurrent mask
/// rows `g = 0..<recurrentCount` (`H` values each). So a sample's masks do not depend on the
/// batch size or on how the batch is split (``rows(_:batch:features:units:)``, data-parallel
/// ranks). Layout: mask `g` is rows `g·B ..< (g+1)·B` of its array.
/// Cost: one draw per element, one generator seeding per row.
struct RecurrentDropout {
    /// Input masks, each `[B, F]`, concatenated (count 0, 1 or k).
    var input: [Float] = []
    var inputCount = 0
    /// Recurrent masks, each `[B, H]`, concatenated (count 0 or k).
    var recurrent: [Float] = []
    var recurrentCount = 0

    /// How many masks a layer with `gates` gates uses (see the type's semantics).
    static func counts(gates: Int, dropout: Float, recurrentDropout: Float, training: Bool) -> (Int, Int) {
        guard training else { return (0, 0) }
        let perGate = recurrentDropout > 0 ? gates : 1
        return (dropout > 0 ? perGate : 0, recurrentDropout > 0 ? gates : 0)
    }

    mutating func draw(inputCount: Int, recurrentCount: Int, batch: Int, features: Int, units: Int,
                       dropout: Float, recurrentDropout: Float, streams: DropoutStreams) {
        self.inputCount = inputCount
        self.recurrentCount = recurrentCount
        input = [Float](repeating: 0, count: inputCount * batch * features)
        recurrent = [Float](repeating: 0, count: recurrentCount * batch * units)
        guard inputCount * features + recurrentCount * units > 0 else { return }
        input.withUnsafeMutableBufferPointer { inp in
            recurrent.withUnsafeMutableBufferPointer { rec in
                for i in 0..<batch {
                    var rng = streams.random(row: i)
                    for g in 0..<inputCount where features > 0 {
                        DropoutStreams.fill(inp.baseAddress! + (g * batch + i) * features, count: features, rate: dropout, rng: &rng)
                    }
                    for g in 0..<recurrentCount where units > 0 {
                        DropoutStreams.fill(rec.baseAddress! + (g * batch + i) * units, count: units, rate: recurrentDropout, rng: &rng)
                    }
                }
            }
        }
    }

    static func masks(count: Int, rate: Float, rng: inout SeededRandom) -> [Float] {
        guard count > 0 else { return [] }
        var m = [Float](repeating: 0, count: count)
        m.withUnsafeMutableBufferPointer { DropoutStreams.fill($0.baseAddress!, count: count, rate: rate, rng: &rng) }
        return m
    }

    /// The masks of the samples `rows` of a batch of `batch`, in the same layout (one half of a
    /// split batch gets exactly the masks its samples had in the whole batch).
    func rows(_ rows: Range<Int>, batch: Int, features: Int, units: Int) -> RecurrentDropout {
        func take(_ all: [Float], count: Int, width: Int) -> [Float] {
            var out: [Float] = []
            out.reserveCapacity(count * rows.count * width)
            for g in 0..<count { out += all[((g * batch + rows.lowerBound) * width)..<((g * batch + rows.upperBound) * width)] }
            return out
        }
        var r = RecurrentDropout()
        r.inputCount = inputCount; r.recurrentCount = recurrentCount
        r.input = take(input, count: inputCount, width: features)
        r.recurrent = take(recurrent, count: recurrentCount, width: units)
        return r
    }

    /// Calls `body` with the input and recurrent masks' storage, or nil for none.
    func withPointers<R>(_ body: (UnsafePointer<Float>?, UnsafePointer<Float>?) -> R) -> R {
        input.withUnsafeBufferPointer { i in
            recurrent.withUnsafeBufferPointer { r in
                body(input.isEmpty ? nil : i.baseAddress, recurrent.isEmpty ? nil : r.baseAddress)
            }
        }
    }
}
