/*
 * Element-wise recurrent kernels, written once over a vector type and included twice by
 * kernels.c: as AVX2 (V = __m256, W = 8) and as portable scalar code (V = float, W = 1).
 * Expects V, W, LD, ST, SPL, ACT(code, v), DACT(code, y), FN(name), TGT, PREFETCH_ROW(p, n)
 * (a hint that n floats at p are read soon; empty when scalar). No include guard.
 * Shape legend: B rows, H units; row b of a [B, kH] buffer starts at b*k*H.
 * Gathered input rows (the fused Embedding's table, `xrows`/`ids` nullable): row b's input-side
 * pre-activations are xrows[ids[b]*kH ...]; the row RECUR_AHEAD rows on is prefetched, since
 * the table is larger than L2 and the ids are data.
 */
#define RECUR_AHEAD 4
#define XROW(b, kH) (ids ? xrows + (long)ids[b] * (kH) : 0)
#define XPREFETCH(b, kH) do { if (ids && (b) + RECUR_AHEAD < B) PREFETCH_ROW(xrows + (long)ids[(b) + RECUR_AHEAD] * (kH), (kH)); } while (0)

static TGT void FN(activate)(int act, float *x, long n) {
    for (long i = 0; i < n; i += W) ST(x + i, ACT(act, LD(x + i)));
}

static TGT void FN(srnn_fwd)(int B, int H, int act, float *z, const float *bias,
                             const float *xrows, const int *ids) {
    const V zero = SPL(0.0f);
    for (int b = 0; b < B; b++) {
        float *zr = z + (long)b * H;
        const float *xr = XROW(b, H);
        XPREFETCH(b, H);
        for (int j = 0; j < H; j += W) {
            V bj = bias ? LD(bias + j) : zero;
            if (xr) bj = bj + LD(xr + j);
            ST(zr + j, ACT(act, LD(zr + j) + bj));
        }
    }
}

static TGT void FN(srnn_bwd)(int B, int H, int act, const float *h, const float *dy,
                             const float *dh, float *dz) {
    for (long i = 0; i < (long)B * H; i += W) {
        V g = LD(dh + i);
        if (dy) g = g + LD(dy + i);
        ST(dz + i, g * DACT(act, LD(h + i)));
    }
}

static TGT void FN(lstm_fwd)(int B, int H, int act, int ract, float *z, const float *bias,
                             const float *c_prev, float *c, float *actc, float *h,
                             const float *xrows, const int *ids) {
    const V zero = SPL(0.0f);
    for (int b = 0; b < B; b++) {
        float *zr = z + (long)b * 4 * H;
        const float *xr = XROW(b, 4 * H);
        XPREFETCH(b, 4 * H);
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V bi = bias ? LD(bias + j) : zero, bf = bias ? LD(bias + H + j) : zero;
            V bg = bias ? LD(bias + 2 * H + j) : zero, bo = bias ? LD(bias + 3 * H + j) : zero;
            if (xr) {
                bi = bi + LD(xr + j); bf = bf + LD(xr + H + j);
                bg = bg + LD(xr + 2 * H + j); bo = bo + LD(xr + 3 * H + j);
            }
            V i = ACT(ract, LD(zr + j) + bi);
            V f = ACT(ract, LD(zr + H + j) + bf);
            V g = ACT(act, LD(zr + 2 * H + j) + bg);
            V og = ACT(ract, LD(zr + 3 * H + j) + bo);
            V cn = f * LD(c_prev + o + j) + i * g;
            V ac = ACT(act, cn);
            ST(zr + j, i); ST(zr + H + j, f); ST(zr + 2 * H + j, g); ST(zr + 3 * H + j, og);
            ST(c + o + j, cn); ST(actc + o + j, ac); ST(h + o + j, og * ac);
        }
    }
}

static TGT void FN(lstm_bwd)(int B, int H, int act, int ract, float *z, const float *c_prev,
                             const float *actc, const float *dy, const float *dhrec, float *dc) {
    for (int b = 0; b < B; b++) {
        float *zr = z + (long)b * 4 * H;
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V dh = LD(dhrec + o + j);
            if (dy) dh = dh + LD(dy + o + j);
            V i = LD(zr + j), f = LD(zr + H + j), g = LD(zr + 2 * H + j), og = LD(zr + 3 * H + j);
            V ac = LD(actc + o + j);
            V dcv = LD(dc + o + j) + dh * og * DACT(act, ac);
            ST(zr + j, dcv * g * DACT(ract, i));
            ST(zr + H + j, dcv * LD(c_prev + o + j) * DACT(ract, f));
            ST(zr + 2 * H + j, dcv * i * DACT(act, g));
            ST(zr + 3 * H + j, dh * ac * DACT(ract, og));
            ST(dc + o + j, dcv * f);
        }
    }
}

static TGT void FN(gru_ra_fwd)(int B, int H, int act, int ract, float *zx, const float *bx,
                               const float *rr, const float *br, float *rh,
                               const float *h_prev, float *h, const float *xrows, const int *ids) {
    const V zero = SPL(0.0f), one = SPL(1.0f);
    for (int b = 0; b < B; b++) {
        float *zr = zx + (long)b * 3 * H;
        const float *xr = ids ? XROW(b, 3 * H) : zr;   /* input side: gathered row or zx itself */
        XPREFETCH(b, 3 * H);
        const float *rrr = rr + (long)b * 3 * H;
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V bxz = bx ? LD(bx + j) : zero, bxr = bx ? LD(bx + H + j) : zero, bxh = bx ? LD(bx + 2 * H + j) : zero;
            V brz = br ? LD(br + j) : zero, brr = br ? LD(br + H + j) : zero, brh = br ? LD(br + 2 * H + j) : zero;
            V zg = ACT(ract, LD(xr + j) + bxz + LD(rrr + j) + brz);
            V rg = ACT(ract, LD(xr + H + j) + bxr + LD(rrr + H + j) + brr);
            V rhv = LD(rrr + 2 * H + j) + brh;
            V hh = ACT(act, LD(xr + 2 * H + j) + bxh + rg * rhv);
            V hp = LD(h_prev + o + j);
            ST(zr + j, zg); ST(zr + H + j, rg); ST(zr + 2 * H + j, hh);
            ST(rh + o + j, rhv);
            ST(h + o + j, zg * hp + (one - zg) * hh);
        }
    }
}

