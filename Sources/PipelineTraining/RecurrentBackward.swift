import CKernels

// Backward of the driver ``Recurrent``: the reverse time loop over chunks, with the per-chunk
// gradient GEMMs. Shape legend: `B` batch, `T` timesteps, `F` features, `H` units, `k` gates.
extension Recurrent {
    /// dL/dh_t from the layer's output gradient at processing step `s` (nil: none).
    func dyAt(_ s: Int, _ dyp: UnsafePointer<Float>) -> UnsafePointer<Float>? {
        if returnSequences { return dyp + s * batch * units }
        return s == steps - 1 ? dyp : nil
    }

    /// The whole batch on the calling thread, for the last ``forwardPlain(_:masks:)``
    /// (``backward(_:)`` may split it in two): dL/dx `[B, T, F]` (empty when not computed).
    func backwardPlain(_ dy: Tensor) -> Tensor {
        precondition(stashValid, "\(kind) '\(name)': backward needs a forward first (and runs once per forward)")
        stashValid = false
        guard let kernel, let recurrentKernel else { preconditionFailure("unbuilt layer") }
        let b = batch, t = steps, h = units, f = inputFeatures, kh = gates * units, n = t * b
        if returnSequences {
            precondition(dy.shape == [b, t, h], "\(kind) '\(name)': dy \(dy.shape) != \([b, t, h])")
            let p = dyBuf.reserve(n * h)
            dy.data.withUnsafeBufferPointer { TimeMajor.pack($0.baseAddress!, p, b: b, t: t, w: h, reverse: false) }
        } else {
            precondition(dy.shape == [b, h], "\(kind) '\(name)': dy \(dy.shape) != \([b, h])")
            dyBuf.load(dy.data)
        }
        let ut = wUT.reserve(kh * h), kt = wKT.reserve(kh * f)
        for i in 0..<h { for j in 0..<kh { ut[j * h + i] = wU.pointer[i * kh + j] } }
        for i in 0..<f { for j in 0..<kh { kt[j * f + i] = wK.pointer[i * kh + j] } }
        if let embedded { tableGrad.zeroed(embedded.vocabulary * kh) }
        let wantsDx = computesInputGradient && embedded == nil

        let biasCount = bias?.value.count ?? 0
        let dK = gradBuf.zeroed(f * kh + h * kh + biasCount)
        let dU = dK + f * kh, dB = dU + h * kh
        let dxt = dxBuf.reserve(wantsDx ? n * f : 0)
        dhBuf.zeroed(b * h)
        let chunk = chunkSteps
        // Chunks last to first: the steps turn a chunk's gates into gradients, which the chunk's
        // GEMMs for dkernel, drecurrent_kernel, bias and dx consume while still in cache.
        masks.withPointers { mi, mr in
            let st = stepPointers(recurrentMasks: mr, inputRows: nil, ids: nil)
            cell.beginBackward(st)
            let spans = cell.gradientSpans(st)
            for s1 in stride(from: t, to: 0, by: -chunk) {
                let range = max(0, s1 - chunk)..<s1
                for s in range.reversed() { cell.backward(step: s, dy: dyAt(s, dyBuf.pointer), st) }
                if embedded != nil {
                    embeddedGradients(spans.input, steps: range, dB: useBias ? dB : nil)
                } else {
                    inputGradients(spans.input, steps: range, masks: mi, dK: dK, dB: useBias ? dB : nil, dx: wantsDx ? dxt : nil)
                }
                recurrentGradients(spans.recurrent, steps: range, masks: mr, dU: dU,
                                   dB: useBias ? spans.recurrentBiasOffset.map { dB + $0 } : nil)
            }
        }
        kernel.accumulateGrad(dK)
        recurrentKernel.accumulateGrad(dU)
        bias?.accumulateGrad(dB)
        guard wantsDx else { return Tensor(shape: [0]) }
        let dx = [Float](unsafeUninitializedCapacity: n * f) { buf, count in
            TimeMajor.unpack(dxt, buf.baseAddress!, b: b, t: t, w: f, reverse: goBackwards)
            count = n * f
        }
        return Tensor(shape: [b, t, f], data: dx)
    }

