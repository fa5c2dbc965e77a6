import PipelineCore

/// Keras' `Conv1D` padding: `valid` (no padding, the output shrinks) or `same`
/// (zeros so that `T' = ceil(T / strides)`; the extra zero goes to the right when odd).
extension Conv1D { public enum Padding: String, Sendable, Codable, CaseIterable { case valid, same } }

/// A 1-D convolution over time, as Keras' `Conv1D` (channels last, dilation 1, groups 1).
///
/// ```swift
/// Sequential([Embedding(inputDim: 10_000, outputDim: 128), Conv1D(filters: 32, kernelSize: 7, activation: .relu),
///             MaxPooling1D(poolSize: 5), Conv1D(filters: 32, kernelSize: 7, activation: .relu), GlobalMaxPooling1D(), Dense(units: 1)])
/// ```
///
/// Shapes (`B` batch, `T` timesteps, `C` input channels, `K` kernel size, `F` filters, `S` strides):
/// `[B, T, C]` → `[B, T', F]` with `T' = ⌊(T−K)/S⌋+1` (valid) or `⌈T/S⌉` (same).
/// Parameters `kernel` `[K, C, F]` (glorot_uniform with fan_in `K·C`, fan_out `K·F`), `bias` `[F]`.
/// Method: the plain path below (``forwardPerTap(_:padded:kernel:bias:activation:)`` and
/// ``backwardPerTap(_:dy:output:padded:kernel:bias:activation:inputGradient:windowedWeightGradient:)``)
/// runs one GEMM per tap over the whole flattened batch; ``Conv1DWindowed`` replaces it with
/// one product over overlapping windows where the hand kernel runs (`F` a multiple of 8 and
/// AVX2/FMA; for the input gradient also `C` a multiple of 8 and `S = 1`). The geometry
/// (padding, the flattened batch's rows): ``Conv1DGeometry``.
/// Cost: `2·B·T'·K·C·F` flops forward, twice that backward; memory `B·Tp·C` for the padded
/// input. `build` throws ``InputError`` when the input is not `[T, C]` or `T < K` with `valid`.
public final class Conv1D: Layer {
    public let kind = "Conv1D"
    public var name: String
    public let filters: Int, kernelSize: Int, strides: Int
    public let padding: Padding
    public let activation: Activation
    public var computesInputGradient = true
    public private(set) var kernel: Parameter?          // [K, C, F]
    public private(set) var bias: Parameter?            // [F]
    private var geometry: Conv1DGeometry?
    private var lastPadded: Tensor?                    // [B, Tp, C]
    private var lastOutput: Tensor?                    // [B, T', F]

    public init(filters: Int, kernelSize: Int, strides: Int = 1, padding: Padding = .valid,
                activation: Activation = .linear, name: String = "") {
        precondition(filters > 0 && kernelSize > 0 && strides > 0,
                     "Conv1D filters, kernel_size and strides must be > 0, received \(filters), \(kernelSize), \(strides)")
        self.filters = filters; self.kernelSize = kernelSize; self.strides = strides
        self.padding = padding; self.activation = activation; self.name = name
    }

    public var parameters: [Parameter] { [kernel, bias].compactMap { $0 } }

