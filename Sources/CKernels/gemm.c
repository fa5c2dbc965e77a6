/* Small single-precision GEMMs for the recurrent layers: 6x16 AVX2/FMA register tiles reading
 * B in place (no packing: at recurrent sizes B fits in L1/L2). Row-major, beta 0 or 1.
 * ck_gemm_nn: C = beta*C + A B. Returns 0 without touching C when AVX2/FMA is missing or
 * N % 8 != 0 (the caller uses BLAS). Transposed-A products with long reductions (the weight
 * gradients) stay on OpenBLAS, whose packing beats an unpacked tile there (measured). */
#include "kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define CK_X86 1
#include <immintrin.h>
#define TGT __attribute__((target("avx2,fma")))

static inline TGT void tile_6x16(int K, const float *A, int lda, const float *B, int ldb,
                                 float beta, float *C, int ldc) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int k = 0; k < K; k++) {
        __m256 b0 = _mm256_loadu_ps(B + (long)k * ldb), b1 = _mm256_loadu_ps(B + (long)k * ldb + 8);
        __m256 a;
        a = _mm256_broadcast_ss(A + k); c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(A + lda + k); c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(A + 2 * lda + k); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(A + 3 * lda + k); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(A + 4 * lda + k); c40 = _mm256_fmadd_ps(a, b0, c40); c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(A + 5 * lda + k); c50 = _mm256_fmadd_ps(a, b0, c50); c51 = _mm256_fmadd_ps(a, b1, c51);
    }
#define CK_OUT(r, lo, hi)                                                                  \
    do {                                                                                   \
        float *cr = C + (long)(r) * ldc;                                                   \
        if (beta != 0.0f) {                                                                \
            lo = _mm256_add_ps(lo, _mm256_loadu_ps(cr));                                   \
            hi = _mm256_add_ps(hi, _mm256_loadu_ps(cr + 8));                               \
        }                                                                                  \
        _mm256_storeu_ps(cr, lo); _mm256_storeu_ps(cr + 8, hi);                            \
    } while (0)
    CK_OUT(0, c00, c01); CK_OUT(1, c10, c11); CK_OUT(2, c20, c21);
    CK_OUT(3, c30, c31); CK_OUT(4, c40, c41); CK_OUT(5, c50, c51);
#undef CK_OUT
}

/* The row tail (M % 6 rows, R = 1..5) and the 8-wide column tail (NV = 1): an R x (NV*8) tile
 * with R and NV constants after inlining, so the accumulators stay in registers and the R*NV
 * chains are independent (a one-row loop was latency-bound: a quarter of a 64-row product). */
