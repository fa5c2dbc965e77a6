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
        y.data.withUnsafeMutableBufferPointer { yp in
            if let bias {
                bias.value.data.withUnsafeBufferPointer { bp in
                    for r in 0..<rows { (yp.baseAddress! + r * h).update(from: bp.baseAddress!, count: h) }
                }
            }
            x.data.withUnsafeBufferPointer { xp in
                kernel.value.data.withUnsafeBufferPointer { wp in
                    let xs = xp.baseAddress!, ws = wp.baseAddress!, ys = yp.baseAddress!, beta: Float = bias == nil ? 0 : 1
                    ParallelPair.overHalves(rows, split: Self.splits(rows, work: rows * f * h)) { r in
                        Kernels.gemm(m: r.count, n: h, k: f, a: xs + r.lowerBound * f, lda: f, b: ws, ldb: h,
                                     beta: beta, c: ys + r.lowerBound * h, ldc: h)
                    }
                }
            }
            activation.apply(yp.baseAddress!, rows: rows, width: h)
        }
        if context.training { lastInput = x; lastOutput = y }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let kernel, let x = lastInput, let y = lastOutput else {
            preconditionFailure("Dense '\(name)': backward without a training forward")
        }
        let f = inputFeatures, h = units, rows = x.count / f
        var dz = dy                                            // [rows, H] → dL/d(pre-activation)
        dz.data.withUnsafeMutableBufferPointer { dzp in
            y.data.withUnsafeBufferPointer { activation.backward(y: $0.baseAddress!, dy: dzp.baseAddress!, rows: rows, width: h) }
        }
        dz.data.withUnsafeBufferPointer { dzp in
            x.data.withUnsafeBufferPointer { xp in                    // dW[F,H] += xᵀ · dz
                kernel.grad.data.withUnsafeMutableBufferPointer { gp in
                    Kernels.accumulateTransposedProduct(split: Self.splits(rows, work: rows * f * h), m: f, n: h, k: rows,
                                                        a: xp.baseAddress!, lda: f, b: dzp.baseAddress!, ldb: h,
                                                        c: gp.baseAddress!, ldc: h)
                }
            }
            if let bias {                                              // db[H] += Σ_rows dz
                bias.grad.data.withUnsafeMutableBufferPointer { gp in
                    for r in 0..<rows { let row = dzp.baseAddress! + r * h; for j in 0..<h { gp[j] += row[j] } }
                }
            }
        }
        lastInput = nil; lastOutput = nil
        guard computesInputGradient else { return Tensor(shape: [0]) }
        var dx = Tensor(shape: x.shape)                                // dx[rows,F] = dz · Wᵀ
        dz.data.withUnsafeBufferPointer { dzp in
            kernel.value.data.withUnsafeBufferPointer { wp in
                dx.data.withUnsafeMutableBufferPointer { dxp in
                    let ds = dzp.baseAddress!, ws = wp.baseAddress!, xs = dxp.baseAddress!
                    ParallelPair.overHalves(rows, split: Self.splits(rows, work: rows * f * h)) { r in
                        Kernels.gemm(transB: true, m: r.count, n: f, k: h, a: ds + r.lowerBound * h, lda: h,
                                     b: ws, ldb: h, c: xs + r.lowerBound * f, ldc: f)
                    }
                }
            }
        }
        return dx
    }

    /// Whether `rows` rows of `work` multiply-adds are worth two threads (≥ 64 rows, ≥ 2^20).
    static func splits(_ rows: Int, work: Int) -> Bool { rows >= 64 && work >= 1 << 20 }

}
