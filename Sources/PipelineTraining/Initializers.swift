import PipelineCore

/// Weight initialisers with Keras' names and formulas, drawn from ``SeededRandom`` so the
/// same seed gives the same weights on every platform.
///
/// ```swift
/// var rng = SeededRandom(seed: 42)
/// let k = Initializer.glorotUniform.make(shape: [32, 128], rng: &rng)   // LSTM kernel
/// let u = Initializer.orthogonal().make(shape: [32, 128], rng: &rng)    // recurrent kernel
/// ```
///
/// Semantics (Keras 3):
/// - `glorotUniform`: U(−l, l) with l = √(6 / (fan_in + fan_out)); fans as Keras'
///   `compute_fans`: 2-D `[in, out]`; N-D `[k…, in, out]` multiplies both by the receptive
///   field `∏k`; 1-D uses the single size for both.
/// - `orthogonal(gain:)`: for a `[rows, cols]` matrix (rows = product of all but the last axis),
///   a Gaussian matrix of shape `[max, min]` is QR-factorised, Q's columns are sign-corrected
///   by `sign(diag(R))` (so R's diagonal is positive, a unique factorisation), transposed when
///   `rows < cols`, and scaled by `gain`. Modified Gram–Schmidt in `Double` gives exactly that Q.
/// - `uniform(min:max:)`: U(min, max) (Keras' Embedding default is ±0.05).
/// - `zeros`, `ones`: constants.
/// Values are drawn row-major, one `nextFloat()` (or `nextGaussian()`) per element.
/// Cost: O(n) draws; orthogonal adds O(rows·cols·min) flops. Never fails.
public enum Initializer: Sendable, Equatable {
    case glorotUniform
    case orthogonal(gain: Float = 1)
    case uniform(min: Float, max: Float)
    case zeros
    case ones

    /// Keras' `RandomUniform` default range used by `Embedding`.
    public static let embeddingUniform = Initializer.uniform(min: -0.05, max: 0.05)

    /// A tensor of `shape` initialised from `rng`.
    public func make(shape: [Int], rng: inout SeededRandom) -> Tensor {
        switch self {
        case .zeros: return Tensor(shape: shape)
        case .ones: return Tensor(shape: shape, repeating: 1)
        case .uniform(let lo, let hi): return Initializer.uniformTensor(shape: shape, min: lo, max: hi, rng: &rng)
        case .glorotUniform:
            let (fanIn, fanOut) = Initializer.fans(shape)
            let limit = Float((6.0 / Double(max(1, fanIn + fanOut))).squareRoot())
            return Initializer.uniformTensor(shape: shape, min: -limit, max: limit, rng: &rng)
        case .orthogonal(let gain):
            return Initializer.orthogonalTensor(shape: shape, gain: gain, rng: &rng)
        }
    }

    /// Keras' `compute_fans`: `(fan_in, fan_out)` for a weight shape.
    public static func fans(_ shape: [Int]) -> (Int, Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (shape[0], shape[0])
        case 2: return (shape[0], shape[1])
        default:
            let receptive = shape.dropLast(2).reduce(1, *)
            return (shape[shape.count - 2] * receptive, shape[shape.count - 1] * receptive)
        }
    }

    static func uniformTensor(shape: [Int], min lo: Float, max hi: Float, rng: inout SeededRandom) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.data[i] = lo + (hi - lo) * rng.nextFloat() }
        return t
    }

    static func orthogonalTensor(shape: [Int], gain: Float, rng: inout SeededRandom) -> Tensor {
        precondition(shape.count >= 2, "orthogonal needs a matrix, received shape \(shape)")
        let rows = shape.dropLast().reduce(1, *), cols = shape[shape.count - 1]
        let m = max(rows, cols), n = min(rows, cols)
        // a: [m, n] Gaussian, stored column-major for Gram–Schmidt on columns.
        var a = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { a[j * m + i] = rng.nextGaussian() } }
        for j in 0..<n {
            for p in 0..<j {  // modified Gram–Schmidt: remove the projections on earlier columns
                var dot = 0.0
                for i in 0..<m { dot += a[p * m + i] * a[j * m + i] }
                for i in 0..<m { a[j * m + i] -= dot * a[p * m + i] }
            }
            var norm = 0.0
            for i in 0..<m { norm += a[j * m + i] * a[j * m + i] }
            norm = norm.squareRoot()
            let inv = norm > 0 ? 1 / norm : 0
            for i in 0..<m { a[j * m + i] *= inv }
        }
        var t = Tensor(shape: shape)
        // Q is [m, n]; the result is Q ([rows, cols] = [m, n]) or Qᵀ when rows < cols.
        for r in 0..<rows {
            for c in 0..<cols {
                let q = rows >= cols ? a[c * m + r] : a[r * m + c]
                t.data[r * cols + c] = Float(q) * gain
            }
        }
        return t
    }
}