    /// dK, input-side bias and dx (time-major) from the input spans, one GEMM per span (per gate
    /// under per-gate masks).
    private func inputGradients(_ spans: [InputGradSpan], steps range: Range<Int>, masks m: UnsafePointer<Float>?,
                                dK: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>?,
                                dx dxAll: UnsafeMutablePointer<Float>?) {
        let b = batch, t = range.count, h = units, f = inputFeatures, kh = gates * units, n = t * b
        let r0 = range.lowerBound * b, x = xs.pointer + r0 * f
        let dx = dxAll.map { $0 + r0 * f }                      // nil: weights and bias only
        let groups = masks.inputCount
        let perGate = groups > 1
        var list = spans.map { InputGradSpan(gate0: $0.gate0, gates: $0.gates, dz: $0.dz + r0 * $0.ld, ld: $0.ld) }
        if perGate {
            list = list.flatMap { s in (0..<s.gates).map { InputGradSpan(gate0: s.gate0 + $0, gates: 1, dz: s.dz + $0 * h, ld: s.ld) } }
        }
        var source = UnsafePointer(x)
        let xm = scratch.reserve(n * f)
        if groups == 1 { maskRows(x, m!, xm, rows: t, rowSize: b * f); source = UnsafePointer(xm) }
        let tmp = perGate && dx != nil ? gateDx.reserve(n * f) : dx
        if perGate { dx?.update(repeating: 0, count: n * f) }
        for (i, s) in list.enumerated() {
            let w = s.gates * h, col = s.gate0 * h
            if perGate { maskRows(x, m! + s.gate0 * b * f, xm, rows: t, rowSize: b * f); source = UnsafePointer(xm) }
            Kernels.gemm(transA: true, m: f, n: w, k: n, a: source, lda: f, b: s.dz, ldb: s.ld,
                         beta: 1, c: dK + col, ldc: kh)
            if let dx, let tmp {
                Kernels.gemm(m: n, n: f, k: w, a: s.dz, lda: s.ld, b: wKT.pointer + col * f, ldb: f,
                             beta: (perGate || i == 0) ? 0 : 1, c: tmp, ldc: f)
                if perGate {
                    for r in 0..<t { ck_fma_acc(b * f, tmp + r * b * f, m! + s.gate0 * b * f, dx + r * b * f) }
                }
            }
            if let dB { ck_colsum_acc(n, Int32(w), s.dz, s.ld, dB + col) }
        }
        if groups == 1, let dx { for r in 0..<t { ck_mul(b * f, dx + r * b * f, m!, dx + r * b * f) } }
    }

    /// dU (and the recurrent-side bias) from the recurrent spans over all timesteps.
    private func recurrentGradients(_ spans: [RecurrentGradSpan], steps range: Range<Int>, masks m: UnsafePointer<Float>?,
                                    dU: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>?) {
        let b = batch, t = range.count, h = units, kh = gates * units, n = t * b, r0 = range.lowerBound * b
        for whole in spans {
            let s = RecurrentGradSpan(gate0: whole.gate0, gates: whole.gates, dz: whole.dz + r0 * whole.ld, ld: whole.ld,
                                      source: whole.source + r0 * h, masked: whole.masked)
            if s.masked, let m {
                let hm = scratch.reserve(n * h)
                for g in 0..<s.gates {
                    maskRows(s.source, m + (s.gate0 + g) * b * h, hm, rows: t, rowSize: b * h)
                    Kernels.gemm(transA: true, m: h, n: h, k: n, a: hm, lda: h, b: s.dz + g * h, ldb: s.ld,
                                 beta: 1, c: dU + (s.gate0 + g) * h, ldc: kh)
                }
            } else {
                Kernels.gemm(transA: true, m: h, n: s.gates * h, k: n, a: s.source, lda: h, b: s.dz, ldb: s.ld,
                             beta: 1, c: dU + s.gate0 * h, ldc: kh)
            }
            if let dB { ck_colsum_acc(n, Int32(s.gates * h), s.dz, s.ld, dB + s.gate0 * h) }
        }
    }
}
