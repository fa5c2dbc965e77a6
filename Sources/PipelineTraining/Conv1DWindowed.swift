/// ``Conv1D``'s speed-up: im2col without the copy, on the hand kernel (``Kernels/handGemm(transA:m:n:k:a:lda:b:ldb:beta:c:ldc:)``).
///
/// ```swift
/// let y = Conv1DWindowed.runsForward(g)
///     ? Conv1DWindowed.forward(g, padded: xp, kernel: kernel, bias: bias, activation: .relu)
///     : Conv1D.forwardPerTap(g, padded: xp, kernel: kernel, bias: bias, activation: .relu)
/// ```
///
/// Method (legend: ``Conv1DGeometry``): the padded batch is one long `[B·Tp, C]` matrix, so the
/// window of output row `r` is `K·C` contiguous floats starting at row `r·S`. The hand kernel
/// accepts a row stride smaller than the row (`lda = S·C`, rows overlapping), so one product
/// reads every window in place, where the plain path (``Conv1D``) runs one product per tap:
/// - ``forward(_:padded:kernel:bias:activation:)``: `y_i = act(window_i · W[K·C, F] + b)`, one
///   product per sample, each half of a large batch on its own thread;
/// - ``backward(_:dy:output:padded:kernel:bias:activation:inputGradient:)``: one sample at a
///   time (its gradient rows stay in cache for all three uses), on two threads over halves;
/// - ``weightGradient(_:rows:padded:dfull:into:)``: `dW[K·C, F] += Σ_r window_rᵀ · dfull[r]`
///   over the whole flattened batch, which the plain backward uses when only `F` suits the kernel.
///
/// When each runs: ``runsForward(_:)`` and ``runsBackward(_:inputGradient:)`` (AVX2/FMA and `F`
/// a multiple of 8; the input gradient also `C` a multiple of 8 and `S = 1`). The results equal
/// the plain path's up to float rounding (another summation order; `Conv1DWindowedTests`), and
/// depend on the batch size only, never on timing.
/// Cost: the plain path's flops without BLAS' packing of the skinny operands (a quarter of a
/// Conv1D step); the backward allocates one `(K−1+Tp)·F` stage per half, `K·F·C` floats for
/// the reversed kernel and `(K·C·F+F)` per half for the partial gradients. Programmer errors
/// only (no throws): call a product only when its `runs…` predicate holds.
enum Conv1DWindowed {
    /// Whether ``forward(_:padded:kernel:bias:activation:)`` can run: the hand kernel takes `F`.
    static func runsForward(_ g: Conv1DGeometry) -> Bool { Kernels.handGemmAvailable(n: g.f) }

    /// Whether ``backward(_:dy:output:padded:kernel:bias:activation:inputGradient:)`` can run:
    /// `F` suits the hand kernel and, with the input gradient, so does `C` and `S = 1`.
    static func runsBackward(_ g: Conv1DGeometry, inputGradient: Bool) -> Bool {
        Kernels.handGemmAvailable(n: g.f) && (!inputGradient || (g.s == 1 && Kernels.handGemmAvailable(n: g.c)))
    }

    /// `y[B, T', F]` from the padded input `xp[B, Tp, C]`: `y_i[j] = act(xp_i[j·S ..< j·S+K] · W + b)`.
    static func forward(_ g: Conv1DGeometry, padded xp: Tensor, kernel: Parameter, bias: Parameter,
                        activation: Activation) -> Tensor {
        let b = xp.shape[0]
        var y = Tensor(uninitializedShape: [b, g.tOut, g.f])           // every row written
        forward(g, batch: b, x: xp.data, w: kernel.value.data, bias: bias.value.data, y: &y.data, activation: activation)
        return y
    }

    private static func forward(_ g: Conv1DGeometry, batch b: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, activation: Activation) {
        let tOut = g.tOut, f = g.f, kc = g.k * g.c, sampleRows = g.tPadded * g.c, lda = g.s * g.c
        ParallelPair.overHalves(b, split: g.splits(batch: b)) { range in
            for i in range {
                let yi = y + i * tOut * f
                Kernels.handGemm(m: tOut, n: f, k: kc, a: x + i * sampleRows, lda: lda, b: w, ldb: f, c: yi, ldc: f)
                for j in 0..<tOut { let row = yi + j * f; for q in 0..<f { row[q] += bias[q] } }
                activation.apply(yi, rows: tOut, width: f)
            }
        }
    }

