/* MaxPooling1D forward: the maximum of each window of P timesteps (stride S) per channel, and
 * the position 0..<P inside the window of the first maximum (NaN never wins, as `v > m` is false
 * for NaN). Window-local positions keep any range of samples independent of the others (the
 * layer splits the batch over two threads). AVX2 compares and blends 8 channels at a time when
 * C % 8 == 0; otherwise scalar selects. Backward writes every input gradient once when windows
 * do not overlap (S >= P), else zeroes and adds. */
#include "kernels.h"

static void maxpool_scalar(int B, int T, int C, int P, int S, int Tout, const float *x, float *y, int *idx) {
    for (int i = 0; i < B; i++)
        for (int j = 0; j < Tout; j++) {
            long o = ((long)i * Tout + j) * C, start = ((long)i * T + (long)j * S) * C;
            for (int q = 0; q < C; q++) {
                float m = x[start + q];
                int at = 0;
                for (int p = 1; p < P; p++) {
                    float v = x[start + (long)p * C + q];
                    int better = v > m;
                    m = better ? v : m;
                    at = better ? p : at;
                }
                y[o + q] = m;
                if (idx) idx[o + q] = at;
            }
        }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
__attribute__((target("avx2,fma")))
static void maxpool_avx2(int B, int T, int C, int P, int S, int Tout, const float *x, float *y, int *idx) {
    for (int i = 0; i < B; i++)
        for (int j = 0; j < Tout; j++) {
            long o = ((long)i * Tout + j) * C, start = ((long)i * T + (long)j * S) * C;
            for (int q = 0; q < C; q += 8) {
                __m256 m = _mm256_loadu_ps(x + start + q);
                __m256i at = _mm256_setzero_si256();
                for (int p = 1; p < P; p++) {
                    __m256 v = _mm256_loadu_ps(x + start + (long)p * C + q);
                    __m256 better = _mm256_cmp_ps(v, m, _CMP_GT_OQ);
                    m = _mm256_blendv_ps(m, v, better);
                    if (idx) {
                        __m256i pv = _mm256_set1_epi32(p);
                        at = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(at), _mm256_castsi256_ps(pv), better));
                    }
                }
                _mm256_storeu_ps(y + o + q, m);
                if (idx) _mm256_storeu_si256((__m256i *)(idx + o + q), at);
            }
        }
}
#endif

void ck_maxpool_fwd(int B, int T, int C, int P, int S, int Tout, const float *x, float *y, int *idx) {
#if defined(__x86_64__) || defined(__i386__)
    if (C % 8 == 0 && ck_simd_available()) { maxpool_avx2(B, T, C, P, S, Tout, x, y, idx); return; }
#endif
    maxpool_scalar(B, T, C, P, S, Tout, x, y, idx);
}

#if defined(__x86_64__) || defined(__i386__)
/* Non-overlapping windows (S >= P), C % 8 == 0: every input row written once, 8 channels at a time. */
__attribute__((target("avx2,fma")))
static void maxpool_bwd_disjoint_avx2(int B, int T, int C, int P, int S, int Tout, const float *dy, const int *idx, float *dx) {
    for (int i = 0; i < B; i++) {
        float *dxi = dx + (long)i * T * C;
        const float *dyi = dy + (long)i * Tout * C;
        const int *ii = idx + (long)i * Tout * C;
        for (int j = 0; j < Tout; j++) {
            float *w = dxi + (long)j * S * C;
            for (int q = 0; q < C; q += 8) {
                __m256 g = _mm256_loadu_ps(dyi + (long)j * C + q);
                __m256i at = _mm256_loadu_si256((const __m256i *)(ii + (long)j * C + q));
                for (int p = 0; p < P; p++) {
                    __m256 hit = _mm256_castsi256_ps(_mm256_cmpeq_epi32(at, _mm256_set1_epi32(p)));
                    _mm256_storeu_ps(w + (long)p * C + q, _mm256_and_ps(hit, g));
                }
            }
            long end = ((long)j * S + S < T ? (long)j * S + S : T) * C;
            for (long r = ((long)j * S + P) * C; r < end; r++) dxi[r] = 0.0f;
        }
        for (long r = (long)Tout * S * C; r < (long)T * C; r++) dxi[r] = 0.0f;
    }
}
#endif

void ck_maxpool_bwd(int B, int T, int C, int P, int S, int Tout, const float *dy, const int *idx, float *dx) {
#if defined(__x86_64__) || defined(__i386__)
    if (S >= P && C % 8 == 0 && ck_simd_available()) { maxpool_bwd_disjoint_avx2(B, T, C, P, S, Tout, dy, idx, dx); return; }
#endif
    for (int i = 0; i < B; i++) {
        float *dxi = dx + (long)i * T * C;
        const float *dyi = dy + (long)i * Tout * C;
        const int *ii = idx + (long)i * Tout * C;
        if (S >= P) {
            /* Each input row lies in at most one window: write it once (gradient or zero). */
            for (int j = 0; j < Tout; j++) {
                float *w = dxi + (long)j * S * C;
                const float *g = dyi + (long)j * C;
                const int *at = ii + (long)j * C;
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < C; q++) w[(long)p * C + q] = at[q] == p ? g[q] : 0.0f;
                for (long r = (long)P * C; r < (long)S * C && (long)j * S * C + r < (long)T * C; r++) w[r] = 0.0f;
            }
            for (long r = (long)Tout * S * C; r < (long)T * C; r++) dxi[r] = 0.0f;
        } else {
            for (long r = 0; r < (long)T * C; r++) dxi[r] = 0.0f;
            for (int j = 0; j < Tout; j++)
                for (int q = 0; q < C; q++)
                    dxi[((long)j * S + ii[(long)j * C + q]) * C + q] += dyi[(long)j * C + q];
        }
    }
}

/* dst[ids[r]*ldd + j] += src[r*lds + j] for r < rows, j < w (embedding-table gradients). */
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma")))
static void scatter_rows_avx2(long rows, int w, const float *src, long lds, const int *ids, float *dst, long ldd) {
    for (long r = 0; r < rows; r++) {
        const float *s = src + r * lds;
        float *d = dst + (long)ids[r] * ldd;
        if (r + 4 < rows) { /* the table is larger than L2 and the ids are data: fetch ahead */
            const char *p = (const char *)(dst + (long)ids[r + 4] * ldd);
            for (int q = 0; q < w * 4; q += 64) _mm_prefetch(p + q, _MM_HINT_T0);
        }
        int j = 0;
        for (; j + 8 <= w; j += 8) _mm256_storeu_ps(d + j, _mm256_add_ps(_mm256_loadu_ps(d + j), _mm256_loadu_ps(s + j)));
        for (; j < w; j++) d[j] += s[j];
    }
}
#endif

void ck_scatter_rows(long rows, int w, const float *src, long lds, const int *ids, float *dst, long ldd) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_simd_available()) { scatter_rows_avx2(rows, w, src, lds, ids, dst, ldd); return; }
#endif
    for (long r = 0; r < rows; r++) {
        const float *s = src + r * lds;
        float *d = dst + (long)ids[r] * ldd;
        for (int j = 0; j < w; j++) d[j] += s[j];
    }
}
