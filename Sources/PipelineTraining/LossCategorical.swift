#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PipelineCore

/// The two cross-entropies over `C` classes on the last axis, with Keras 3's formulas
/// (TensorFlow backend, `keras/src/backend/tensorflow/nn.py`), per row of `C` predictions `p`
/// (or logits `z`), ε = 1e-7:
///
/// - sparse, probabilities: `pc = clip(p, ε, 1−ε)`, loss `log Σ pc − log pc[t]` (TF takes
///   `log pc` as logits of `sparse_softmax_cross_entropy_with_logits`, so the clipped row is
///   renormalised); dL/dp_j = `−[j = t]/pc_t + 1/Σ pc`, zero where `p_j` was clipped.
/// - categorical, probabilities: `q = p / Σ p`, `qc = clip(q, ε, 1−ε)`, loss `−Σ t·log qc`;
///   dL/dp_k = `(g_k − Σ_j g_j q_j) / Σ p` with `g_j = −t_j/qc_j` (zero where `q_j` was clipped).
/// - from logits (both): `lse = log Σ e^z`, loss `lse·Σt − Σ t·z` (sparse: `lse − z_t`),
///   dL/dz = `softmax(z)·Σt − t`. Stable for any logits (the maximum is subtracted first).
///
/// Reduction `sum_over_batch_size`: the mean of the row losses over the rows (`B`, or `B·T` for
/// sequence outputs), so each gradient carries a factor `1/rows`. Through `Dense(softmax)`'s
/// backward the probability gradient becomes dL/dz = `(softmax(z) − t)/rows` wherever nothing is
/// clipped (the gradient Keras' `fit` uses). Known difference: inside `fit`, Keras reads the
/// logits cached on a softmax output (`_get_logits`), so a row whose true-class probability is
/// below ε reports `lse − z_t` (can exceed 16.1) and keeps a gradient of −1; here, as with
/// Keras' standalone loss functions, that row's loss is capped near `−log ε` and its gradient
/// is zero. Use `from_logits` with a linear last layer for Keras' `fit` numbers in that regime.
///
/// Sparse targets are class ids as `Float`, one per row; ``Loss/validateTargets(_:shape:prediction:sampleOffset:)``
/// rejects ids that are not integers in `[0, C)` before this runs (here such an id traps).
/// Cost: a few passes over the `rows × C` values; sums in `Double`.
extension Loss {
    static func sparseCategorical(_ prediction: Tensor, _ target: [Float], fromLogits: Bool) -> (loss: Float, gradient: Tensor) {
        let c = max(prediction.shape.last ?? 1, 1), rows = prediction.count / c
        var grad = Tensor(shape: prediction.shape)
        let invRows = 1 / Float(max(rows, 1))
        var sum: Double = 0
        prediction.data.withUnsafeBufferPointer { pb in
            grad.data.withUnsafeMutableBufferPointer { gb in
                for r in 0..<rows {
                    let t = Int(exactly: target[r]) ?? -1
                    precondition(t >= 0 && t < c, "sparse_categorical_crossentropy: class id \(target[r]) outside [0, \(c)) (validateTargets first)")
                    let p = pb.baseAddress! + r * c, g = gb.baseAddress! + r * c
                    if fromLogits {
                        var m = -Float.infinity
                        for j in 0..<c { m = max(m, p[j]) }
                        var z: Float = 0
                        for j in 0..<c { let e = expf(p[j] - m); g[j] = e; z += e }
                        sum += Double(m) + Double(logf(z)) - Double(p[t])
                        let inv = 1 / z
                        for j in 0..<c { g[j] = g[j] * inv * invRows }
                        g[t] -= invRows
                    } else {
                        let eps = Loss.epsilon, hi = 1 - eps
                        var s: Float = 0
                        for j in 0..<c { s += min(max(p[j], eps), hi) }
                        let pt = min(max(p[t], eps), hi)
                        sum += Double(logf(s)) - Double(logf(pt))
                        let invS = 1 / s
                        for j in 0..<c {
                            let inside = p[j] >= eps && p[j] <= hi
                            g[j] = inside ? ((j == t ? -1 / pt : 0) + invS) * invRows : 0
                        }
                    }
                }
            }
        }
        return (Float(sum / Double(max(rows, 1))), grad)
    }

    static func categorical(_ prediction: Tensor, _ target: [Float], fromLogits: Bool) -> (loss: Float, gradient: Tensor) {
        let c = max(prediction.shape.last ?? 1, 1), rows = prediction.count / c
        var grad = Tensor(shape: prediction.shape)
        let invRows = 1 / Float(max(rows, 1))
        var sum: Double = 0
        prediction.data.withUnsafeBufferPointer { pb in
            target.withUnsafeBufferPointer { tb in
                grad.data.withUnsafeMutableBufferPointer { gb in
                    for r in 0..<rows {
                        let p = pb.baseAddress! + r * c, t = tb.baseAddress! + r * c, g = gb.baseAddress! + r * c
                        if fromLogits {
                            var m = -Float.infinity, tsum: Float = 0
                            for j in 0..<c { m = max(m, p[j]); tsum += t[j] }
                            var z: Float = 0
                            for j in 0..<c { let e = expf(p[j] - m); g[j] = e; z += e }
                            let lse = Double(m) + Double(logf(z))
                            var row = lse * Double(tsum)
                            for j in 0..<c { row -= Double(t[j]) * Double(p[j]) }
                            sum += row
                            let inv = 1 / z
                            for j in 0..<c { g[j] = (g[j] * inv * tsum - t[j]) * invRows }
                        } else {
                            let eps = Loss.epsilon, hi = 1 - eps
                            var s: Float = 0
                            for j in 0..<c { s += p[j] }
                            let invS = 1 / s
                            var row: Double = 0, dot: Float = 0
                            for j in 0..<c {                       // g_j = dL/dq_j, kept in g
                                let q = p[j] * invS, qc = min(max(q, eps), hi)
                                row -= Double(t[j]) * Double(logf(qc))
                                g[j] = (q >= eps && q <= hi) ? -t[j] / qc : 0
                                dot += g[j] * q
                            }
                            sum += row
                            for j in 0..<c { g[j] = (g[j] - dot) * invS * invRows }
                        }
                    }
                }
            }
        }
        return (Float(sum / Double(max(rows, 1))), grad)
    }
}
