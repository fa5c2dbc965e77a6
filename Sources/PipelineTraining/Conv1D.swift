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
/// Method: im2col without the copy. The (padded) batch is one long `[B·Tp, C]` matrix, so the
/// window of output row `r` is `K·C` contiguous floats starting at row `r·S`: with the hand kernel
/// (`F` a multiple of 8, AVX2) the forward pass is one product per sample over overlapping rows
/// (`lda = S·C`), and with `S = 1` the input gradient is one product over windows of the output
/// gradient with the kernel reversed in time. Backward then runs one sample at a time (its
/// gradient rows stay in cache for the weight, bias and input gradients), each half of a large
/// batch on its own thread, as does the forward. Otherwise (and for the input gradient when
/// `S > 1`) tap `k` of the kernel is one GEMM over all rows at once (row stride `S·C`): `K`
/// GEMMs of `(B·Tp/S)×C×F`, the `(K−1)/Tp` rows that straddle two samples dropped.
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

    /// Uses the windowed products (see the type's doc) when the hand kernel can run; tests set
    /// it to `false` to compare against the per-tap products.
    var windowedProducts = true

    /// Whether a batch of `b` samples is worth two threads (2^20+ multiply-adds).
    private func splits(batch b: Int) -> Bool { b >= 2 && b * tOut * kernelSize * c * filters >= 1 << 20 }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard let kernel, let bias else { preconditionFailure("Conv1D '\(name)' used before build") }
        precondition(x.rank == 3 && x.shape[1] == t && x.shape[2] == c, "Conv1D '\(name)' expects [B, \(t), \(c)], got \(x.shape)")
        let b = x.shape[0], f = filters, s = strides, kc = kernelSize * c
        let xp = needsPadding ? pad(x) : x
        let windowed = windowedProducts && Kernels.handGemmAvailable(n: f)
        var y = windowed ? Tensor(uninitializedShape: [b, tOut, f]) : Tensor(shape: [b, tOut, f])
        if windowed {
            // y_i[r] = xp_i[r·S ..< r·S+K] (K·C contiguous floats) · W[K·C, F]: one product per sample.
            xp.data.withUnsafeBufferPointer { xb in
                kernel.value.data.withUnsafeBufferPointer { wb in
                    bias.value.data.withUnsafeBufferPointer { bb in
                        y.data.withUnsafeMutableBufferPointer { yb in
                            let xs = xb.baseAddress!, ws = wb.baseAddress!, bs = bb.baseAddress!, ys = yb.baseAddress!
                            ParallelPair.overHalves(b, split: splits(batch: b)) { range in
                                for i in range {
                                    let yi = ys + i * tOut * f
                                    Kernels.handGemm(m: tOut, n: f, k: kc, a: xs + i * tPadded * c, lda: s * c,
                                                     b: ws, ldb: f, c: yi, ldc: f)
                                    for j in 0..<tOut { let row = yi + j * f; for q in 0..<f { row[q] += bs[q] } }
                                    activation.apply(yi, rows: tOut, width: f)
                                }
                            }
                        }
                    }
                }
            }
        } else {
            forwardPerTap(xp, into: &y)
        }
        if context.training { lastPadded = xp; lastOutput = y }
        return y
    }

    /// The general path: `K` products over the whole flattened batch (any `F`, no hand kernel).
    private func forwardPerTap(_ xp: Tensor, into y: inout Tensor) {
        guard let kernel, let bias else { return }
        let b = y.shape[0], f = filters, s = strides, rows = fullRows(batch: b), perSample = tPadded / s
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
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let kernel, let bias, let xp = lastPadded, let y = lastOutput else {
            preconditionFailure("Conv1D '\(name)': backward without a training forward")
        }
        if windowedProducts && Kernels.handGemmAvailable(n: filters)
            && (!computesInputGradient || (strides == 1 && Kernels.handGemmAvailable(n: c))) {
            return backwardBySample(dy, output: y, padded: xp, kernel: kernel, bias: bias)
        }
        // The general path (strides > 1 with dx, or a channel count the hand kernel cannot take),
        // over the whole flattened batch (`dfull`: zeros on the rows that straddle two samples):
        // the weight gradient by windows when the hand kernel takes `F`, else per tap; the input
        // gradient per tap.
        let b = y.shape[0], f = filters, s = strides, rows = fullRows(batch: b), perSample = tPadded / s
        var dz = dy
        var dfull = Tensor(shape: [b * perSample, f])
        dz.data.withUnsafeMutableBufferPointer { dzb in
            y.data.withUnsafeBufferPointer { activation.backward(y: $0.baseAddress!, dy: dzb.baseAddress!, rows: b * tOut, width: f) }
            bias.grad.data.withUnsafeMutableBufferPointer { gb in
                Kernels.columnSums(rows: b * tOut, cols: f, dzb.baseAddress!, ld: f, into: gb.baseAddress!)
            }
            dfull.data.withUnsafeMutableBufferPointer { fb in
                for i in 0..<b {
                    (fb.baseAddress! + i * perSample * f).update(from: dzb.baseAddress! + i * tOut * f, count: tOut * f)
                }
            }
        }
        var dxp = Tensor(shape: computesInputGradient ? xp.shape : [0])    // the per-tap products accumulate
        dfull.data.withUnsafeBufferPointer { fbAll in
            xp.data.withUnsafeBufferPointer { xb in
                kernel.grad.data.withUnsafeMutableBufferPointer { gb in
                    kernel.value.data.withUnsafeBufferPointer { wb in
                        dxp.data.withUnsafeMutableBufferPointer { db in
                            let fb = fbAll.baseAddress!, gp = gb.baseAddress!, dp = db.baseAddress, xs = xb.baseAddress!
                            let ws = wb.baseAddress!, kc = kernelSize * c
                            let weightGradient = {
                                if self.windowedProducts && Kernels.handGemmAvailable(n: f) {
                                    // dW[K·C, F] += Σ_r window_rᵀ · dfull[r]
                                    Kernels.handGemm(transA: true, m: kc, n: f, k: rows, a: xs, lda: s * self.c,
                                                     b: fb, ldb: f, beta: 1, c: gp, ldc: f)
                                    return
                                }
                                for k in 0..<self.kernelSize {          // dW_k[C, F] += xp_kᵀ · dfull
                                    Gemm.multiply(transA: true, m: self.c, n: f, k: rows, a: xs + k * self.c, lda: s * self.c,
                                                  b: fb, ldb: f, beta: 1, c: gp + k * self.c * f, ldc: f)
                                }
                            }
                            let inputGradient = {
                                guard self.computesInputGradient, let dp else { return }
                                for k in 0..<self.kernelSize {          // dxp[r·S + k] += dfull[r] · W_kᵀ
                                    Gemm.multiply(transB: true, m: rows, n: self.c, k: f, a: fb, lda: f,
                                                  b: ws + k * self.c * f, ldb: f, beta: 1,
                                                  c: dp + k * self.c, ldc: s * self.c)
                                }
                            }
                            if computesInputGradient && splits(batch: b) {
                                ParallelPair.run(weightGradient, inputGradient)
                            } else {
                                weightGradient(); inputGradient()
                            }
                        }
                    }
                }
            }
        }
        lastPadded = nil; lastOutput = nil
        guard computesInputGradient else { return dxp }
        return needsPadding ? unpad(dxp, batch: b) : dxp
    }

    /// The windowed backward, one sample at a time on two threads over halves of the batch, so
    /// that a sample's gradient rows stay in cache through all three uses:
    /// `dz_i = act'(y_i) ⊙ dy_i` is staged between `K−1` zero rows above and `Tp−T'` below,
    /// `dW += window_iᵀ · dz_i`, `db += Σ dz_i`, and (with dx, `S = 1`) `dxp_i` is the product of
    /// the stage's windows (`K·F` contiguous floats) with the kernel reversed in time. Each half
    /// sums its samples into its own partial; the partials are added first half first, so the
    /// result depends on the batch size only, never on timing.
    private func backwardBySample(_ dy: Tensor, output y: Tensor, padded xp: Tensor,
                                  kernel: Parameter, bias: Parameter) -> Tensor {
        let b = y.shape[0], f = filters, s = strides, cc = c, kc = kernelSize * c, lead = kernelSize - 1
        let tOut = tOut, tPadded = tPadded, activation = activation
        let wantsDx = computesInputGradient, split = splits(batch: b), part = kc * f + f
        var dxp = Tensor(uninitializedShape: wantsDx ? xp.shape : [0])   // every sample's rows written
        let flipped = wantsDx ? flippedKernel() : []
        let parts = split ? 2 : 1
        var partials = [Float](repeating: 0, count: parts * part)
        dy.data.withUnsafeBufferPointer { dyb in
            y.data.withUnsafeBufferPointer { yb in
                xp.data.withUnsafeBufferPointer { xb in
                    dxp.data.withUnsafeMutableBufferPointer { db in
                        flipped.withUnsafeBufferPointer { wf in
                            partials.withUnsafeMutableBufferPointer { pb in
                                let dys = dyb.baseAddress!, ys = yb.baseAddress!, xs = xb.baseAddress!
                                // (An empty array's buffer may still have a base address: test `wantsDx`.)
                                let dxs = wantsDx ? db.baseAddress : nil, wfs = wantsDx ? wf.baseAddress : nil
                                let ps = pb.baseAddress!
                                ParallelPair.overHalves(b, split: split) { range in
                                    let dW = ps + (range.lowerBound == 0 ? 0 : part), dB = dW + kc * f
                                    let stage = UnsafeMutablePointer<Float>.allocate(capacity: (lead + tPadded) * f)
                                    defer { stage.deallocate() }
                                    stage.initialize(repeating: 0, count: (lead + tPadded) * f)
                                    let dz = stage + lead * f
                                    for i in range {
                                        dz.update(from: dys + i * tOut * f, count: tOut * f)
                                        activation.backward(y: ys + i * tOut * f, dy: dz, rows: tOut, width: f)
                                        Kernels.columnSums(rows: tOut, cols: f, dz, ld: f, into: dB)
                                        Kernels.handGemm(transA: true, m: kc, n: f, k: tOut, a: xs + i * tPadded * cc, lda: s * cc,
                                                         b: dz, ldb: f, beta: 1, c: dW, ldc: f)
                                        if let dxs, let wfs {
                                            Kernels.handGemm(m: tPadded, n: cc, k: kc / cc * f, a: stage, lda: f,
                                                             b: wfs, ldb: cc, c: dxs + i * tPadded * cc, ldc: cc)
                                        }
                                    }
                                }
                                for q in 0..<parts {
                                    kernel.accumulateGrad(ps + q * part)
                                    bias.accumulateGrad(ps + q * part + kc * f)
                                }
                            }
                        }
                    }
                }
            }
        }
        lastPadded = nil; lastOutput = nil
        guard wantsDx else { return dxp }
        return needsPadding ? unpad(dxp, batch: b) : dxp
    }

    /// `[K·F, C]` with row `(K−1−k)·F + q`, column `ci` = `W[k, ci, q]`: the kernel reversed in
    /// time and transposed per tap, so that the input gradient is a product over windows.
    private func flippedKernel() -> [Float] {
        guard let kernel else { return [] }
        let k = kernelSize, f = filters
        var out = [Float](repeating: 0, count: k * f * c)
        kernel.value.data.withUnsafeBufferPointer { w in
            for tap in 0..<k {
                for ci in 0..<c {
                    for q in 0..<f { out[((k - 1 - tap) * f + q) * c + ci] = w[(tap * c + ci) * f + q] }
                }
            }
        }
        return out
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
