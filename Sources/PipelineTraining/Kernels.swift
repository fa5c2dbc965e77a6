import CKernels

/// Swift entry points to the recurrent hand kernels (`CKernels`) and the GEMM router.
///
/// ```swift
/// Kernels.gemm(m: 128, n: 128, k: 32, a: h, lda: 32, b: u, ldb: 128, beta: 1, c: z, ldc: 128)
/// Kernels.activate(.tanh, x, count: n)
/// ```
///
/// Semantics: `gemm` computes `C = beta·C + op(A)·op(B)` (row-major, `beta` 0 or 1); `A·B` and
/// `Aᵀ·B` with `n` a multiple of 8 run on the AVX2/FMA 6×16 register-tiled kernels when the CPU
/// has them (no packing: faster than OpenBLAS at recurrent and Conv1D shapes, where packing the
/// skinny operands cost a quarter of a Conv1D step); the rest on OpenBLAS (``Gemm``).
/// Element-wise kernels pick AVX2 or the portable libm path at run time; the AVX2 sigmoid/tanh
/// stay within 1e-6 relative of `expf`/`tanhf` (measured in `KernelsTests`).
/// Cost: 2·m·n·k flops for `gemm`; one pass for the others. Programmer errors only (no throws).
public enum Kernels {
    /// Whether the AVX2/FMA paths are active on this CPU.
    public static var simdAvailable: Bool { ck_simd_available() != 0 }

    @inline(__always)
    public static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        if !transA && !transB,
           ck_gemm_nn(Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)) != 0 {
            return
        }
        if transA && !transB,
           ck_gemm_tn(Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)) != 0 {
            return
        }

        Gemm.multiply(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda,
                      b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// Whether ``handGemm(m:n:k:a:lda:b:ldb:beta:c:ldc:)`` runs for an `n`-column product.
    public static func handGemmAvailable(n: Int) -> Bool { n % 8 == 0 && ck_simd_available() != 0 }

    /// `C = beta·C + A·B` on the hand kernel only; `false` (C untouched) when it cannot run
    /// (see ``handGemmAvailable(n:)``). Unlike BLAS it accepts `lda` smaller than `k`: rows of A
    /// may overlap, which is how ``Conv1D`` reads its windows in place (im2col without a copy).
    @inline(__always) @discardableResult
    public static func handGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
                                c: UnsafeMutablePointer<Float>, ldc: Int) -> Bool {
        if m == 0 || n == 0 { return true }
        return ck_gemm_nn(Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)) != 0
    }

    /// `C = beta·C + Aᵀ·B` on the hand kernel only (`A` is `[k, m]` with row stride `lda`, which may
    /// be smaller than `m`: overlapping rows); `false` (C untouched) when it cannot run.
    @inline(__always) @discardableResult
    public static func handGemmTN(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                  b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
                                  c: UnsafeMutablePointer<Float>, ldc: Int) -> Bool {
        if m == 0 || n == 0 { return true }
        return ck_gemm_tn(Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)) != 0
    }

    /// `x = f(x)` in place over `count` values; `simd: false` forces the exact libm path.
    public static func activate(_ activation: Activation, _ x: UnsafeMutablePointer<Float>, count: Int,
                                simd: Bool = true) {
        ck_activate(code(activation), x, count, simd ? 1 : 0)
    }

    /// The kernel code of an element-wise activation (`softmax` is not element-wise).
    static func code(_ a: Activation) -> Int32 {
        switch a {
        case .linear: Int32(CK_LINEAR)
        case .tanh: Int32(CK_TANH)
        case .sigmoid: Int32(CK_SIGMOID)
        case .relu: Int32(CK_RELU)
        case .softmax: preconditionFailure("softmax is not an element-wise recurrent activation")
        }
    }
}

extension Kernels {
    /// dst[j] += Σ_r src[r·ld + j] for j < cols (bias gradients).
    public static func columnSums(rows: Int, cols: Int, _ src: UnsafePointer<Float>, ld: Int,
                                  into dst: UnsafeMutablePointer<Float>) {
        ck_colsum_acc(rows, Int32(cols), src, ld, dst)
    }
}
