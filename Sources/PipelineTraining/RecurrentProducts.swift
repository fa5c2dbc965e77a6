import CKernels

// The per-step recurrent products and the time-major transposes shared by SimpleRNN, LSTM and GRU.
// Shape legend: B batch, T timesteps, H units, k gates; U is [H, kH], Uᵀ is [kH, H].
extension RecurrentLayer {
    /// Recurrent product for gates `g0..<g0+count` at one step, for the batch rows `rows`:
    /// out[r, g] (beta·out +)= (h[r] ⊙ m_g[r]) · U_g, with `hp` and `out` at the step's row 0
    /// (`out` at gate g0's first column).
    func recurrentProduct(_ hp: UnsafePointer<Float>, rows: Range<Int>, gates g0: Int, count: Int, masks m: UnsafePointer<Float>?,
                          out: UnsafeMutablePointer<Float>, ldOut: Int, beta: Float) {
        let b = batch, h = units, kh = gates * units, r0 = rows.lowerBound, n = rows.count
        let hr = hp + r0 * h, outr = out + r0 * ldOut
        guard let m else {
            Kernels.gemm(m: n, n: count * h, k: h, a: hr, lda: h, b: wU.pointer + g0 * h, ldb: kh,
                         beta: beta, c: outr, ldc: ldOut)
            return
        }
        let hm = stepScratch.reserve(b * h)
        for g in g0..<(g0 + count) {
            ck_mul(n * h, hr, m + g * b * h + r0 * h, hm)
            Kernels.gemm(m: n, n: h, k: h, a: hm, lda: h, b: wU.pointer + g * h, ldb: kh,
                         beta: beta, c: outr + (g - g0) * h, ldc: ldOut)
        }
    }

    /// dh[r] (beta·dh[r] +)= Σ_g (dZ_g[r] · U_gᵀ) ⊙ m_g[r] for gates `g0..<g0+count` and the batch
    /// rows `rows`; `dz` (at gate g0) and `dh` at the step's row 0.
    func recurrentProductBackward(_ dz: UnsafePointer<Float>, ld: Int, rows: Range<Int>, gates g0: Int, count: Int,
                                  masks m: UnsafePointer<Float>?, dh: UnsafeMutablePointer<Float>, beta: Float) {
        let b = batch, h = units, r0 = rows.lowerBound, n = rows.count
        let ut = wUT.pointer  // [kH, H]
        let dzr = dz + r0 * ld, dhr = dh + r0 * h
        guard let m else {
            Kernels.gemm(m: n, n: h, k: count * h, a: dzr, lda: ld, b: ut + g0 * h * h, ldb: h,
                         beta: beta, c: dhr, ldc: h)
            return
        }
        if beta == 0 { dhr.update(repeating: 0, count: n * h) }
        let tmp = stepScratch.reserve(b * h)
        for g in g0..<(g0 + count) {
            Kernels.gemm(m: n, n: h, k: h, a: dzr + (g - g0) * h, lda: ld, b: ut + g * h * h, ldb: h,
                         c: tmp, ldc: h)
            ck_fma_acc(n * h, tmp, m + g * b * h + r0 * h, dhr)
        }
    }

    /// The batch's rows in blocks whose pre-activations (`rows·kH` floats, ≈ 16 KB) stay in L1
    /// between a block's recurrent product and its gate kernel, which run back to back (rows
    /// are independent within a step). Multiples of 6 rows (the product's register tile).
    var stepRowBlocks: [Range<Int>] {
        let b = batch, kh = gates * units, limit = max(1, stepBlockFloats)
        let count = max(1, (max(1, b * kh) - 1) / limit + 1)
        let size = min(b, ((b + count - 1) / count + 5) / 6 * 6)
        return stride(from: 0, to: b, by: max(1, size)).map { $0..<min(b, $0 + size) }
    }

    /// [B, T, W] → [T, B, W] (time reversed when `reverse`).
    static func toTimeMajor(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, b: Int, t: Int, w: Int, reverse: Bool) {
        for bi in 0..<b {
            for ti in 0..<t {
                let s = reverse ? t - 1 - ti : ti
                (dst + (s * b + bi) * w).update(from: src + (bi * t + ti) * w, count: w)
            }
        }
    }

    /// [T, B, W] → [B, T, W] (time reversed when `reverse`).
    static func fromTimeMajor(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, b: Int, t: Int, w: Int, reverse: Bool) {
        for bi in 0..<b {
            for ti in 0..<t {
                let s = reverse ? t - 1 - ti : ti
                (dst + (bi * t + ti) * w).update(from: src + (s * b + bi) * w, count: w)
            }
        }
    }
}
