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
/// Internal: the layers' implementation (tests reach it with `@testable import`).
enum Kernels {
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
        if !transB && handGemm(transA: transA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc) {
            return
        }
        Gemm.multiply(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda,
                      b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// Whether ``handGemm(transA:m:n:k:a:lda:b:ldb:beta:c:ldc:)`` runs for an `n`-column product.
    public static func handGemmAvailable(n: Int) -> Bool { n % 8 == 0 && ck_simd_available() != 0 }

    /// `C = beta·C + op(A)·B` on the hand kernels only; `false` (C untouched) when they cannot run
    /// (see ``handGemmAvailable(n:)``). Unlike BLAS they accept a row stride `lda` smaller than the
    /// row length: rows of A may overlap, which is how ``Conv1D`` reads its windows in place
    /// (im2col without a copy). With `transA`, A is `[k, m]`.
    @inline(__always) @discardableResult
    public static func handGemm(transA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
                                c: UnsafeMutablePointer<Float>, ldc: Int) -> Bool {
        if m == 0 || n == 0 { return true }
        let kernel = transA ? ck_gemm_tn : ck_gemm_nn
        return kernel(Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)) != 0
    }

    /// `C += Aᵀ·B` (A `[k, m]` with row stride `lda`, C `[m, n]`), the sum over the `k` rows in
    /// two halves on two threads when `split`: the second half goes to a partial `[m, n]` that is
    /// then added (``Dense``'s weight gradient). Routed as ``gemm``.
    public static func accumulateTransposedProduct(split: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                                   b: UnsafePointer<Float>, ldb: Int,
                                                   c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard split, k >= 2 else {
            gemm(transA: true, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: c, ldc: ldc)
            return
        }
        var partial = [Float](repeating: 0, count: m * n)
        accumulateHalves(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, partial: &partial)
    }

    /// The two halves of ``accumulateTransposedProduct(split:m:n:k:a:lda:b:ldb:c:ldc:)``: the
    /// first into `c`, the second into `partial` `[m, n]`, then added to `c`.
    private static func accumulateHalves(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                         b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                         partial p: UnsafeMutablePointer<Float>) {
        let half = k / 2
        ParallelPair.run(
            { gemm(transA: true, m: m, n: n, k: half, a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: c, ldc: ldc) },
            { gemm(transA: true, m: m, n: n, k: k - half, a: a + half * lda, lda: lda, b: b + half * ldb, ldb: ldb,
                   c: p, ldc: n) })
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] += p[i * n + j] } }
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
