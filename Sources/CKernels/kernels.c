/* Recurrent-layer kernels: AVX2/FMA versions chosen at run time, scalar libm fallback.
 * See include/kernels.h for the contracts and rnn_kernels_body.h for the element-wise code. */
#include "kernels.h"
#include <math.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

/* ---------- scalar instantiation (portable, exact libm) ---------- */
static inline float s_sigmoid(float x) {
    if (x >= 0) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}
static inline float s_act(int act, float x) {
    switch (act) {
    case CK_TANH: return tanhf(x);
    case CK_SIGMOID: return s_sigmoid(x);
    case CK_RELU: return x > 0 ? x : 0.0f;
    default: return x;
    }
}
static inline float s_dact(int act, float y) {
    switch (act) {
    case CK_TANH: return 1.0f - y * y;
    case CK_SIGMOID: return y * (1.0f - y);
    case CK_RELU: return y > 0 ? 1.0f : 0.0f;
    default: return 1.0f;
    }
}
#define V float
#define W 1
#define LD(p) (*(p))
#define ST(p, v) (*(p) = (v))
#define SPL(x) ((float)(x))
#define ACT(c, v) s_act((c), (v))
#define DACT(c, y) s_dact((c), (y))
#define FN(name) CAT(name, _scalar)
#define TGT
#define PREFETCH_ROW(p, n) ((void)0)
#include "rnn_kernels_body.h"
#undef PREFETCH_ROW
#undef V
#undef W
#undef LD
#undef ST
#undef SPL
#undef ACT
#undef DACT
#undef FN
#undef TGT

/* ---------- AVX2 + FMA instantiation ---------- */
#if defined(__x86_64__) || defined(__i386__)
#define CK_X86 1
#include <immintrin.h>
#define TGT __attribute__((target("avx2,fma")))

/* e^x, Cephes expf's reduction and polynomial (~1 ulp), arranged for latency: rounding by the
 * 1.5*2^23 trick (one FMA, no round/convert) and the polynomial by Estrin's scheme (depth 3
 * instead of 6). The gate kernels are bound by this chain's latency, not by throughput. */
static inline TGT __m256 v_exp(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(88.3762626647949f));
    const __m256 magic = _mm256_set1_ps(12582912.0f); /* 1.5 * 2^23 */
    __m256 t = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), magic);
    __m256 fx = _mm256_sub_ps(t, magic);
    __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 r2 = _mm256_mul_ps(r, r);
    __m256 p45 = _mm256_fmadd_ps(_mm256_set1_ps(1.9875691500E-4f), r, _mm256_set1_ps(1.3981999507E-3f));
    __m256 p23 = _mm256_fmadd_ps(_mm256_set1_ps(8.3334519073E-3f), r, _mm256_set1_ps(4.1665795894E-2f));
    __m256 p01 = _mm256_fmadd_ps(_mm256_set1_ps(1.6666665459E-1f), r, _mm256_set1_ps(5.0000001201E-1f));
    __m256 y = _mm256_fmadd_ps(p45, r2, p23);
    y = _mm256_fmadd_ps(y, r2, p01);
    y = _mm256_fmadd_ps(y, r2, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    /* 2^n: the low bits of t hold n + 0x400000 (t = magic + n); exponent field n + 127. */
    __m256i n = _mm256_sub_epi32(_mm256_castps_si256(t), _mm256_set1_epi32(0x4B400000 - 127));
    return _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(n, 23)));
}

/* 1/x from the 12-bit estimate and one Newton step (~1e-7 relative, for x in [1, inf)):
 * a quarter of the latency of a division, which dominated the gate kernels. */
static inline TGT __m256 v_rcp(__m256 x) {
    __m256 y = _mm256_rcp_ps(x);
    return _mm256_mul_ps(y, _mm256_fnmadd_ps(x, y, _mm256_set1_ps(2.0f)));
}

