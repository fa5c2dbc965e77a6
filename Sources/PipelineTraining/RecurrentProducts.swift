import CKernels

// The per-step recurrent products every cell uses, and the time-major transposes of the driver.
// Shape legend: B batch, T timesteps, H units, k gates; U is [H, kH], Uᵀ is [kH, H].
extension RecurrentSteps {
    /// Recurrent product for gates `g0..<g0+count` at one step, with the recurrent masks m:
    /// out[:, g] (beta·out +)= (h ⊙ m_g) · U_g, with `out` at gate g0's first column.
    func recurrentProduct(_ hp: UnsafePointer<Float>, gates g0: Int, count: Int,
                          out: UnsafeMutablePointer<Float>, ldOut: Int, beta: Float) {
        let b = batch, h = units, kh = gates * units
        guard let m = recurrentMasks else {
            Kernels.gemm(m: b, n: count * h, k: h, a: hp, lda: h, b: u + g0 * h, ldb: kh,
                         beta: beta, c: out, ldc: ldOut)
            return
        }
        let hm = scratch
        for g in g0..<(g0 + count) {
            ck_mul(b * h, hp, m + g * b * h, hm)
            Kernels.gemm(m: b, n: h, k: h, a: hm, lda: h, b: u + g * h, ldb: kh,
                         beta: beta, c: out + (g - g0) * h, ldc: ldOut)
        }
    }

    /// dh (beta·dh +)= Σ_g (dZ_g · U_gᵀ) ⊙ m_g for gates `g0..<g0+count`; `dz` at gate g0.
    func recurrentProductBackward(_ dz: UnsafePointer<Float>, ld: Int, gates g0: Int, count: Int, beta: Float) {
        let b = batch, h = units, dh = self.dh
        guard let m = recurrentMasks else {
            Kernels.gemm(m: b, n: h, k: count * h, a: dz, lda: ld, b: ut + g0 * h * h, ldb: h,
                         beta: beta, c: dh, ldc: h)
            return
        }
        if beta == 0 { dh.update(repeating: 0, count: b * h) }
        let tmp = scratch
        for g in g0..<(g0 + count) {
            Kernels.gemm(m: b, n: h, k: h, a: dz + (g - g0) * h, lda: ld, b: ut + g * h * h, ldb: h,
                         c: tmp, ldc: h)
            ck_fma_acc(b * h, tmp, m + g * b * h, dh)
        }
    }
}

/// The driver's layout changes: batch-major `[B, T, W]` ⇄ time-major `[T, B, W]`.
enum TimeMajor {
    /// [B, T, W] → [T, B, W] (time reversed when `reverse`).
    static func pack(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, b: Int, t: Int, w: Int, reverse: Bool) {
        for bi in 0..<b {
            for ti in 0..<t {
                let s = reverse ? t - 1 - ti : ti
                (dst + (s * b + bi) * w).update(from: src + (bi * t + ti) * w, count: w)
            }
        }
    }

    /// [T, B, W] → [B, T, W] (time reversed when `reverse`).
    static func unpack(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, b: Int, t: Int, w: Int, reverse: Bool) {
        for bi in 0..<b {
            for ti in 0..<t {
                let s = reverse ? t - 1 - ti : ti
                (dst + (bi * t + ti) * w).update(from: src + (s * b + bi) * w, count: w)
            }
        }
    }
}
