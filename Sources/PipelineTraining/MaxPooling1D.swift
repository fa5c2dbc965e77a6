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
        let b = x.shape[0], keep = context.training
        var y = Tensor(uninitializedShape: [b, tOut, c])
        var idx = [Int32](unsafeUninitializedCapacity: keep ? y.count : 0) { _, n in n = keep ? b * tOut * c : 0 }
        pool(b, x: x.data, y: &y.data, argmax: &idx, keepsArgmax: keep)
        if context.training { argmax = idx }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.count == argmax.count, "MaxPooling1D '\(name)': backward without a matching training forward")
        let b = dy.shape[0]
        var dx = Tensor(uninitializedShape: [b, t, c])             // ck_maxpool_bwd writes every element
        route(b, dy: dy.data, argmax: argmax, dx: &dx.data)
        argmax = []
        return dx
    }

    /// Selects rather than branches (the comparisons are data-dependent coin flips), 8 channels
    /// per AVX2 instruction when C % 8 == 0; ties keep the first maximum, NaN never wins.
    private func pool(_ b: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                         argmax: UnsafeMutablePointer<Int32>, keepsArgmax: Bool) {
        let tIn = t, cc = c, tOut = tOut, poolSize = poolSize, strides = strides
        // (An empty array's buffer may still have an address: test `keepsArgmax`.)
        let ids = keepsArgmax ? argmax : nil
        ParallelPair.overHalves(b, split: splits(batch: b)) { r in
            ck_maxpool_fwd(Int32(r.count), Int32(tIn), Int32(cc), Int32(poolSize), Int32(strides), Int32(tOut),
                           x + r.lowerBound * tIn * cc, y + r.lowerBound * tOut * cc,
                           ids.map { $0 + r.lowerBound * tOut * cc })
        }
    }

    /// `dx` from each output's gradient at the position of its maximum.
    private func route(_ b: Int, dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, dx: UnsafeMutablePointer<Float>) {
        let tIn = t, cc = c, tOut = tOut, poolSize = poolSize, strides = strides
        ParallelPair.overHalves(b, split: splits(batch: b)) { r in
            ck_maxpool_bwd(Int32(r.count), Int32(tIn), Int32(cc), Int32(poolSize), Int32(strides), Int32(tOut),
                           dy + r.lowerBound * tOut * cc, argmax + r.lowerBound * tOut * cc, dx + r.lowerBound * tIn * cc)
        }
    }
}
