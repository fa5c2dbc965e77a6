/* MaxPooling1D forward: the maximum of each window of P timesteps (stride S) per channel, and
 * the flat input index of the first maximum (NaN never wins, as `v > m` is false for NaN).
 * AVX2 compares and blends 8 channels at a time when C % 8 == 0; otherwise scalar selects. */
#include "kernels.h"

static void maxpool_scalar(int B, int T, int C, int P, int S, int Tout, const float *x, float *y, int *idx) {
    for (int i = 0; i < B; i++)
        for (int j = 0; j < Tout; j++) {
            long o = ((long)i * Tout + j) * C, start = ((long)i * T + (long)j * S) * C;
            for (int q = 0; q < C; q++) {
                float m = x[start + q];
                long at = start + q;
                for (int p = 1; p < P; p++) {
                    long r = start + (long)p * C + q;
                    float v = x[r];
                    int better = v > m;
                    m = better ? v : m;
                    at = better ? r : at;
                }
                y[o + q] = m;
                if (idx) idx[o + q] = (int)at;
            }
        }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
__attribute__((target("avx2,fma")))
static void maxpool_avx2(int B, int T, int C, int P, int S, int Tout, const float *x, float *y, int *idx) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < Tout; j++) {
            long o = ((long)i * Tout + j) * C, start = ((long)i * T + (long)j * S) * C;
            for (int q = 0; q < C; q += 8) {
                __m256 m = _mm256_loadu_ps(x + start + q);
                __m256i at = _mm256_add_epi32(_mm256_set1_epi32((int)(start + q)), lanes);
                for (int p = 1; p < P; p++) {
                    long r = start + (long)p * C + q;
                    __m256 v = _mm256_loadu_ps(x + r);
                    __m256 better = _mm256_cmp_ps(v, m, _CMP_GT_OQ);
                    m = _mm256_blendv_ps(m, v, better);
                    if (idx) {
                        __m256i rv = _mm256_add_epi32(_mm256_set1_epi32((int)r), lanes);
                        at = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(at), _mm256_castsi256_ps(rv), better));
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

void ck_scatter_add(long n, const float *src, const int *idx, float *dst) {
    for (long k = 0; k < n; k++) dst[idx[k]] += src[k];
}

/* dst[ids[r]*ldd + j] += src[r*lds + j] for r < rows, j < w (embedding-table gradients). */
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma")))
static void scatter_rows_avx2(long rows, int w, const float *src, long lds, const int *ids, float *dst, long ldd) {
    for (long r = 0; r < rows; r++) {
        const float *s = src + r * lds;
        float *d = dst + (long)ids[r] * ldd;
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
