#pragma once
/*
 * Hand kernels for the recurrent layers of PipelineTraining.
 *
 * Shape legend: B batch rows, H units, k gates (LSTM 4: i f c o; GRU 3: z r h).
 * Every buffer is row-major and contiguous unless a leading dimension is given.
 * Each entry point checks the CPU once (AVX2 + FMA through __builtin_cpu_supports) and
 * otherwise runs a portable scalar version with libm's expf/tanhf. The SIMD sigmoid/tanh
 * stay within 1e-6 relative of libm (Cephes-style polynomials; see KernelsTests).
 * Activation codes: CK_LINEAR, CK_TANH, CK_SIGMOID, CK_RELU (derivatives from outputs).
 */
#include <stddef.h>

enum { CK_LINEAR = 0, CK_TANH = 1, CK_SIGMOID = 2, CK_RELU = 3 };

/* 1 when the AVX2/FMA paths are used on this CPU. */
int ck_simd_available(void);

/* x = act(x) in place over n values; simd = 0 forces the scalar (libm) path. */
void ck_activate(int act, float *x, long n, int simd);

/* C[M,N] = beta*C + A[M,K] * B[K,N] (beta 0 or 1), row-major with leading dims.
 * Returns 0 when it did not run (no AVX2, or N not a multiple of 8): call BLAS instead. */
int ck_gemm_nn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
               float beta, float *C, int ldc);

/* C[M,N] = beta*C + A^T B, where A is [K, M] with row stride lda (rows may overlap: lda < M is
 * allowed, e.g. Conv1D windows) and B is [K, N] (beta 0 or 1). Register tiles of 6x16 over
 * blocks of 256 rows of K, no packing. Returns 0 without touching C when AVX2/FMA is missing or
 * N % 8 != 0 (the caller uses BLAS). */
int ck_gemm_tn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
               float beta, float *C, int ldc);

/* out[n] = a[n] * b[n] */
void ck_mul(long n, const float *a, const float *b, float *out);
/* acc[n] += a[n] * b[n] */
void ck_fma_acc(long n, const float *a, const float *b, float *acc);
/* dst[j] += sum_r src[r*ld + j], j < cols */
void ck_colsum_acc(long rows, int cols, const float *src, long ld, float *dst);

/* Gathered input rows (fused Embedding; xrows and ids both NULL otherwise): the input-side
 * pre-activations of row b are xrows[ids[b] * kH ..< +kH] (kH = H, 4H, 3H), read in place.
 *
 * SimpleRNN. fwd: z[B,H] = act(z + bias [+ xrow]) (bias nullable).
 * bwd: dz[B,H] = (dy + dh) * act'(h), dy nullable; dz may alias dh. */
void ck_srnn_fwd(int B, int H, int act, float *z, const float *bias, const float *xrows, const int *ids);
void ck_srnn_bwd(int B, int H, int act, const float *h, const float *dy, const float *dh, float *dz);

/* LSTM. fwd: z[B,4H] pre-activations (bias [and xrow] added here) -> gate activations i f g o in place;
 * c = f*c_prev + i*g, actc = act(c), h = o*actc.
 * bwd: dh = dy + dhrec; dc (in: from step t+1, out: for step t-1);
 * z[B,4H] gates in -> pre-activation gradients out. */
void ck_lstm_fwd(int B, int H, int act, int ract, float *z, const float *bias,
                 const float *c_prev, float *c, float *actc, float *h, const float *xrows, const int *ids);
void ck_lstm_bwd(int B, int H, int act, int ract, float *z, const float *c_prev,
                 const float *actc, const float *dy, const float *dhrec, float *dc);

/* GRU, reset_after = true. fwd: zx[B,3H] input-side pre-activations (+bx; with ids, read from the
 * xrow instead and zx only written) -> z r hh in place;
 * rr[B,3H] recurrent pre-activations (+br); rh[B,H] out = rr_h + br_h (kept for backward);
 * h = z*h_prev + (1-z)*hh.
 * bwd: dh = dy + dhrec; g[B,3H] gates in -> recurrent-side gradients (dz, dr, dhh*r) out;
 * rh in -> input-side dhh out; dhp[B,H] out = dh*z (may alias dhrec). */
void ck_gru_ra_fwd(int B, int H, int act, int ract, float *zx, const float *bx,
                   const float *rr, const float *br, float *rh, const float *h_prev, float *h,
                   const float *xrows, const int *ids);
void ck_gru_ra_bwd(int B, int H, int act, int ract, float *g, float *rh, const float *h_prev,
                   const float *dy, const float *dhrec, float *dhp);

/* GRU, reset_after = false, in two halves around the product (r*h_m) U_h.
 * fwd1: z r = ract(zx + bx + rr) in zx[:, :2H]; rh[B,H] = r * hm (hm = h_prev * mask_h).
 * fwd2: hh = act(zx_h + bx_h + rrh) in zx[:, 2H:]; h = z*h_prev + (1-z)*hh.
 * bwd1: dh = dy + dhrec; g: dz at z, dhh_pre at h (r kept); dhp = dh*z (may alias dhrec).
 * bwd2: given q = dhh_pre U_h^T: g r -> dr_pre = q*hm*ract'(r); dhp += q*r*mh (mh nullable). */
void ck_gru_rb_fwd1(int B, int H, int ract, float *zx, const float *bx, const float *rr,
                    const float *hm, float *rh);
void ck_gru_rb_fwd2(int B, int H, int act, float *zx, const float *bx, const float *rrh,
                    const float *h_prev, float *h);
void ck_gru_rb_bwd1(int B, int H, int act, int ract, float *g, const float *h_prev,
                    const float *dy, const float *dhrec, float *dhp);
void ck_gru_rb_bwd2(int B, int H, int ract, float *g, const float *q, const float *h_prev,
                    const float *mh, float *dhp);

/* glibc heap policy: allocations below mmap_threshold come from the heap, and free memory at the
 * top of the heap is returned to the kernel only beyond trim_threshold. Returns 1 when applied
 * (glibc), 0 otherwise. ck_heap_free_bytes: free bytes held by the main arena (-1 if unknown). */
int ck_retain_heap(long mmap_threshold, long trim_threshold);
long ck_heap_free_bytes(void);

/* MaxPooling1D over [B, T, C] with pool P, stride S, Tout outputs per sample: y[B, Tout, C] and,
 * when idx is not NULL, the position 0..<P inside its window of each (first) maximum. NaN never
 * wins. ck_maxpool_bwd: dx[B, T, C] (every element written) from dy[B, Tout, C] and idx, the
 * gradient routed to each maximum (summed where overlapping windows share one). */
void ck_maxpool_fwd(int B, int T, int C, int P, int S, int Tout, const float *x, float *y, int *idx);
void ck_maxpool_bwd(int B, int T, int C, int P, int S, int Tout, const float *dy, const int *idx, float *dx);
/* dst[ids[r]*ldd + j] += src[r*lds + j] for r < rows, j < w: rows scattered by index (the
 * fused embedding's table gradient). Rows with equal ids are added in order r. */
void ck_scatter_rows(long rows, int w, const float *src, long lds, const int *ids, float *dst, long ldd);

/* Floating-point mode of the calling thread (fpmode.c): enter sets flush-to-zero and
 * denormals-are-zero and returns the previous mode for ck_fp_mode_restore. */
unsigned ck_fp_flush_denormals_enter(void);
void ck_fp_mode_restore(unsigned saved);
int ck_fp_flushes_denormals(void);