static TGT void FN(gru_ra_bwd)(int B, int H, int act, int ract, float *g, float *rh,
                               const float *h_prev, const float *dy, const float *dhrec, float *dhp) {
    const V one = SPL(1.0f);
    for (int b = 0; b < B; b++) {
        float *gr = g + (long)b * 3 * H;
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V dh = LD(dhrec + o + j);
            if (dy) dh = dh + LD(dy + o + j);
            V zg = LD(gr + j), rg = LD(gr + H + j), hh = LD(gr + 2 * H + j);
            V hp = LD(h_prev + o + j), rhv = LD(rh + o + j);
            V dhh = dh * (one - zg) * DACT(act, hh);
            ST(gr + j, dh * (hp - hh) * DACT(ract, zg));
            ST(gr + H + j, dhh * rhv * DACT(ract, rg));
            ST(gr + 2 * H + j, dhh * rg);
            ST(rh + o + j, dhh);
            ST(dhp + o + j, dh * zg);
        }
    }
}

static TGT void FN(gru_rb_fwd1)(int B, int H, int ract, float *zx, const float *bx,
                                const float *rr, const float *hm, float *rh) {
    const V zero = SPL(0.0f);
    for (int b = 0; b < B; b++) {
        float *zr = zx + (long)b * 3 * H;
        const float *rrr = rr + (long)b * 2 * H;
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V bxz = bx ? LD(bx + j) : zero, bxr = bx ? LD(bx + H + j) : zero;
            V zg = ACT(ract, LD(zr + j) + bxz + LD(rrr + j));
            V rg = ACT(ract, LD(zr + H + j) + bxr + LD(rrr + H + j));
            ST(zr + j, zg); ST(zr + H + j, rg);
            ST(rh + o + j, rg * LD(hm + o + j));
        }
    }
}

static TGT void FN(gru_rb_fwd2)(int B, int H, int act, float *zx, const float *bx,
                                const float *rrh, const float *h_prev, float *h) {
    const V zero = SPL(0.0f), one = SPL(1.0f);
    for (int b = 0; b < B; b++) {
        float *zr = zx + (long)b * 3 * H;
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V bxh = bx ? LD(bx + 2 * H + j) : zero;
            V hh = ACT(act, LD(zr + 2 * H + j) + bxh + LD(rrh + o + j));
            V zg = LD(zr + j);
            ST(zr + 2 * H + j, hh);
            ST(h + o + j, zg * LD(h_prev + o + j) + (one - zg) * hh);
        }
    }
}

static TGT void FN(gru_rb_bwd1)(int B, int H, int act, int ract, float *g, const float *h_prev,
                                const float *dy, const float *dhrec, float *dhp) {
    const V one = SPL(1.0f);
    for (int b = 0; b < B; b++) {
        float *gr = g + (long)b * 3 * H;
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V dh = LD(dhrec + o + j);
            if (dy) dh = dh + LD(dy + o + j);
            V zg = LD(gr + j), hh = LD(gr + 2 * H + j), hp = LD(h_prev + o + j);
            ST(gr + j, dh * (hp - hh) * DACT(ract, zg));
            ST(gr + 2 * H + j, dh * (one - zg) * DACT(act, hh));
            ST(dhp + o + j, dh * zg);
        }
    }
}

static TGT void FN(gru_rb_bwd2)(int B, int H, int ract, float *g, const float *q,
                                const float *h_prev, const float *mh, float *dhp) {
    for (int b = 0; b < B; b++) {
        float *gr = g + (long)b * 3 * H;
        long o = (long)b * H;
        for (int j = 0; j < H; j += W) {
            V qv = LD(q + o + j), rg = LD(gr + H + j);
            V hm = LD(h_prev + o + j), rm = rg;
            if (mh) { V m = LD(mh + o + j); hm = hm * m; rm = rm * m; }
            ST(gr + H + j, qv * hm * DACT(ract, rg));
            ST(dhp + o + j, LD(dhp + o + j) + qv * rm);
        }
    }
}

static TGT void FN(mul)(long n, const float *a, const float *b, float *out) {
    for (long i = 0; i < n; i += W) ST(out + i, LD(a + i) * LD(b + i));
}

static TGT void FN(fma_acc)(long n, const float *a, const float *b, float *acc) {
    for (long i = 0; i < n; i += W) ST(acc + i, LD(acc + i) + LD(a + i) * LD(b + i));
}

static TGT void FN(colsum_acc)(long rows, int cols, const float *src, long ld, float *dst) {
    /* Row-major streaming (one pass over src), four rows per sweep into dst. */
    long r = 0;
    for (; r + 4 <= rows; r += 4) {
        const float *a = src + r * ld;
        for (int j = 0; j < cols; j += W)
            ST(dst + j, LD(dst + j) + ((LD(a + j) + LD(a + ld + j)) + (LD(a + 2 * ld + j) + LD(a + 3 * ld + j))));
    }
    for (; r < rows; r++)
        for (int j = 0; j < cols; j += W) ST(dst + j, LD(dst + j) + LD(src + r * ld + j));
}

#undef XROW
#undef XPREFETCH
#undef RECUR_AHEAD
