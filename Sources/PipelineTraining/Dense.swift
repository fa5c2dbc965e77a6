import PipelineCore

/// A fully connected layer: `y = activation(x · kernel + bias)`, as Keras' `Dense`.
///
/// ```swift
/// let model = Sequential([Flatten(), Dense(units: 32, activation: .relu), Dense(units: 1)])
/// ```
///
/// Shapes (`B` batch, `T` timesteps, `F` input features, `H` units): input `[B, F]` → `[B, H]`,
/// or `[B, T, F]` → `[B, T, H]` (the same kernel at every timestep, as Keras applies `Dense`
/// to the last axis). Parameters: `kernel` `[F, H]` (glorot_uniform), `bias` `[H]` (zeros).
/// Cost: one GEMM of `2·B·T·F·H` flops forward, two backward (one when the input gradient is
/// not needed, see ``computesInputGradient``); products of 64+ rows and 2^20+ multiply-adds run
/// as two halves on two threads (the weight gradient's row sum as two partial sums, added).
/// `build` throws ``InputError`` for a rank-0 input.
public final class Dense: Layer {
    public let kind = "Dense"
    public var name: String
    public let units: Int
    public let activation: Activation
    public let useBias: Bool
    /// False when nothing upstream needs dL/dx (the first trainable layer): `backward` then
    /// skips one GEMM and returns an empty tensor. `Sequential` sets it at build.
    public var computesInputGradient = true
    public private(set) var kernel: Parameter?      // [F, H]
    public private(set) var bias: Parameter?        // [H]
    private var inputFeatures = 0
    private var lastInput: Tensor?                  // [B, (T,) F]
    private var lastOutput: Tensor?                 // [B, (T,) H], after the activation

    public init(units: Int, activation: Activation = .linear, useBias: Bool = true, name: String = "") {
        precondition(units > 0, "Dense units must be > 0, received \(units)")
        self.units = units; self.activation = activation; self.useBias = useBias; self.name = name
    }

    public var parameters: [Parameter] { [kernel, bias].compactMap { $0 } }

    public var config: [String: ConfigValue] {
        ["name": .string(name), "units": .int(units), "activation": .string(activation.rawValue),
         "use_bias": .bool(useBias)]
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        guard let f = inputShape.last, f > 0 else {
            throw InputError("layer '\(name)' (Dense) needs an input with a last axis, got shape \(inputShape)")
        }
        inputFeatures = f
        kernel = Parameter(name: "\(name)/kernel",
                           value: Initializer.glorotUniform.make(shape: [f, units], rng: &rng))
        bias = useBias ? Parameter(name: "\(name)/bias", value: Tensor(shape: [units])) : nil
        return Array(inputShape.dropLast()) + [units]
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard let kernel else { preconditionFailure("Dense '\(name)' used before build") }
        let f = inputFeatures, h = units
        precondition(x.shape.last == f, "Dense '\(name)' expects last axis \(f), got \(x.shape)")
        let rows = x.count / f
        var y = Tensor(shape: Array(x.shape.dropLast()) + [h])
        if let bias { Self.fillRows(rows, width: h, with: bias.value.data, into: &y.data) }
        Self.product(rows: rows, f: f, h: h, x: x.data, w: kernel.value.data, beta: bias == nil ? 0 : 1, into: &y.data)
        activation.apply(&y.data, rows: rows, width: h)
        if context.training { lastInput = x; lastOutput = y }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let kernel, let x = lastInput, let y = lastOutput else {
            preconditionFailure("Dense '\(name)': backward without a training forward")
        }
        let f = inputFeatures, h = units, rows = x.count / f
        var dz = dy                                            // [rows, H] → dL/d(pre-activation)
        activation.backward(y: y.data, dy: &dz.data, rows: rows, width: h)
        Kernels.accumulateTransposedProduct(split: Self.splits(rows, work: rows * f * h), m: f, n: h, k: rows,
                                            a: x.data, lda: f, b: dz.data, ldb: h,
                                            c: &kernel.grad.data, ldc: h)  // dW[F,H] += xᵀ · dz
        if let bias { Self.addRows(rows, width: h, of: dz.data, into: &bias.grad.data) }   // db[H] += Σ_rows dz
        lastInput = nil; lastOutput = nil
        guard computesInputGradient else { return Tensor(shape: [0]) }
        var dx = Tensor(shape: x.shape)                                // dx[rows,F] = dz · Wᵀ
        Self.productTransposed(rows: rows, f: f, h: h, dz: dz.data, w: kernel.value.data, into: &dx.data)
        return dx
    }

    /// `y[rows, H] = beta·y + x[rows, F] · W[F, H]`, as two halves of the rows on two threads when worth it.
    private static func product(rows: Int, f: Int, h: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                beta: Float, into y: UnsafeMutablePointer<Float>) {
        ParallelPair.overHalves(rows, split: splits(rows, work: rows * f * h)) { r in
            Kernels.gemm(m: r.count, n: h, k: f, a: x + r.lowerBound * f, lda: f, b: w, ldb: h,
                         beta: beta, c: y + r.lowerBound * h, ldc: h)
        }
    }

    /// `dx[rows, F] = dz[rows, H] · W[F, H]ᵀ`, as two halves of the rows on two threads when worth it.
    private static func productTransposed(rows: Int, f: Int, h: Int, dz: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                          into dx: UnsafeMutablePointer<Float>) {
        ParallelPair.overHalves(rows, split: splits(rows, work: rows * f * h)) { r in
            Kernels.gemm(transB: true, m: r.count, n: f, k: h, a: dz + r.lowerBound * h, lda: h,
                         b: w, ldb: h, c: dx + r.lowerBound * f, ldc: f)
        }
    }

    /// Every row of `y[rows, width]` set to `values[width]`.
    private static func fillRows(_ rows: Int, width: Int, with values: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { (y + r * width).update(from: values, count: width) }
    }

    /// `sums[j] += Σ_r m[r, j]`, row after row.
    private static func addRows(_ rows: Int, width: Int, of m: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { let row = m + r * width; for j in 0..<width { sums[j] += row[j] } }
    }

    /// Whether `rows` rows of `work` multiply-adds are worth two threads (≥ 64 rows, ≥ 2^20).
    static func splits(_ rows: Int, work: Int) -> Bool { rows >= 64 && work >= 1 << 20 }

}