    public var config: [String: ConfigValue] {
        ["name": .string(name), "filters": .int(filters), "kernel_size": .list([.int(kernelSize)]),
         "strides": .list([.int(strides)]), "padding": .string(padding.rawValue),
         "activation": .string(activation.rawValue), "use_bias": .bool(true)]
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw InputError("layer '\(name)' (Conv1D) expects input [timesteps, channels], got shape \(inputShape)")
        }
        let k = kernelSize, c = inputShape[1]
        guard padding == .same || inputShape[0] >= k else {
            throw InputError("layer '\(name)' (Conv1D) with kernel_size \(k) needs at least \(k) timesteps, got shape \(inputShape)")
        }
        let g = Conv1DGeometry(timesteps: inputShape[0], channels: c, kernelSize: k, strides: strides,
                               filters: filters, padding: padding)
        geometry = g
        kernel = Parameter(name: "\(name)/kernel", value: Initializer.glorotUniform.make(shape: [k, c, filters], rng: &rng))
        bias = Parameter(name: "\(name)/bias", value: Tensor(shape: [filters]))
        return [g.tOut, filters]
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard let kernel, let bias, let g = geometry else { preconditionFailure("Conv1D '\(name)' used before build") }
        precondition(x.rank == 3 && x.shape[1] == g.t && x.shape[2] == g.c, "Conv1D '\(name)' expects [B, \(g.t), \(g.c)], got \(x.shape)")
        let xp = g.needsPadding ? g.pad(x) : x
        let y = Conv1DWindowed.runsForward(g)
            ? Conv1DWindowed.forward(g, padded: xp, kernel: kernel, bias: bias, activation: activation)
            : Self.forwardPerTap(g, padded: xp, kernel: kernel, bias: bias, activation: activation)
        if context.training { lastPadded = xp; lastOutput = y }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let kernel, let bias, let g = geometry, let xp = lastPadded, let y = lastOutput else {
            preconditionFailure("Conv1D '\(name)': backward without a training forward")
        }
        let wantsDx = computesInputGradient
        let dxp = Conv1DWindowed.runsBackward(g, inputGradient: wantsDx)
            ? Conv1DWindowed.backward(g, dy: dy, output: y, padded: xp, kernel: kernel, bias: bias,
                                      activation: activation, inputGradient: wantsDx)
            : Self.backwardPerTap(g, dy: dy, output: y, padded: xp, kernel: kernel, bias: bias, activation: activation,
                                  inputGradient: wantsDx, windowedWeightGradient: Conv1DWindowed.runsForward(g))
        lastPadded = nil; lastOutput = nil
        guard wantsDx else { return dxp }
        return g.needsPadding ? g.unpad(dxp, batch: y.shape[0]) : dxp
    }
}

// MARK: - The plain path
//
// Legend (``Conv1DGeometry``): xp [B, Tp, C] read as one [B·Tp, C] matrix; W [K, C, F], tap k
// W_k [C, F]; full and dfull [R, F], the strided rows over the flattened batch (sample i's
// T' rows start at i·Tp/S, the rows between samples straddle two of them); y, dy [B, T', F].
//
//   forward                                   backward
//   full[r] = Σ_k xp[r·S + k] · W_k            dz = act'(y) ⊙ dy;  db += Σ dz
//   y_i[j] = act(full[i·Tp/S + j] + b)         dfull[i·Tp/S + j] = dz_i[j], zeros between samples
//                                              dW_k += Σ_r xp[r·S + k]ᵀ · dfull[r]
//                                              dxp[r·S + k] += dfull[r] · W_kᵀ
//
// Every line with a `k` is K GEMMs over all R rows at once (row stride S·C), any F and C.
extension Conv1D {
    /// `y[B, T', F]` from the padded input `xp[B, Tp, C]`, by the per-tap products.
    static func forwardPerTap(_ g: Conv1DGeometry, padded xp: Tensor, kernel: Parameter, bias: Parameter,
                              activation: Activation) -> Tensor {
        let b = xp.shape[0]
        var y = Tensor(shape: [b, g.tOut, g.f])
        var full = Tensor(shape: [g.fullRows(batch: b), g.f])
        forwardPerTap(g, batch: b, x: xp.data, w: kernel.value.data, bias: bias.value.data,
                      full: &full.data, y: &y.data, activation: activation)
        return y
    }

    private static func forwardPerTap(_ g: Conv1DGeometry, batch b: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                      bias: UnsafePointer<Float>, full: UnsafeMutablePointer<Float>,
                                      y: UnsafeMutablePointer<Float>, activation: Activation) {
        let rows = g.fullRows(batch: b), c = g.c, f = g.f
        for k in 0..<g.k {                                      // full[r] += xp[r·S + k] · W_k
            Gemm.multiply(m: rows, n: f, k: c, a: x + k * c, lda: g.s * c, b: w + k * c * f, ldb: f,
                          beta: k == 0 ? 0 : 1, c: full, ldc: f)
        }
        for i in 0..<b {                                        // y_i[j] = full[i·Tp/S + j] + b
            for j in 0..<g.tOut {
                let src = full + (i * g.perSample + j) * f, dst = y + (i * g.tOut + j) * f
                for q in 0..<f { dst[q] = src[q] + bias[q] }
            }
        }
        activation.apply(y, rows: b * g.tOut, width: f)
    }

