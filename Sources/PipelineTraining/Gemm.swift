import CBLAS

/// Single-precision matrix products through OpenBLAS CBLAS, row-major.
///
/// `C[M,N] = alpha · op(A)[M,K] · op(B)[K,N] + beta · C`, where `op` transposes when asked.
/// `lda`, `ldb`, `ldc` are row strides (elements). The first product pins OpenBLAS to one thread
/// (``pinSingleThread()``; why, and the process's other settings: ``ProcessTuning``).
/// Cost: 2·M·N·K flops (~53 GFLOP/s single-threaded at recurrent shapes on the reference machine).
public enum Gemm {
    private static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// Pins OpenBLAS to one thread, once per process (the first product does it too). Process-wide.
    public static func pinSingleThread() { _ = configured }

    /// Sets the OpenBLAS thread count (1 unless a caller measured that more pays). Process-wide;
    /// applies the one-thread pin first so that a later first product cannot undo this call.
    public static func setThreads(_ n: Int) {
        _ = configured
        openblas_set_num_threads(Int32(n))
    }

    @inline(__always)
    public static func multiply(transA: Bool = false, transB: Bool = false,
                                m: Int, n: Int, k: Int,
                                alpha: Float = 1,
                                a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int,
                                beta: Float = 0,
                                c: UnsafeMutablePointer<Float>, ldc: Int) {
        _ = configured
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
