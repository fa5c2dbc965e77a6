/* Small single-precision GEMMs for the recurrent and Conv1D layers: 6x16 AVX2/FMA register
 * tiles reading A and B in place (no packing: at these sizes B fits in L1/L2, and packing the
 * skinny operands cost more than it saved). Row-major, beta 0 or 1.
 * ck_gemm_nn: C = beta*C + A B; ck_gemm_tn: C = beta*C + A^T B over blocks of 256 rows of K.
 * Both return 0 without touching C when AVX2/FMA is missing or N % 8 != 0 (the caller uses BLAS). */
#include "kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define CK_X86 1
#include <immintrin.h>
#define TGT __attribute__((target("avx2,fma")))

/* C[R rows, NV*8 cols] = beta*C + sum_k A(r, k) * B[k*ldb + j], with A(r, k) at A[r*rs + k*ks]:
 * A*B reads A by rows (rs = lda, ks = 1), A^T*B by columns (rs = 1, ks = lda). R (1..6), NV
 * (1, 2), rs and ks are constants after inlining, so the R*NV accumulators stay in registers
 * and their chains are independent (6x16 is the full tile; smaller ones cover the row and
 * 8-column tails, where a one-row loop had been latency-bound). */
static inline __attribute__((always_inline)) TGT void tile(const int R, const int NV, int K, const float *A, long rs,
                                                             long ks, const float *B, long ldb, float beta, float *C, int ldc) {
    __m256 acc[6][2];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_ps();
    for (int k = 0; k < K; k++) {
        const float *a = A + k * ks, *b = B + k * ldb;
        __m256 b0 = _mm256_loadu_ps(b), b1 = NV > 1 ? _mm256_loadu_ps(b + 8) : b0;
        for (int r = 0; r < R; r++) {
            __m256 x = _mm256_broadcast_ss(a + r * rs);
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

/* tile() for a run-time row count R (1..6), A's strides (RS, KS) fixed at the call site. */
#define TILE_CASES(NV, RS, KS)                                                                     \
    switch (R) {                                                                                   \
    case 6: tile(6, NV, kb, a, RS, KS, b, ldb, beta, c, ldc); break;                               \
    case 5: tile(5, NV, kb, a, RS, KS, b, ldb, beta, c, ldc); break;                               \
    case 4: tile(4, NV, kb, a, RS, KS, b, ldb, beta, c, ldc); break;                               \
    case 3: tile(3, NV, kb, a, RS, KS, b, ldb, beta, c, ldc); break;                               \
    case 2: tile(2, NV, kb, a, RS, KS, b, ldb, beta, c, ldc); break;                               \
    default: tile(1, NV, kb, a, RS, KS, b, ldb, beta, c, ldc); break;                              \
    }

static TGT void gemm_nn_avx2(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                             float beta, float *C, int ldc) {
    const int kb = K;
    for (int i = 0; i < M; i += 6) {
        const int R = M - i < 6 ? M - i : 6;
        const float *a = A + (long)i * lda;
        for (int j = 0; j < N; j += 16) {
            const float *b = B + j;
            float *c = C + (long)i * ldc + j;
            if (N - j >= 16) { TILE_CASES(2, lda, 1) } else { TILE_CASES(1, lda, 1) }
        }
    }
}

static TGT void gemm_tn_avx2(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                             float *C, int ldc) {
    const int KB = 256; /* a block of A rows (overlapping windows or not) and of B stays in L1/L2 */
    const float beta = 1.0f; /* blocks of K accumulate into C */
    for (int k0 = 0; k0 < K; k0 += KB) {
        int kb = K - k0 < KB ? K - k0 : KB;
        for (int i = 0; i < M; i += 6) {
            const int R = M - i < 6 ? M - i : 6;
            for (int j = 0; j < N; j += 16) {
                const float *a = A + (long)k0 * lda + i, *b = B + (long)k0 * ldb + j;
                float *c = C + (long)i * ldc + j;
                if (N - j >= 16) { TILE_CASES(2, 1, lda) } else { TILE_CASES(1, 1, lda) }
            }
        }
    }
}
#undef TILE_CASES
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