static inline __attribute__((always_inline)) TGT void nn_tile(const int R, const int NV, int K, const float *A, int lda,
                                                                const float *B, int ldb, float beta, float *C, int ldc) {
    __m256 acc[6][2];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_ps();
    for (int k = 0; k < K; k++) {
        const float *b = B + (long)k * ldb;
        __m256 b0 = _mm256_loadu_ps(b), b1 = NV > 1 ? _mm256_loadu_ps(b + 8) : b0;
        for (int r = 0; r < R; r++) {
            __m256 x = _mm256_broadcast_ss(A + (long)r * lda + k);
            acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
            if (NV > 1) acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) {
            float *c = C + (long)r * ldc + v * 8;
            __m256 out = acc[r][v];
            if (beta != 0.0f) out = _mm256_add_ps(out, _mm256_loadu_ps(c));
            _mm256_storeu_ps(c, out);
        }
}

#define NN_CASES(NV)                                                                               \
    switch (R) {                                                                                   \
    case 6: nn_tile(6, NV, K, a, lda, b, ldb, beta, c, ldc); break;                                \
    case 5: nn_tile(5, NV, K, a, lda, b, ldb, beta, c, ldc); break;                                \
    case 4: nn_tile(4, NV, K, a, lda, b, ldb, beta, c, ldc); break;                                \
    case 3: nn_tile(3, NV, K, a, lda, b, ldb, beta, c, ldc); break;                                \
    case 2: nn_tile(2, NV, K, a, lda, b, ldb, beta, c, ldc); break;                                \
    default: nn_tile(1, NV, K, a, lda, b, ldb, beta, c, ldc); break;                               \
    }

static TGT void gemm_nn_avx2(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                             float beta, float *C, int ldc) {
    int n16 = N - N % 16;
    int i = 0;
    for (; i + 6 <= M; i += 6) {
        const float *Ai = A + (long)i * lda;
        float *Ci = C + (long)i * ldc;
        for (int j = 0; j < n16; j += 16) tile_6x16(K, Ai, lda, B + j, ldb, beta, Ci + j, ldc);
        if (n16 < N) { const int R = 6; const float *a = Ai, *b = B + n16; float *c = Ci + n16; NN_CASES(1) }
    }
    if (i < M) {
        const int R = M - i;
        const float *a = A + (long)i * lda;
        for (int j = 0; j < N; j += 16) {
            const float *b = B + j;
            float *c = C + (long)i * ldc + j;
            if (N - j >= 16) { NN_CASES(2) } else { NN_CASES(1) }
        }
    }
}
#undef NN_CASES

/* C[R rows, NV*8 cols] += sum_k A[k*lda + r] * B[k*ldb + j]: R (1..6) and NV (1, 2) are
 * constants after inlining, so the accumulators stay in registers. */
static inline __attribute__((always_inline)) TGT void tn_tile(const int R, const int NV, int K, const float *A, long lda,
                                                                const float *B, long ldb, float *C, int ldc) {
    __m256 acc[6][2];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_ps();
    for (int k = 0; k < K; k++) {
        const float *a = A + k * lda, *b = B + k * ldb;
        __m256 b0 = _mm256_loadu_ps(b), b1 = NV > 1 ? _mm256_loadu_ps(b + 8) : b0;
        for (int r = 0; r < R; r++) {
            __m256 x = _mm256_broadcast_ss(a + r);
            acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
            if (NV > 1) acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) {
            float *c = C + (long)r * ldc + v * 8;
            _mm256_storeu_ps(c, _mm256_add_ps(_mm256_loadu_ps(c), acc[r][v]));
        }
}

#define TN_CASES(NV)                                                                               \
    switch (R) {                                                                                   \
    case 6: tn_tile(6, NV, kb, a, lda, b, ldb, c, ldc); break;                                     \
    case 5: tn_tile(5, NV, kb, a, lda, b, ldb, c, ldc); break;                                     \
    case 4: tn_tile(4, NV, kb, a, lda, b, ldb, c, ldc); break;                                     \
    case 3: tn_tile(3, NV, kb, a, lda, b, ldb, c, ldc); break;                                     \
    case 2: tn_tile(2, NV, kb, a, lda, b, ldb, c, ldc); break;                                     \
    default: tn_tile(1, NV, kb, a, lda, b, ldb, c, ldc); break;                                    \
    }

static TGT void gemm_tn_avx2(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                             float *C, int ldc) {
    const int KB = 256; /* a block of A rows (overlapping windows or not) and of B stays in L1/L2 */
    for (int k0 = 0; k0 < K; k0 += KB) {
        int kb = K - k0 < KB ? K - k0 : KB;
        for (int i = 0; i < M; i += 6) {
            int R = M - i < 6 ? M - i : 6;
            for (int j = 0; j < N; j += 16) {
                const float *a = A + (long)k0 * lda + i, *b = B + (long)k0 * ldb + j;
                float *c = C + (long)i * ldc + j;
                if (N - j >= 16) { TN_CASES(2) } else { TN_CASES(1) }
            }
        }
    }
}
#undef TN_CASES
#endif

int ck_gemm_tn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
               float beta, float *C, int ldc) {
#ifdef CK_X86
    if (N % 8 == 0 && ck_simd_available()) {
        if (beta == 0.0f)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) C[(long)i * ldc + j] = 0.0f;
        gemm_tn_avx2(M, N, K, A, lda, B, ldb, C, ldc);
        return 1;
    }
#endif
    (void)M; (void)N; (void)K; (void)A; (void)lda; (void)B; (void)ldb; (void)beta; (void)C; (void)ldc;
    return 0;
}

int ck_gemm_nn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
               float beta, float *C, int ldc) {
#ifdef CK_X86
    if (N % 8 == 0 && ck_simd_available()) {
        gemm_nn_avx2(M, N, K, A, lda, B, ldb, beta, C, ldc);
        return 1;
    }
#endif
    (void)M; (void)N; (void)K; (void)A; (void)lda; (void)B; (void)ldb; (void)beta; (void)C; (void)ldc;
    return 0;
}
