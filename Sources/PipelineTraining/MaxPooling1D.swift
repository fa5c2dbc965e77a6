import CKernels
import PipelineCore

/// Max over windows of `poolSize` timesteps, as Keras' `MaxPooling1D` (padding `valid`).
///
/// ```swift
/// MaxPooling1D(poolSize: 5)                  // strides default to poolSize, as Keras
/// ```
///
/// Shapes (`B` batch, `T` timesteps, `C` channels, `P` pool size, `S` strides):
/// `[B, T, C]` → `[B, ⌊(T−P)/S⌋+1, C]`. No parameters. Backward routes each output's gradient to
/// the position of its maximum (the first one on ties). Cost: `B·T'·P·C` comparisons forward and
/// one write per input backward (a zero fill and adds when windows overlap, `S < P`); batches
/// of 2^18+ inputs run as two halves on two threads (memory-bound passes).
/// `build` throws ``InputError`` when the input is not `[T, C]` or `T < P`.
public final class MaxPooling1D: Layer {
    public let kind = "MaxPooling1D"
    public var name: String
    public let poolSize: Int
    public let strides: Int
    public let parameters: [Parameter] = []
    private var t = 0, c = 0, tOut = 0
    private var argmax: [Int32] = []                   // [B·T'·C] position of each max in its window

    public init(poolSize: Int = 2, strides: Int? = nil, name: String = "") {
        precondition(poolSize > 0 && (strides ?? 1) > 0, "MaxPooling1D pool_size and strides must be > 0")
        self.poolSize = poolSize; self.strides = strides ?? poolSize; self.name = name
    }

    public var config: [String: ConfigValue] {
        ["name": .string(name), "pool_size": .list([.int(poolSize)]), "strides": .list([.int(strides)]),
         "padding": .string("valid")]
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        guard inputShape.count == 2, inputShape[0] >= poolSize else {
            throw InputError("layer '\(name)' (MaxPooling1D) with pool_size \(poolSize) expects input [timesteps ≥ \(poolSize), channels], got shape \(inputShape)")
        }
        t = inputShape[0]; c = inputShape[1]
        tOut = (t - poolSize) / strides + 1
        return [tOut, c]
    }

    /// Whether `b` samples are worth two threads.
    private func splits(batch b: Int) -> Bool { b >= 2 && b * t * c >= 1 << 18 }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        precondition(x.rank == 3 && x.shape[1] == t && x.shape[2] == c, "MaxPooling1D '\(name)' expects [B, \(t), \(c)], got \(x.shape)")
        let b = x.shape[0], tIn = t, cc = c, tOut = tOut, keep = context.training
        var y = Tensor(uninitializedShape: [b, tOut, c])
        var idx = [Int32](unsafeUninitializedCapacity: keep ? y.count : 0) { _, n in n = keep ? b * tOut * cc : 0 }
        // Selects rather than branches (the comparisons are data-dependent coin flips), 8 channels
        // per AVX2 instruction when C % 8 == 0; ties keep the first maximum, NaN never wins.
        x.data.withUnsafeBufferPointer { xb in
            y.data.withUnsafeMutableBufferPointer { yb in
                idx.withUnsafeMutableBufferPointer { ib in
                    // (An empty array's buffer may still have a base address: test `keep`.)
                    let xs = xb.baseAddress!, ys = yb.baseAddress!, ids = keep ? ib.baseAddress : nil
                    ParallelPair.overHalves(b, split: splits(batch: b)) { r in
                        ck_maxpool_fwd(Int32(r.count), Int32(tIn), Int32(cc), Int32(poolSize), Int32(strides), Int32(tOut),
                                       xs + r.lowerBound * tIn * cc, ys + r.lowerBound * tOut * cc,
                                       ids.map { $0 + r.lowerBound * tOut * cc })
                    }
                }
            }
        }
        if context.training { argmax = idx }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.count == argmax.count, "MaxPooling1D '\(name)': backward without a matching training forward")
        let b = dy.shape[0], tIn = t, cc = c, tOut = tOut
        var dx = Tensor(uninitializedShape: [b, t, c])             // ck_maxpool_bwd writes every element
        dx.data.withUnsafeMutableBufferPointer { db in
            dy.data.withUnsafeBufferPointer { gb in
                argmax.withUnsafeBufferPointer { ib in
                    let ds = db.baseAddress!, gs = gb.baseAddress!, ids = ib.baseAddress!
                    ParallelPair.overHalves(b, split: splits(batch: b)) { r in
                        ck_maxpool_bwd(Int32(r.count), Int32(tIn), Int32(cc), Int32(poolSize), Int32(strides), Int32(tOut),
                                       gs + r.lowerBound * tOut * cc, ids + r.lowerBound * tOut * cc, ds + r.lowerBound * tIn * cc)
                    }
                }
            }
        }
        argmax = []
        return dx
    }
}