    /// The backward by sample: adds `dW`, `db` into the parameters' gradients and returns
    /// `dxp[B, Tp, C]` (an empty tensor without `inputGradient`).
    ///
    /// For each sample, `dz_i = act'(y_i) ⊙ dy_i` is staged between `K−1` zero rows above and
    /// `Tp−T'` below, `dW += window_iᵀ · dz_i`, `db += Σ dz_i`, and (with dx, `S = 1`) `dxp_i` is
    /// the product of the stage's windows (`K·F` contiguous floats) with the kernel reversed in
    /// time (``flippedKernel(_:kernel:)``). Each half sums its samples into its own partial; the
    /// partials are added first half first.
    static func backward(_ g: Conv1DGeometry, dy: Tensor, output y: Tensor, padded xp: Tensor,
                         kernel: Parameter, bias: Parameter, activation: Activation, inputGradient: Bool) -> Tensor {
        let b = y.shape[0], split = g.splits(batch: b)
        var dxp = Tensor(uninitializedShape: inputGradient ? xp.shape : [0])    // every sample's rows written
        let flipped = inputGradient ? flippedKernel(g, kernel: kernel.value.data) : []
        var partials = [Float](repeating: 0, count: (split ? 2 : 1) * (g.k * g.c * g.f + g.f))
        backward(g, batch: b, split: split, dy: dy.data, y: y.data, x: xp.data, flipped: flipped,
                 dx: &dxp.data, inputGradient: inputGradient, partials: &partials, activation: activation)
        addPartials(g, partials, count: split ? 2 : 1, kernel: kernel, bias: bias)
        return dxp
    }

    private static func backward(_ g: Conv1DGeometry, batch b: Int, split: Bool,
                                 dy: UnsafePointer<Float>, y: UnsafePointer<Float>, x: UnsafePointer<Float>,
                                 flipped: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, inputGradient: Bool,
                                 partials: UnsafeMutablePointer<Float>, activation: Activation) {
        let f = g.f, c = g.c, kc = g.k * g.c, lead = g.k - 1, tOut = g.tOut, tPadded = g.tPadded
        let lda = g.s * c, part = kc * f + f
        ParallelPair.overHalves(b, split: split) { range in
            let dW = partials + (range.lowerBound == 0 ? 0 : part), dB = dW + kc * f
            let stage = UnsafeMutablePointer<Float>.allocate(capacity: (lead + tPadded) * f)
            defer { stage.deallocate() }
            stage.initialize(repeating: 0, count: (lead + tPadded) * f)
            let dz = stage + lead * f
            for i in range {
                dz.update(from: dy + i * tOut * f, count: tOut * f)
                activation.backward(y: y + i * tOut * f, dy: dz, rows: tOut, width: f)
                Kernels.columnSums(rows: tOut, cols: f, dz, ld: f, into: dB)
                Kernels.handGemm(transA: true, m: kc, n: f, k: tOut, a: x + i * tPadded * c, lda: lda,
                                 b: dz, ldb: f, beta: 1, c: dW, ldc: f)
                if inputGradient {
                    Kernels.handGemm(m: tPadded, n: c, k: g.k * f, a: stage, lda: f,
                                     b: flipped, ldb: c, c: dx + i * tPadded * c, ldc: c)
                }
            }
        }
    }

    /// `kernel.grad += dW_h`, `bias.grad += db_h` for each half `h` in order.
    private static func addPartials(_ g: Conv1DGeometry, _ partials: UnsafePointer<Float>, count: Int,
                                    kernel: Parameter, bias: Parameter) {
        let kcf = g.k * g.c * g.f
        for q in 0..<count {
            kernel.accumulateGrad(partials + q * (kcf + g.f))
            bias.accumulateGrad(partials + q * (kcf + g.f) + kcf)
        }
    }

    /// `dW[K·C, F] += Σ_r window_rᵀ · dfull[r]` over the `rows` strided rows of the flattened
    /// batch (`x` the padded input `[B·Tp, C]`, `dfull` `[R, F]`): one product for the plain
    /// path's `K`. Runs only when ``runsForward(_:)`` holds.
    static func weightGradient(_ g: Conv1DGeometry, rows: Int, padded x: UnsafePointer<Float>,
                               dfull: UnsafePointer<Float>, into dW: UnsafeMutablePointer<Float>) {
        Kernels.handGemm(transA: true, m: g.k * g.c, n: g.f, k: rows, a: x, lda: g.s * g.c,
                         b: dfull, ldb: g.f, beta: 1, c: dW, ldc: g.f)
    }

    /// `[K·F, C]` with row `(K−1−k)·F + q`, column `ci` = `W[k, ci, q]`: the kernel reversed in
    /// time and transposed per tap, so that the input gradient is a product over windows.
    static func flippedKernel(_ g: Conv1DGeometry, kernel w: UnsafePointer<Float>) -> [Float] {
        let k = g.k, c = g.c, f = g.f
        var out = [Float](repeating: 0, count: k * f * c)
        for tap in 0..<k {
            for ci in 0..<c {
                for q in 0..<f { out[((k - 1 - tap) * f + q) * c + ci] = w[(tap * c + ci) * f + q] }
            }
        }
        return out
    }
}