/* sigmoid through e = exp(-|x|): 1/(1+e) for x >= 0, e/(1+e) below (no overflow). */
static inline TGT __m256 v_sigmoid(__m256 x) {
    __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 e = v_exp(_mm256_or_ps(x, sign)); /* -|x| */
    __m256 s = v_rcp(_mm256_add_ps(_mm256_set1_ps(1.0f), e));
    __m256 neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    return _mm256_blendv_ps(s, _mm256_mul_ps(e, s), neg);
}

/* tanh: Cephes odd polynomial for |x| < 0.625, else 1 - 2/(e^{2|x|}+1), sign restored. */
static inline TGT __m256 v_tanh(__m256 x) {
    __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 a = _mm256_andnot_ps(sign, x);
    __m256 z = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-5.70498872745E-3f);
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954E-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531E-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036E-1f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422E-1f));
    __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, z), x, x);
    __m256 e = v_exp(_mm256_min_ps(_mm256_add_ps(a, a), _mm256_set1_ps(40.0f)));
    __m256 t = _mm256_fnmadd_ps(_mm256_set1_ps(2.0f), v_rcp(_mm256_add_ps(e, _mm256_set1_ps(1.0f))), _mm256_set1_ps(1.0f));
    __m256 large = _mm256_or_ps(t, _mm256_and_ps(x, sign));
    __m256 isSmall = _mm256_cmp_ps(a, _mm256_set1_ps(0.625f), _CMP_LT_OQ);
    return _mm256_blendv_ps(large, small, isSmall);
}

static inline TGT __m256 v_act(int act, __m256 x) {
    switch (act) {
    case CK_TANH: return v_tanh(x);
    case CK_SIGMOID: return v_sigmoid(x);
    case CK_RELU: return _mm256_max_ps(x, _mm256_setzero_ps());
    default: return x;
    }
}
static inline TGT __m256 v_dact(int act, __m256 y) {
    __m256 one = _mm256_set1_ps(1.0f);
    switch (act) {
    case CK_TANH: return _mm256_fnmadd_ps(y, y, one);
    case CK_SIGMOID: return _mm256_mul_ps(y, _mm256_sub_ps(one, y));
    case CK_RELU: return _mm256_and_ps(_mm256_cmp_ps(y, _mm256_setzero_ps(), _CMP_GT_OQ), one);
    default: return one;
    }
}

#define V __m256
#define W 8
#define LD(p) _mm256_loadu_ps(p)
#define ST(p, v) _mm256_storeu_ps((p), (v))
#define SPL(x) _mm256_set1_ps(x)
#define ACT(c, v) v_act((c), (v))
#define DACT(c, y) v_dact((c), (y))
#define FN(name) CAT(name, _avx2)
#define PREFETCH_ROW(p, n)                                                                       \
    do {                                                                                         \
        const char *pf_ = (const char *)(p);                                                     \
        for (long q_ = 0; q_ < (long)(n) * 4; q_ += 64) _mm_prefetch(pf_ + q_, _MM_HINT_T0);     \
    } while (0)
#include "rnn_kernels_body.h"
#undef PREFETCH_ROW

#undef V
#undef W
#undef LD
#undef ST
#undef SPL
#undef ACT
#undef DACT
#undef FN
#undef TGT
#endif

/* ---------- dispatch ---------- */
static int simd_state = -1;