    /// Adds `dW`, `db` into the parameters' gradients and returns `dxp[B, Tp, C]` (an empty
    /// tensor without `inputGradient`), by the per-tap products; with `windowedWeightGradient`
    /// the weight gradient is ``Conv1DWindowed``'s one product instead (its `runsForward` must
    /// hold). With dx on a batch worth two threads, dW and dx run on one thread each.
    static func backwardPerTap(_ g: Conv1DGeometry, dy: Tensor, output y: Tensor, padded xp: Tensor,
                               kernel: Parameter, bias: Parameter, activation: Activation,
                               inputGradient: Bool, windowedWeightGradient: Bool) -> Tensor {
        let b = y.shape[0]
        var dz = dy
        var dfull = Tensor(shape: [b * g.perSample, g.f])
        stageGradient(g, batch: b, y: y.data, dz: &dz.data, db: &bias.grad.data, dfull: &dfull.data, activation: activation)
        var dxp = Tensor(shape: inputGradient ? xp.shape : [0])   // the per-tap products accumulate
        productsPerTap(g, batch: b, dfull: dfull.data, x: xp.data, w: kernel.value.data, dW: &kernel.grad.data,
                       dx: &dxp.data, inputGradient: inputGradient, windowedWeightGradient: windowedWeightGradient)
        return dxp
    }

    /// `dz = act'(y) ⊙ dz` in place, `db += Σ dz`, and `dz` copied to its sample's rows of `dfull`.
    private static func stageGradient(_ g: Conv1DGeometry, batch b: Int, y: UnsafePointer<Float>,
                                      dz: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>,
                                      dfull: UnsafeMutablePointer<Float>, activation: Activation) {
        let rows = b * g.tOut, f = g.f
        activation.backward(y: y, dy: dz, rows: rows, width: f)
        Kernels.columnSums(rows: rows, cols: f, dz, ld: f, into: db)
        Conv1DGeometry.copyBlocks(b, length: g.tOut * f, from: dz, stride: g.tOut * f, offset: 0,
                                  to: dfull, stride: g.perSample * f, offset: 0)
    }

    private static func productsPerTap(_ g: Conv1DGeometry, batch b: Int, dfull: UnsafePointer<Float>,
                                       x: UnsafePointer<Float>, w: UnsafePointer<Float>, dW: UnsafeMutablePointer<Float>,
                                       dx: UnsafeMutablePointer<Float>, inputGradient: Bool, windowedWeightGradient: Bool) {
        let rows = g.fullRows(batch: b), c = g.c, f = g.f, ld = g.s * c
        let dWProducts = {
            if windowedWeightGradient {
                Conv1DWindowed.weightGradient(g, rows: rows, padded: x, dfull: dfull, into: dW)
                return
            }
            for k in 0..<g.k {                                  // dW_k[C, F] += xp_kᵀ · dfull
                Gemm.multiply(transA: true, m: c, n: f, k: rows, a: x + k * c, lda: ld,
                              b: dfull, ldb: f, beta: 1, c: dW + k * c * f, ldc: f)
            }
        }
        let dxProducts = {
            guard inputGradient else { return }
            for k in 0..<g.k {                                  // dxp[r·S + k] += dfull[r] · W_kᵀ
                Gemm.multiply(transB: true, m: rows, n: c, k: f, a: dfull, lda: f,
                              b: w + k * c * f, ldb: f, beta: 1, c: dx + k * c, ldc: ld)
            }
        }
        if inputGradient && g.splits(batch: b) {
            ParallelPair.run(dWProducts, dxProducts)
        } else {
            dWProducts(); dxProducts()
        }
    }
}
