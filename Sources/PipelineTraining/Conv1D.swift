import PipelineCore

/// Keras' `Conv1D` padding: `valid` (no padding, the output shrinks) or `same`
/// (zeros so that `T' = ceil(T / strides)`; the extra zero goes to the right when odd).
public enum Padding: String, Sendable, Codable, CaseIterable { case valid, same }

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
/// Method: im2col without the copy. The (padded) batch is one long `[B·Tp, C]` matrix, and tap `k`
/// of the kernel is one GEMM over all rows at once (row stride `S·C`), so `K` GEMMs of
/// `(B·Tp/S)×C×F` do the work and the `(K−1)/Tp` rows that straddle two samples are dropped.
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
    private var t = 0, c = 0, tOut = 0, padLeft = 0, tPadded = 0
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
        t = inputShape[0]; c = inputShape[1]
        let k = kernelSize, s = strides
        switch padding {
        case .valid:
            guard t >= k else {
                throw InputError("layer '\(name)' (Conv1D) with kernel_size \(k) needs at least \(k) timesteps, got shape \(inputShape)")
            }
            tOut = (t - k) / s + 1; padLeft = 0
        case .same:
            tOut = (t + s - 1) / s
            padLeft = max((tOut - 1) * s + k - t, 0) / 2
        }
        let needed = max((tOut - 1) * s + k, padLeft + t)
        tPadded = (needed + s - 1) / s * s                      // a multiple of S: samples align
        kernel = Parameter(name: "\(name)/kernel", value: Initializer.glorotUniform.make(shape: [k, c, filters], rng: &rng))
        bias = Parameter(name: "\(name)/bias", value: Tensor(shape: [filters]))
        return [tOut, filters]
    }

    /// Rows of the strided "full" output over the flattened batch; sample b's outputs start at b·Tp/S.
    private func fullRows(batch: Int) -> Int { (batch - 1) * (tPadded / strides) + tOut }
    private var needsPadding: Bool { padLeft != 0 || tPadded != t }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard let kernel, let bias else { preconditionFailure("Conv1D '\(name)' used before build") }
        precondition(x.rank == 3 && x.shape[1] == t && x.shape[2] == c, "Conv1D '\(name)' expects [B, \(t), \(c)], got \(x.shape)")
        let b = x.shape[0], f = filters, s = strides, rows = fullRows(batch: b), perSample = tPadded / s
        let xp = needsPadding ? pad(x) : x
        var full = Tensor(shape: [rows, f])
        xp.data.withUnsafeBufferPointer { xb in
            kernel.value.data.withUnsafeBufferPointer { wb in
                full.data.withUnsafeMutableBufferPointer { yb in
                    for k in 0..<kernelSize {                   // full[r] += xp[r·S + k] · W_k
                        Gemm.multiply(m: rows, n: f, k: c, a: xb.baseAddress! + k * c, lda: s * c,
                                      b: wb.baseAddress! + k * c * f, ldb: f, beta: k == 0 ? 0 : 1,
                                      c: yb.baseAddress!, ldc: f)
                    }
                }
            }
        }
        var y = Tensor(shape: [b, tOut, f])
        y.data.withUnsafeMutableBufferPointer { yb in
            full.data.withUnsafeBufferPointer { fb in
                bias.value.data.withUnsafeBufferPointer { bb in
                    for i in 0..<b {
                        for j in 0..<tOut {
                            let src = fb.baseAddress! + (i * perSample + j) * f, dst = yb.baseAddress! + (i * tOut + j) * f
                            for q in 0..<f { dst[q] = src[q] + bb[q] }
                        }
                    }
                }
            }
            activation.apply(yb.baseAddress!, rows: b * tOut, width: f)
        }
        if context.training { lastPadded = xp; lastOutput = y }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let kernel, let bias, let xp = lastPadded, let y = lastOutput else {
            preconditionFailure("Conv1D '\(name)': backward without a training forward")
        }
        let b = y.shape[0], f = filters, s = strides, rows = fullRows(batch: b), perSample = tPadded / s
        var dz = dy
        var dfull = Tensor(shape: [rows, f])                      // zeros on straddling rows
        dz.data.withUnsafeMutableBufferPointer { dzb in
            y.data.withUnsafeBufferPointer { activation.backward(y: $0.baseAddress!, dy: dzb.baseAddress!, rows: b * tOut, width: f) }
            dfull.data.withUnsafeMutableBufferPointer { fb in
                bias.grad.data.withUnsafeMutableBufferPointer { gb in
                    for i in 0..<b {
                        for j in 0..<tOut {
                            let src = dzb.baseAddress! + (i * tOut + j) * f, dst = fb.baseAddress! + (i * perSample + j) * f
                            for q in 0..<f { dst[q] = src[q]; gb[q] += src[q] }
                        }
                    }
                }
            }
        }
        var dxp = Tensor(shape: computesInputGradient ? xp.shape : [0])
        dfull.data.withUnsafeBufferPointer { fb in
            xp.data.withUnsafeBufferPointer { xb in
                kernel.grad.data.withUnsafeMutableBufferPointer { gb in
                    for k in 0..<kernelSize {                   // dW_k[C,F] += xp_kᵀ · dfull
                        Gemm.multiply(transA: true, m: c, n: f, k: rows, a: xb.baseAddress! + k * c, lda: s * c,
                                      b: fb.baseAddress!, ldb: f, beta: 1, c: gb.baseAddress! + k * c * f, ldc: f)
                    }
                }
            }
            guard computesInputGradient else { return }
            kernel.value.data.withUnsafeBufferPointer { wb in
                dxp.data.withUnsafeMutableBufferPointer { db in
                    for k in 0..<kernelSize {                   // dxp[r·S + k] += dfull[r] · W_kᵀ
                        Gemm.multiply(transB: true, m: rows, n: c, k: f, a: fb.baseAddress!, lda: f,
                                      b: wb.baseAddress! + k * c * f, ldb: f, beta: 1,
                                      c: db.baseAddress! + k * c, ldc: s * c)
                    }
                }
            }
        }
        lastPadded = nil; lastOutput = nil
        guard computesInputGradient else { return dxp }
        return needsPadding ? unpad(dxp, batch: b) : dxp
    }

    private func pad(_ x: Tensor) -> Tensor {                    // [B, T, C] → [B, Tp, C]
        let b = x.shape[0]
        var out = Tensor(shape: [b, tPadded, c])
        out.data.withUnsafeMutableBufferPointer { ob in
            x.data.withUnsafeBufferPointer { xb in
                for i in 0..<b {
                    (ob.baseAddress! + (i * tPadded + padLeft) * c).update(from: xb.baseAddress! + i * t * c, count: t * c)
                }
            }
        }
        return out
    }

    private func unpad(_ dxp: Tensor, batch b: Int) -> Tensor { // [B, Tp, C] → [B, T, C]
        var dx = Tensor(shape: [b, t, c])
        dx.data.withUnsafeMutableBufferPointer { ob in
            dxp.data.withUnsafeBufferPointer { pb in
                for i in 0..<b {
                    (ob.baseAddress! + i * t * c).update(from: pb.baseAddress! + (i * tPadded + padLeft) * c, count: t * c)
                }
            }
        }
        return dx
    }
}