int ck_simd_available(void) {
#ifdef CK_X86
    int s = __atomic_load_n(&simd_state, __ATOMIC_RELAXED);
    if (s < 0) {
        __builtin_cpu_init();
        s = (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
        __atomic_store_n(&simd_state, s, __ATOMIC_RELAXED);
    }
    return s;
#else
    return 0;
#endif
}

#ifdef CK_X86
#define DISPATCH(ok, name, ...)                         \
    do {                                                \
        if ((ok) && ck_simd_available()) name##_avx2(__VA_ARGS__); \
        else name##_scalar(__VA_ARGS__);                \
    } while (0)
#else
#define DISPATCH(ok, name, ...) name##_scalar(__VA_ARGS__)
#endif

void ck_activate(int act, float *x, long n, int simd) {
    long head = (simd && ck_simd_available()) ? n - n % 8 : 0;
#ifdef CK_X86
    if (head > 0) activate_avx2(act, x, head);
#endif
    activate_scalar(act, x + head, n - head);
}

void ck_mul(long n, const float *a, const float *b, float *out) {
    long head = ck_simd_available() ? n - n % 8 : 0;
#ifdef CK_X86
    if (head > 0) mul_avx2(head, a, b, out);
#endif
    mul_scalar(n - head, a + head, b + head, out + head);
}

void ck_fma_acc(long n, const float *a, const float *b, float *acc) {
    long head = ck_simd_available() ? n - n % 8 : 0;
#ifdef CK_X86
    if (head > 0) fma_acc_avx2(head, a, b, acc);
#endif
    fma_acc_scalar(n - head, a + head, b + head, acc + head);
}

void ck_colsum_acc(long rows, int cols, const float *src, long ld, float *dst) {
    int head = ck_simd_available() ? cols - cols % 8 : 0;
#ifdef CK_X86
    if (head > 0) colsum_acc_avx2(rows, head, src, ld, dst);
#endif
    colsum_acc_scalar(rows, cols - head, src + head, ld, dst + head);
}

void ck_srnn_fwd(int B, int H, int act, float *z, const float *bias, const float *xrows, const int *ids) {
    DISPATCH(H % 8 == 0, srnn_fwd, B, H, act, z, bias, xrows, ids);
}
void ck_srnn_bwd(int B, int H, int act, const float *h, const float *dy, const float *dh, float *dz) {
    DISPATCH(H % 8 == 0, srnn_bwd, B, H, act, h, dy, dh, dz);
}
void ck_lstm_fwd(int B, int H, int act, int ract, float *z, const float *bias,
                 const float *c_prev, float *c, float *actc, float *h, const float *xrows, const int *ids) {
    DISPATCH(H % 8 == 0, lstm_fwd, B, H, act, ract, z, bias, c_prev, c, actc, h, xrows, ids);
}
void ck_lstm_bwd(int B, int H, int act, int ract, float *z, const float *c_prev,
                 const float *actc, const float *dy, const float *dhrec, float *dc) {
    DISPATCH(H % 8 == 0, lstm_bwd, B, H, act, ract, z, c_prev, actc, dy, dhrec, dc);
}
void ck_gru_ra_fwd(int B, int H, int act, int ract, float *zx, const float *bx,
                   const float *rr, const float *br, float *rh, const float *h_prev, float *h,
                   const float *xrows, const int *ids) {
    DISPATCH(H % 8 == 0, gru_ra_fwd, B, H, act, ract, zx, bx, rr, br, rh, h_prev, h, xrows, ids);
}
void ck_gru_ra_bwd(int B, int H, int act, int ract, float *g, float *rh, const float *h_prev,
                   const float *dy, const float *dhrec, float *dhp) {
    DISPATCH(H % 8 == 0, gru_ra_bwd, B, H, act, ract, g, rh, h_prev, dy, dhrec, dhp);
}
void ck_gru_rb_fwd1(int B, int H, int ract, float *zx, const float *bx, const float *rr,
                    const float *hm, float *rh) {
    DISPATCH(H % 8 == 0, gru_rb_fwd1, B, H, ract, zx, bx, rr, hm, rh);
}
void ck_gru_rb_fwd2(int B, int H, int act, float *zx, const float *bx, const float *rrh,
                    const float *h_prev, float *h) {
    DISPATCH(H % 8 == 0, gru_rb_fwd2, B, H, act, zx, bx, rrh, h_prev, h);
}
void ck_gru_rb_bwd1(int B, int H, int act, int ract, float *g, const float *h_prev,
                    const float *dy, const float *dhrec, float *dhp) {
    DISPATCH(H % 8 == 0, gru_rb_bwd1, B, H, act, ract, g, h_prev, dy, dhrec, dhp);
}
void ck_gru_rb_bwd2(int B, int H, int ract, float *g, const float *q, const float *h_prev,
                    const float *mh, float *dhp) {
    DISPATCH(H % 8 == 0, gru_rb_bwd2, B, H, ract, g, q, h_prev, mh, dhp);
}
