// The checks of check_kernels.c for one scalar type, included once with T = float and once with
// T = double (SFX names the kernels' suffix, UNIT is T's unit roundoff, SHUFFLE_HALF the largest
// half-window correlate's shuffle path takes and LANES the elements in one 64-byte vector).

#ifndef CHECK_KERNELS_NAMES
#define CHECK_KERNELS_NAMES
#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define K(name) CAT(name, SFX)
#define STR_(x) #x
#define STR(x) STR_(x)
#define KNAME(name) STR(K(name))
// Correlate takes its shuffle path for windows up to 2 SHUFFLE_HALF + 1 taps (33 floats, 17
// doubles) and its plain blocks beyond (35: both types; 19, 21, 33: doubles).
static const long windowSizes[] = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 33, 35};
// Offsets of the source rows from a 64-byte boundary, in elements (0: aligned).
static const long elementOffsets[] = {0, 1, 5};
#define LENGTH(a) ((long)(sizeof(a) / sizeof((a)[0])))
static long skippedElements, clampedLosses, ambiguousLosses;
#endif

// Counts: multiples of 8 (float) / 4 (double) but not of 16, and of 16 but not 32 or 64, one of
// 64 and large ones: they exercise the 64/32-element blocks and the 8/4-element ones, filter4's
// two-vector and one-vector blocks and its scalar tail, and correlate's shuffle path and its tail.
static const long K(counts)[] = {
#if LANES == 16
    8, 24, 40, 56, 64, 136, 1040
#else
    4, 12, 20, 28, 36, 64, 136, 1040
#endif
};

static T *K(randomRow)(long n, long offset, double lo, double hi) {
    T *row = allocate((size_t)n * sizeof(T), (size_t)offset * sizeof(T));
    for (long i = 0; i < n; i++) row[i] = (T)uniform(lo, hi);
    return row;
}

// A symmetric window of `taps` positive weights (w[k] = w[taps - 1 - k]).
static T *K(symmetricWindow)(long taps) {
    T *w = K(randomRow)(taps, 0, 0.01, 1);
    for (long k = 0; k < taps / 2; k++) w[taps - 1 - k] = w[k];
    return w;
}

// dst[c] = w[h] src[c + h] + sum_{k < h} w[k] (src[c + k] + src[c + 2h - k]).
static void K(checkCorrelate)(long taps, long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "taps=%ld count=%ld offset=%ld elements", taps, count, offset);
    const long half = taps / 2;
    // The header promises reads within src[0 ..< count + 2 half] only, also on the shuffle path
    // (1 <= half <= SHUFFLE_HALF), which loads whole vectors (before 6696a6f it read up to
    // src[count + LANES - 1], i.e. count + 15 floats / count + 7 doubles; now it stops where a
    // vector would pass count + 2 half). The row holds exactly count + 2 half elements, no more
    // padding, so that AddressSanitizer catches any read past the promise.
    const long extent = count + 2 * half;
    const T *src = K(randomRow)(extent, offset, -1, 1);
    const T *w = K(symmetricWindow)(taps);
    T *dst = allocate((size_t)count * sizeof(T), 0);
    K(ssim_correlate)(src, dst, count, w, half);
    const Real bound = gammaBound(taps, UNIT + unitLong);
    for (long c = 0; c < count; c++) {
        Real sum = (Real)w[half] * src[c + half], magnitude = fabsl((Real)w[half] * src[c + half]);
        for (long k = 0; k < half; k++) {
            sum += (Real)w[k] * ((Real)src[c + k] + src[c + 2 * half - k]);
            magnitude += fabsl((Real)w[k] * src[c + k]) + fabsl((Real)w[k] * src[c + 2 * half - k]);
        }
        expectClose(KNAME(ssim_correlate), text, c, "", dst[c], sum, bound * magnitude);
    }
    // Kernels.c: the shuffle path does "the same operations in the same order" as the blocks, as
    // symmetric_sum does on the rows src + k: the same bits.
    const T *rows[64];
    for (long k = 0; k < taps; k++) rows[k] = src + k;
    T *same = allocate((size_t)count * sizeof(T), 0);
    K(ssim_symmetric_sum)(rows, w, half, same, count);
    for (long c = 0; c < count; c++)
        expectSameBits(KNAME(ssim_correlate), text, c, "(vs ssim_symmetric_sum on the shifted rows, bit for bit)", dst[c], same[c]);
    releaseAll();
}

// dst[c] = w[h] rows[h][c] + sum_{k < h} w[k] (rows[k][c] + rows[2h - k][c]); rows may repeat.
static void K(checkSymmetricSum)(long taps, long count, long offset, int reflected) {
    char text[160];
    snprintf(text, sizeof text, "taps=%ld count=%ld offset=%ld elements%s", taps, count, offset, reflected ? " reflected rows" : "");
    const long half = taps / 2;
    const T *pool[64], *rows[64];
    for (long k = 0; k < taps; k++) pool[k] = K(randomRow)(count, offset, -1, 1);
    // Reflected: the first rows mirror the ones after them, as at an image's top border.
    for (long k = 0; k < taps; k++) rows[k] = reflected ? pool[labs(k - half / 2)] : pool[k];
    const T *w = K(symmetricWindow)(taps);
    T *dst = allocate((size_t)count * sizeof(T), 0);
    K(ssim_symmetric_sum)(rows, w, half, dst, count);
    const Real bound = gammaBound(taps, UNIT + unitLong);
    for (long c = 0; c < count; c++) {
        Real sum = (Real)w[half] * rows[half][c], magnitude = fabsl((Real)w[half] * rows[half][c]);
        for (long k = 0; k < half; k++) {
            sum += (Real)w[k] * ((Real)rows[k][c] + rows[2 * half - k][c]);
            magnitude += fabsl((Real)w[k] * rows[k][c]) + fabsl((Real)w[k] * rows[2 * half - k][c]);
        }
        expectClose(KNAME(ssim_symmetric_sum), text, c, "", dst[c], sum, bound * magnitude);
    }
    releaseAll();
}

// dst[o][c] = sum_{k < taps} w[k] rows[o + k][c], o in 0..<4, with a symmetric window of odd
// taps >= 3 (the header's contract: Kernels.c pairs w[k] with rows k and taps - 1 - k).
static void K(checkFilter4)(long taps, long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "taps=%ld count=%ld offset=%ld elements", taps, count, offset);
    const T *rows[64];
    for (long k = 0; k < taps + 3; k++) rows[k] = K(randomRow)(count, offset, -1, 1);
    const T *w = K(symmetricWindow)(taps);
    T *dst[4];
    for (int o = 0; o < 4; o++) dst[o] = allocate((size_t)count * sizeof(T), 0);
    K(ssim_filter4)(rows, w, taps, dst, count);
    const Real bound = gammaBound(taps, UNIT + unitLong);
    char what[80];
    for (int o = 0; o < 4; o++) {
        snprintf(what, sizeof what, "of output %d", o);
        for (long c = 0; c < count; c++) {
            Real sum = 0, magnitude = 0;
            for (long k = 0; k < taps; k++) {
                sum += (Real)w[k] * rows[o + k][c];
                magnitude += fabsl((Real)w[k] * rows[o + k][c]);
            }
            expectClose(KNAME(ssim_filter4), text, c, what, dst[o][c], sum, bound * magnitude);
        }
    }
    // Kernels.c: "a row filtered with three others and one filtered alone come out with the
    // same bits" (symmetric_sum's order).
    T *same = allocate((size_t)count * sizeof(T), 0);
    for (int o = 0; o < 4; o++) {
        snprintf(what, sizeof what, "of output %d (vs ssim_symmetric_sum, bit for bit)", o);
        K(ssim_symmetric_sum)(rows + o, w, taps / 2, same, count);
        for (long c = 0; c < count; c++) expectSameBits(KNAME(ssim_filter4), text, c, what, dst[o][c], same[c]);
    }
    releaseAll();
}

// dst[c] = sum_j weights[j] rows[j][c].
static void K(checkWeightedSum)(long rowCount, long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "rowCount=%ld count=%ld offset=%ld elements", rowCount, count, offset);
    const T *rows[64];
    for (long j = 0; j < rowCount; j++) rows[j] = K(randomRow)(count, offset, -1, 1);
    const T *weights = K(randomRow)(rowCount, 0, -1, 1);
    T *dst = allocate((size_t)count * sizeof(T), 0);
    K(ssim_weighted_sum)(rows, weights, rowCount, dst, count);
    const Real bound = gammaBound(rowCount, UNIT + unitLong);
    for (long c = 0; c < count; c++) {
        Real sum = 0, magnitude = 0;
        for (long j = 0; j < rowCount; j++) {
            sum += (Real)weights[j] * rows[j][c];
            magnitude += fabsl((Real)weights[j] * rows[j][c]);
        }
        expectClose(KNAME(ssim_weighted_sum), text, c, "", dst[c], sum, bound * magnitude);
    }
    releaseAll();
}

// dst[c] += sum_{j < taps} sum_{k < taps} mask[j taps + k] rows[j][c + k] (rows hold count + taps - 1).
static void K(checkFilter2DAdd)(long taps, long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "taps=%ld count=%ld offset=%ld elements", taps, count, offset);
    const T *rows[64];
    for (long j = 0; j < taps; j++) rows[j] = K(randomRow)(count + taps - 1, offset, -1, 1);
    const T *mask = K(randomRow)(taps * taps, 0, -1, 1);
    T *dst = K(randomRow)(count, 0, -1, 1);
    T *before = allocate((size_t)count * sizeof(T), 0);
    memcpy(before, dst, (size_t)count * sizeof(T));
    K(ssim_filter2d_add)(rows, mask, taps, dst, count);
    // taps^2 products summed, then added to dst: at most taps^2 + 1 roundings per term.
    const Real bound = gammaBound(taps * taps + 1, UNIT + unitLong);
    for (long c = 0; c < count; c++) {
        Real sum = 0, magnitude = fabsl((Real)before[c]);
        for (long j = 0; j < taps; j++)
            for (long k = 0; k < taps; k++) {
                sum += (Real)mask[j * taps + k] * rows[j][c + k];
                magnitude += fabsl((Real)mask[j * taps + k] * rows[j][c + k]);
            }
        expectClose(KNAME(ssim_filter2d_add), text, c, "", dst[c], (Real)before[c] + sum, bound * magnitude);
    }
    releaseAll();
}

static void K(expectBounded)(const char *kernel, const char *text, long i, const char *what, T got, Bounded reference, Bounded kernelBound) {
    const Real tolerance = toleranceOf(reference, kernelBound);
    if (!isfinite(tolerance)) {
        skippedElements++;
        return;
    }
    expectClose(kernel, text, i, what, got, reference.v, tolerance);
}

static void K(checkProducts)(long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements", count, offset);
    const T *x = K(randomRow)(count, offset, 0, 1), *y = K(randomRow)(count, offset, 0, 1);
    const T shift1 = (T)uniform(0, 1), shift2 = (T)uniform(0, 1), scale = (T)uniform(0.5, 4);
    T *out[5];
    for (int k = 0; k < 5; k++) out[k] = allocate((size_t)count * sizeof(T), 0);
    K(ssim_products)(x, y, shift1, shift2, scale, count, out[0], out[1], out[2], out[3], out[4]);
    for (long i = 0; i < count; i++) {
        roundoff = unitLong;
        const Products r = productsBounded(x[i], y[i], shift1, shift2, scale);
        roundoff = UNIT;
        const Products b = productsBounded(x[i], y[i], shift1, shift2, scale);
        K(expectBounded)(KNAME(ssim_products), text, i, "px", out[0][i], r.px, b.px);
        K(expectBounded)(KNAME(ssim_products), text, i, "py", out[1][i], r.py, b.py);
        K(expectBounded)(KNAME(ssim_products), text, i, "pxx", out[2][i], r.pxx, b.pxx);
        K(expectBounded)(KNAME(ssim_products), text, i, "pyy", out[3][i], r.pyy, b.pyy);
        K(expectBounded)(KNAME(ssim_products), text, i, "pdd", out[4][i], r.pdd, b.pdd);
    }
    releaseAll();
}

// Rows of centred moments of four kinds, cycling: consistent statistics of two windows;
// identical windows (mu2 = mu1, e22 = e11, edd = 0); flat windows (zero variance: e11 exactly
// mu1^2 rounded, as the kernel's comment requires to give 0); and slightly inconsistent moments
// (variances a little below zero, as rounding makes them), where the loss's clamp acts.
typedef struct { T *mu1, *mu2, *e11, *e22, *edd; } K(MomentRows);
static K(MomentRows) K(randomMoments)(long count, long offset) {
    K(MomentRows) m;
    m.mu1 = allocate((size_t)count * sizeof(T), (size_t)offset * sizeof(T));
    m.mu2 = allocate((size_t)count * sizeof(T), (size_t)offset * sizeof(T));
    m.e11 = allocate((size_t)count * sizeof(T), (size_t)offset * sizeof(T));
    m.e22 = allocate((size_t)count * sizeof(T), (size_t)offset * sizeof(T));
    m.edd = allocate((size_t)count * sizeof(T), (size_t)offset * sizeof(T));
    for (long i = 0; i < count; i++) {
        const double mu1 = (T)uniform(-0.5, 0.5);
        double mu2 = (T)uniform(-0.5, 0.5);
        const double s1 = uniform(0, 0.1), s2 = uniform(0, 0.1), rho = uniform(-1, 1);
        const double sdd = s1 + s2 - 2 * rho * sqrt(s1 * s2);
        switch (i % 4) {
        case 0:
            m.e11[i] = (T)(mu1 * mu1 + s1); m.e22[i] = (T)(mu2 * mu2 + s2);
            m.edd[i] = (T)((mu1 - mu2) * (mu1 - mu2) + sdd);
            break;
        case 1:
            mu2 = mu1;
            m.e11[i] = m.e22[i] = (T)(mu1 * mu1 + s1); m.edd[i] = 0;
            break;
        case 2: {
            mu2 = (T)(mu1 + uniform(-1e-3, 1e-3));
            const T a = (T)mu1, b = (T)mu2, d = a - b;
            m.e11[i] = a * a; m.e22[i] = b * b; m.edd[i] = d * d;
            break;
        }
        default:
            m.e11[i] = (T)(mu1 * mu1 + uniform(-1e-3, 0.05)); m.e22[i] = (T)(mu2 * mu2 + uniform(-1e-3, 0.05));
            m.edd[i] = (T)((mu1 - mu2) * (mu1 - mu2) + uniform(-1e-3, 0.05));
            break;
        }
        m.mu1[i] = (T)mu1; m.mu2[i] = (T)mu2;
    }
    return m;
}

static Moments K(momentsAt)(const K(MomentRows) *m, long i, T shift1, T shift2, T c1, T c2, T cov, T eps) {
    return (Moments){m->mu1[i], m->mu2[i], m->e11[i], m->e22[i], m->edd[i], shift1, shift2, c1, c2, cov, eps};
}

static const T K(c1) = (T)(0.01 * 0.01), K(c2) = (T)(0.03 * 0.03);

static void K(checkFormula)(long count, long offset, int dissimilarity, T cov, T eps) {
    char text[200];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements dissimilarity=%d cov=%.9g eps=%g", count, offset, dissimilarity, (double)cov, (double)eps);
    const K(MomentRows) m = K(randomMoments)(count, offset);
    // Equal shifts in a third of the cases: the identical windows are then identical images.
    const T shift1 = (T)uniform(0, 1), shift2 = offset == 1 ? shift1 : (T)uniform(0, 1);
    T *out = allocate((size_t)count * sizeof(T), 0);
    const double total = K(ssim_formula)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, shift1, shift2, K(c1), K(c2), cov, eps, dissimilarity, out);
    Real sum = 0, magnitude = 0;
    for (long i = 0; i < count; i++) {
        const Moments x = K(momentsAt)(&m, i, shift1, shift2, K(c1), K(c2), cov, eps);
        roundoff = unitLong;
        const Bounded r = formulaBounded(&x, dissimilarity);
        roundoff = UNIT;
        const Bounded b = formulaBounded(&x, dissimilarity);
        K(expectBounded)(KNAME(ssim_formula), text, i, "", out[i], r, b);
        sum += out[i];
        magnitude += fabsl((Real)out[i]);
    }
    expectClose(KNAME(ssim_formula), text, -1, "(the returned sum in double)", total, sum,
                gammaBound(count, 0x1p-53L + unitLong) * magnitude);
    releaseAll();
}

static void K(checkPartials)(long count, long valid, long offset, int loss, T cov, T eps, int withUpstream) {
    char text[240];
    snprintf(text, sizeof text, "count=%ld valid=%ld offset=%ld elements loss=%d cov=%.9g eps=%g upstream=%s", count, valid, offset, loss,
             (double)cov, (double)eps, withUpstream ? "row" : "NULL");
    const K(MomentRows) m = K(randomMoments)(count, offset);
    const T shift1 = (T)uniform(0, 1), shift2 = offset == 1 ? shift1 : (T)uniform(0, 1), uniformG = (T)uniform(-1, 1);
    const T *upstream = withUpstream ? K(randomRow)(count, offset, -1, 1) : NULL;
    T *out[5];
    for (int k = 0; k < 5; k++) out[k] = allocate((size_t)count * sizeof(T), 0);
    const double total = K(ssim_partials)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, valid, shift1, shift2, K(c1), K(c2), cov, eps, loss, upstream,
                                          uniformG, out[0], out[1], out[2], out[3], out[4]);
    const char *kernel = KNAME(ssim_partials);
    Real sum = 0, magnitude = 0;
    for (long i = 0; i < count; i++) {
        const Moments x = K(momentsAt)(&m, i, shift1, shift2, K(c1), K(c2), cov, eps);
        const Real u = i < valid ? (upstream ? upstream[i] : uniformG) : 0;
        Real g = u;
        roundoff = unitLong;
        const Bounded r = formulaBounded(&x, loss);
        roundoff = UNIT;
        const Bounded b = formulaBounded(&x, loss);
        K(expectBounded)(kernel, text, i, "values", out[4][i], r, b);
        if (i < valid) {
            sum += out[4][i];
            magnitude += fabsl((Real)out[4][i]);
        }
        // Loss: g = -u / 2 where the unclamped loss is in [0, 1], else 0. Where the loss is within
        // its error bound of 0 or 1 either is right: the kernel must match one of the two.
        Real gAlternative = g;
        if (loss == 1) {
            roundoff = unitLong;
            const Terms tr = termsBounded(&x);
            const Bounded lr = lossBounded(&tr, x.eps);
            roundoff = UNIT;
            const Terms tb = termsBounded(&x);
            const Bounded lb = lossBounded(&tb, x.eps);
            const Real tolerance = lr.e + lb.e;
            g = (lr.v >= 0 && lr.v <= 1) ? -u / 2 : 0;
            if (g == 0) clampedLosses++;
            gAlternative = g;
            if (!isfinite(tolerance) || fabsl(lr.v) <= tolerance || fabsl(lr.v - 1) <= tolerance) {
                gAlternative = g == 0 ? -u / 2 : 0;
                ambiguousLosses++;
            }
        }
        if (gAlternative != g) {
            roundoff = unitLong;
            const Partials ar = partialsHeaderForm(&x, gAlternative);
            roundoff = UNIT;
            const Partials ab = partialsKernelForm(&x, gAlternative);
            const Real got[4] = {out[0][i], out[1][i], out[2][i], out[3][i]};
            const Bounded want[4] = {ar.dMu1, ar.dMu2, ar.dB, ar.dR}, kernelBound[4] = {ab.dMu1, ab.dMu2, ab.dB, ab.dR};
            int matches = 1;
            for (int k = 0; k < 4; k++) matches &= fabsl(got[k] - want[k].v) <= toleranceOf(want[k], kernelBound[k]);
            if (matches) {
                checks += 4;
                continue;
            }
        }
        // The contrast-structure statistic (2) has partials of its own; g is the upstream itself.
        roundoff = unitLong;
        const Partials pr = loss == 2 ? contrastPartialsHeaderForm(&x, g) : partialsHeaderForm(&x, g);
        roundoff = UNIT;
        const Partials pb = loss == 2 ? contrastPartialsKernelForm(&x, g) : partialsKernelForm(&x, g);
        K(expectBounded)(kernel, text, i, "dMu1", out[0][i], pr.dMu1, pb.dMu1);
        K(expectBounded)(kernel, text, i, "dMu2", out[1][i], pr.dMu2, pb.dMu2);
        K(expectBounded)(kernel, text, i, "dB", out[2][i], pr.dB, pb.dB);
        K(expectBounded)(kernel, text, i, "dR", out[3][i], pr.dR, pb.dR);
    }
    expectClose(kernel, text, -1, "(the returned sum in double)", total, sum, gammaBound(valid, 0x1p-53L + unitLong) * magnitude);
    // Kernels.c: the values "must equal the forward pass's bit for bit", and are summed alike.
    T *forward = allocate((size_t)count * sizeof(T), 0);
    const double forwardTotal = K(ssim_formula)(m.mu1, m.mu2, m.e11, m.e22, m.edd, valid, shift1, shift2, K(c1), K(c2), cov, eps, loss, forward);
    for (long i = 0; i < valid; i++) expectSameBits(kernel, text, i, "values (vs ssim_formula, bit for bit)", out[4][i], forward[i]);
    expectSameBits(kernel, text, -1, "returned sum (vs ssim_formula's, bit for bit)", total, forwardTotal);
    releaseAll();
}

static void K(checkCombine)(long count, long offset, int withDy) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements dy=%s", count, offset, withDy ? "row" : "NULL");
    const T *x = K(randomRow)(count, offset, 0, 1), *y = K(randomRow)(count, offset, 0, 1);
    const T *m1 = K(randomRow)(count, offset, -1, 1), *m2 = K(randomRow)(count, offset, -1, 1);
    const T *sb = K(randomRow)(count, offset, -1, 1), *r = K(randomRow)(count, offset, -1, 1);
    const T shift1 = (T)uniform(0, 1), shift2 = (T)uniform(0, 1), scale = (T)uniform(0.5, 4);
    T *dx = allocate((size_t)count * sizeof(T), 0);
    T *dy = withDy ? allocate((size_t)count * sizeof(T), 0) : NULL;
    K(ssim_combine)(x, y, shift1, shift2, scale, m1, m2, sb, r, count, dx, dy);
    for (long i = 0; i < count; i++) {
        Bounded rx, ry, bx, by;
        roundoff = unitLong;
        combineBounded(x[i], y[i], shift1, shift2, scale, m1[i], m2[i], sb[i], r[i], &rx, &ry);
        roundoff = UNIT;
        combineBounded(x[i], y[i], shift1, shift2, scale, m1[i], m2[i], sb[i], r[i], &bx, &by);
        K(expectBounded)(KNAME(ssim_combine), text, i, "dx", dx[i], rx, bx);
        if (dy) K(expectBounded)(KNAME(ssim_combine), text, i, "dy", dy[i], ry, by);
    }
    releaseAll();
}

// The halving's pair sums and their adjoint: the same operations in the same order as the plain
// loops of the header, so the same bits; any count (here also odd ones and 1); `ssim_prefetch`
// on the same rows (it reads nothing, but AddressSanitizer sees a bad address computed).
static void K(checkPairs)(long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements", count, offset);
    const T *src = K(randomRow)(2 * count, offset, -1, 1), *grad = K(randomRow)(count, offset, -1, 1);
    const T factor = (T)0.25;
    T *row = K(randomRow)(count, offset, -1, 1), *want = allocate((size_t)count * sizeof(T), 0);
    T *dst = K(randomRow)(2 * count, offset, -1, 1), *wantDst = allocate((size_t)(2 * count) * sizeof(T), 0);
    ssim_prefetch(src, 2 * count * (long)sizeof(T));
    for (long p = 0; p < count; p++) want[p] = (row[p] + src[2 * p]) + src[2 * p + 1];
    for (long i = 0; i < 2 * count; i++) wantDst[i] = dst[i];
    for (long p = 0; p < count; p++) {
        const T share = grad[p] * factor;
        wantDst[2 * p] += share;
        wantDst[2 * p + 1] += share;
    }
    K(ssim_pair_sums_add)(src, count, row);
    K(ssim_pair_spread_add)(grad, count, factor, dst);
    for (long p = 0; p < count; p++) expectSameBits(KNAME(ssim_pair_sums_add), text, p, "row", row[p], want[p]);
    for (long i = 0; i < 2 * count; i++) expectSameBits(KNAME(ssim_pair_spread_add), text, i, "dst", dst[i], wantDst[i]);
    releaseAll();
}

// MATLAB's general form (ssim_general_formula, ssim_general_partials) against the header's formula
// evaluated in long double on the consistent windows (every fourth element) whose variances are
// at least 0.01: where a variance is 0 or rounds below it, sqrt and the slope of the clamp make
// the long double and the kernel take different branches, and as it nears 0 the kernel's own
// rounding of s = e - mu^2 (about u e absolute) grows relative to s as e / s, which the slopes of
// sqrt(s) carry into the partials (a variance of 1e-5 gave 4,300 u). Not an error bound like the
// checks above: a relative tolerance (values: 2^10 u (1 + |v|); partials: 2^12 u of the row's
// largest partial), which holds where e / s is at most about 30.
typedef struct { long double v, dMu1, dMu2, dB, dR; } K(GeneralReference);
// (Under a fractional exponent a negative term counts as 0, slope 0: MATLAB's clamp.)
static long double K(powerL)(long double v, long double e) { return e == 1 ? v : (e == 0 ? 1 : powl(e != floorl(e) && v < 0 ? 0 : v, e)); }
static long double K(slopeL)(long double v, long double e) {
    return e == 1 ? 1 : (e == 0 || (e != floorl(e) && v < 0) ? 0 : e * powl(v, e - 1));
}
static K(GeneralReference) K(generalReference)(const Moments *x, long double c3, long double alpha, long double beta, long double gamma, int statistic, long double u) {
    const long double m1c = x->mu1, m2c = x->mu2, m1 = m1c + x->shift1, m2 = m2c + x->shift2, dmc = m1c - m2c, cov = x->cov;
    const long double s1 = cov * (x->e11 - m1c * m1c), s2 = cov * (x->e22 - m2c * m2c), sdd = cov * (x->edd - dmc * dmc);
    const long double c = m1 * m1 + m2 * m2 + x->c1, d = s1 + s2 + x->c2, a = 2 * m1 * m2 + x->c1;
    const long double sd1 = sqrtl(s1), sd2 = sqrtl(s2), p = sd1 * sd2, s12 = (s1 + s2 - sdd) / 2, sden = p + c3;
    const long double lum = a / c, con = (2 * p + x->c2) / d, str = (s12 + c3) / sden;
    const long double pl = K(powerL)(lum, alpha), pc = K(powerL)(con, beta), ps = K(powerL)(str, gamma), ssim = pl * pc * ps;
    const long double half = (1 - ssim) / 2;
    const long double g = statistic == 1 ? ((half >= 0 && half <= 1) ? -u / 2 : 0) : u;
    const long double gl = g * K(slopeL)(lum, alpha) * pc * ps, gc = g * pl * K(slopeL)(con, beta) * ps, gs = g * pl * pc * K(slopeL)(str, gamma);
    const long double dp1 = sd2 / (2 * sd1), dp2 = sd1 / (2 * sd2);
    const long double q1 = gc * (2 * dp1 - con) / d - gs * str * dp1 / sden, q2 = gc * (2 * dp2 - con) / d - gs * str * dp2 / sden;
    const long double de11 = cov * (q1 + gs / sden / 2), de22 = cov * (q2 + gs / sden / 2), dedd = -cov * gs / sden / 2;
    K(GeneralReference) r;
    r.v = statistic == 1 ? (half < 0 ? 0 : (half > 1 ? 1 : half)) : ssim;
    r.dMu1 = gl * 2 * (m2 - m1 * lum) / c - 2 * m1c * de11 - 2 * dmc * dedd;
    r.dMu2 = gl * 2 * (m1 - m2 * lum) / c - 2 * m2c * de22 + 2 * dmc * dedd;
    r.dB = -dedd;
    r.dR = 2 * de11;
    return r;
}

static void K(checkGeneral)(long count, long offset, int statistic, T cov, const T *exponents, T c3) {
    char text[240];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements statistic=%d cov=%.9g exponents=%g,%g,%g c3=%g", count, offset, statistic,
             (double)cov, (double)exponents[0], (double)exponents[1], (double)exponents[2], (double)c3);
    const K(MomentRows) m = K(randomMoments)(count, offset);
    const T shift1 = (T)uniform(0, 1), shift2 = (T)uniform(0, 1), uniformG = (T)uniform(-1, 1);
    T *values = allocate((size_t)count * sizeof(T), 0), *out[5];
    for (int k = 0; k < 5; k++) out[k] = allocate((size_t)count * sizeof(T), 0);
    const double total = K(ssim_general_formula)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, shift1, shift2, K(c1), K(c2), c3, cov,
                                                 exponents[0], exponents[1], exponents[2], statistic, values);
    const double partialsTotal = K(ssim_general_partials)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, count, shift1, shift2, K(c1), K(c2), c3,
                                                          cov, exponents[0], exponents[1], exponents[2], statistic, NULL, uniformG,
                                                          out[0], out[1], out[2], out[3], out[4]);
    K(GeneralReference) *r = allocate((size_t)count * sizeof(K(GeneralReference)), 0);
    long double largest[4] = {0, 0, 0, 0};
    // The elements compared: every fourth, with both variances at least 0.01 (see above).
    int *compared = allocate((size_t)count * sizeof(int), 0);
    for (long i = 0; i < count; i++) {
        const long double s1 = (long double)m.e11[i] - (long double)m.mu1[i] * m.mu1[i];
        const long double s2 = (long double)m.e22[i] - (long double)m.mu2[i] * m.mu2[i];
        compared[i] = i % 4 == 0 && s1 >= 0.01L && s2 >= 0.01L;
        if (i % 4 == 0 && !compared[i]) skippedElements++;
    }
    for (long i = 0; i < count; i++) {
        if (!compared[i]) continue;
        const Moments x = K(momentsAt)(&m, i, shift1, shift2, K(c1), K(c2), cov, 0);
        r[i] = K(generalReference)(&x, c3, exponents[0], exponents[1], exponents[2], statistic, uniformG);
        const long double parts[4] = {r[i].dMu1, r[i].dMu2, r[i].dB, r[i].dR};
        for (int k = 0; k < 4; k++)
            if (!isnan(parts[k])) largest[k] = fmaxl(largest[k], fabsl(parts[k]));
    }
    static const char *const names[4] = {"dMu1", "dMu2", "dB", "dR"};
    // NaN where it arises (a slope of 0^(e - 1) times 0), in long double as in the kernel.
    for (long i = 0; i < count; i++) {
        if (!(isnan(out[4][i]) && isnan(values[i])))
            expectSameBits(KNAME(ssim_general_partials), text, i, "values (vs ssim_general_formula, bit for bit)", out[4][i], values[i]);
        if (!compared[i]) continue;
        if (isnan(r[i].v)) {
            if (!isnan(values[i])) fail(KNAME(ssim_general_formula), text, i, "(NaN expected)", values[i], r[i].v, 0);
            continue;
        }
        expectClose(KNAME(ssim_general_formula), text, i, "", values[i], r[i].v, 0x1p10L * UNIT * (1 + fabsl(r[i].v)));
        const long double parts[4] = {r[i].dMu1, r[i].dMu2, r[i].dB, r[i].dR};
        for (int k = 0; k < 4; k++) expectClose(KNAME(ssim_general_partials), text, i, names[k], out[k][i], parts[k], 0x1p12L * UNIT * largest[k]);
    }
    if (!(isnan(partialsTotal) && isnan(total)))
        expectSameBits(KNAME(ssim_general_partials), text, -1, "returned sum (vs ssim_general_formula's, bit for bit)", partialsTotal, total);
    releaseAll();
}

// SSIML1Loss's fused mix (the *_mix variants of formula and partials, ssim_combine_l1) against
// the plain kernel followed by the mix's few operations in T, in the header's order, bit for bit
// (the plain kernels are checked against long double above): values ssimWeight v + l1Weight
// |x - y| (each product rounded, then added) up to `valid`, the partials of the upstream times
// ssimWeight, the returned sum the formula's row sum of the mixed values (ssim_weighted_row_sum
// with weights of 1 sums in that order), and the gradients plus / minus (l1Weight u) sign(x - y).
static T K(mixedValue)(T v, T x, T y, T ssimWeight, T l1Weight) {
    _Pragma("clang fp contract(off)")
    const T a = ssimWeight * v, d = x - y;
    const T b = l1Weight * (d < 0 ? -d : d);
    return a + b;
}

static double K(rowSum)(const T *values, long count) {
    T *ones = allocate((size_t)(count > 0 ? count : 1) * sizeof(T), 0);
    for (long i = 0; i < count; i++) ones[i] = 1;
    return K(ssim_weighted_row_sum)(values, ones, ones, count);
}

static void K(checkMix)(long count, long valid, long offset, int statistic, T cov, int withUpstream) {
    char text[200];
    snprintf(text, sizeof text, "count=%ld valid=%ld offset=%ld elements statistic=%d cov=%.9g upstream=%s", count, valid, offset,
             statistic, (double)cov, withUpstream ? "row" : "NULL");
    const K(MomentRows) m = K(randomMoments)(count, offset);
    const T shift1 = (T)uniform(0, 1), shift2 = (T)uniform(0, 1), uniformG = (T)uniform(-1, 1), eps = (T)1e-12;
    const T ssimWeight = (T)uniform(0, 2), l1Weight = (T)uniform(0, 1);
    // x == y in one element of eight (sign 0).
    const T *x = K(randomRow)(valid, offset, 0, 1);
    T *y = K(randomRow)(valid, offset, 0, 1);
    for (long i = 0; i < valid; i += 8) y[i] = x[i];
    const T *upstream = withUpstream ? K(randomRow)(count, offset, -1, 1) : NULL;
    T *scaled = allocate((size_t)count * sizeof(T), 0);
    for (long i = 0; i < count; i++) scaled[i] = upstream ? ssimWeight * upstream[i] : 0;
    const T scaledUniform = ssimWeight * uniformG;

    // The formula.
    T *plain = allocate((size_t)valid * sizeof(T), 0), *out = allocate((size_t)valid * sizeof(T), 0);
    K(ssim_formula)(m.mu1, m.mu2, m.e11, m.e22, m.edd, valid, shift1, shift2, K(c1), K(c2), cov, eps, statistic, plain);
    const double total = K(ssim_formula_mix)(m.mu1, m.mu2, m.e11, m.e22, m.edd, valid, shift1, shift2, K(c1), K(c2), cov, eps, statistic,
                                             x, y, ssimWeight, l1Weight, out);
    for (long i = 0; i < valid; i++)
        expectSameBits(KNAME(ssim_formula_mix), text, i, "", out[i], K(mixedValue)(plain[i], x[i], y[i], ssimWeight, l1Weight));
    expectSameBits(KNAME(ssim_formula_mix), text, -1, "(the returned sum)", total, K(rowSum)(out, valid));

    // The partials.
    T *p[5], *q[5];
    for (int k = 0; k < 5; k++) { p[k] = allocate((size_t)count * sizeof(T), 0); q[k] = allocate((size_t)count * sizeof(T), 0); }
    K(ssim_partials)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, valid, shift1, shift2, K(c1), K(c2), cov, eps, statistic,
                     upstream ? scaled : NULL, scaledUniform, p[0], p[1], p[2], p[3], p[4]);
    const double partialsTotal = K(ssim_partials_mix)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, valid, shift1, shift2, K(c1), K(c2), cov, eps,
                                                      statistic, upstream, uniformG, x, y, ssimWeight, l1Weight, q[0], q[1], q[2], q[3], q[4]);
    static const char *const names[4] = {"dMu1", "dMu2", "dB", "dR"};
    for (long i = 0; i < count; i++) {
        for (int k = 0; k < 4; k++) expectSameBits(KNAME(ssim_partials_mix), text, i, names[k], q[k][i], p[k][i]);
        const T want = i < valid ? K(mixedValue)(p[4][i], x[i], y[i], ssimWeight, l1Weight) : p[4][i];
        expectSameBits(KNAME(ssim_partials_mix), text, i, "values", q[4][i], want);
    }
    expectSameBits(KNAME(ssim_partials_mix), text, -1, "(the returned sum)", partialsTotal, K(rowSum)(q[4], valid));

    // The general form (statistics 0 and 1 only).
    if (statistic <= 1) {
        static const T exponents[3] = {(T)0.5, (T)1.5, 2};
        const T c3 = K(c2) / 4;
        K(ssim_general_formula)(m.mu1, m.mu2, m.e11, m.e22, m.edd, valid, shift1, shift2, K(c1), K(c2), c3, cov, exponents[0], exponents[1],
                                exponents[2], statistic, plain);
        const double generalTotal = K(ssim_general_formula_mix)(m.mu1, m.mu2, m.e11, m.e22, m.edd, valid, shift1, shift2, K(c1), K(c2), c3, cov,
                                                                exponents[0], exponents[1], exponents[2], statistic, x, y, ssimWeight, l1Weight, out);
        for (long i = 0; i < valid; i++) {
            const T want = K(mixedValue)(plain[i], x[i], y[i], ssimWeight, l1Weight);
            if (!(isnan(want) && isnan(out[i]))) expectSameBits(KNAME(ssim_general_formula_mix), text, i, "", out[i], want);
        }
        const double generalSum = K(rowSum)(out, valid);
        if (!(isnan(generalSum) && isnan(generalTotal))) expectSameBits(KNAME(ssim_general_formula_mix), text, -1, "(the returned sum)", generalTotal, generalSum);
        K(ssim_general_partials)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, valid, shift1, shift2, K(c1), K(c2), c3, cov, exponents[0],
                                 exponents[1], exponents[2], statistic, upstream ? scaled : NULL, scaledUniform, p[0], p[1], p[2], p[3], p[4]);
        const double generalPartialsTotal = K(ssim_general_partials_mix)(
            m.mu1, m.mu2, m.e11, m.e22, m.edd, count, valid, shift1, shift2, K(c1), K(c2), c3, cov, exponents[0], exponents[1], exponents[2],
            statistic, upstream, uniformG, x, y, ssimWeight, l1Weight, q[0], q[1], q[2], q[3], q[4]);
        for (long i = 0; i < count; i++) {
            for (int k = 0; k < 4; k++)
                if (!(isnan(q[k][i]) && isnan(p[k][i]))) expectSameBits(KNAME(ssim_general_partials_mix), text, i, names[k], q[k][i], p[k][i]);
            const T want = i < valid ? K(mixedValue)(p[4][i], x[i], y[i], ssimWeight, l1Weight) : p[4][i];
            if (!(isnan(want) && isnan(q[4][i]))) expectSameBits(KNAME(ssim_general_partials_mix), text, i, "values", q[4][i], want);
        }
        const double generalPartialsSum = K(rowSum)(q[4], valid);
        if (!(isnan(generalPartialsSum) && isnan(generalPartialsTotal)))
            expectSameBits(KNAME(ssim_general_partials_mix), text, -1, "(the returned sum)", generalPartialsTotal, generalPartialsSum);
    }

    // The gradients, with and without dy.
    const T *m1 = K(randomRow)(valid, offset, -1, 1), *m2 = K(randomRow)(valid, offset, -1, 1);
    const T *sb = K(randomRow)(valid, offset, -1, 1), *r = K(randomRow)(valid, offset, -1, 1);
    const T scale = (T)uniform(0.5, 4);
    T *dx0 = allocate((size_t)valid * sizeof(T), 0), *dy0 = allocate((size_t)valid * sizeof(T), 0);
    T *dx = allocate((size_t)valid * sizeof(T), 0), *dy = allocate((size_t)valid * sizeof(T), 0);
    K(ssim_combine)(x, y, shift1, shift2, scale, m1, m2, sb, r, valid, dx0, dy0);
    for (int withDy = 0; withDy <= 1; withDy++) {
        K(ssim_combine_l1)(x, y, shift1, shift2, scale, m1, m2, sb, r, valid, upstream, uniformG, l1Weight, dx, withDy ? dy : NULL);
        for (long i = 0; i < valid; i++) {
            const T u = l1Weight * (upstream ? upstream[i] : uniformG), g = x[i] > y[i] ? u : (x[i] < y[i] ? -u : 0);
            const T wantX = dx0[i] + g, wantY = dy0[i] - g;
            expectSameBits(KNAME(ssim_combine_l1), text, i, "dx", dx[i], wantX);
            if (withDy) expectSameBits(KNAME(ssim_combine_l1), text, i, "dy", dy[i], wantY);
        }
    }
    releaseAll();
}

static void K(check_all)(void) {
    const long *counts = K(counts);
    const long countTotal = LENGTH(K(counts));
    for (long t = 0; t < LENGTH(windowSizes); t++)
        for (long n = 0; n < countTotal; n++)
            for (long o = 0; o < LENGTH(elementOffsets); o++) {
                const long taps = windowSizes[t], count = counts[n], offset = elementOffsets[o];
                seed(0x55AA0000u + 1000003u * (uint64_t)taps + 7919u * (uint64_t)count + (uint64_t)offset + (LANES == 16 ? 0 : 0x100000000ull));
                K(checkCorrelate)(taps, count, offset);
                K(checkSymmetricSum)(taps, count, offset, 0);
                K(checkSymmetricSum)(taps, count, offset, 1);
                if (taps >= 3) K(checkFilter4)(taps, count, offset);
                K(checkWeightedSum)(taps, count, offset);
                K(checkFilter2DAdd)(taps, count, offset);
            }
    const T covs[] = {1, (T)(49.0 / 48.0)}, epss[] = {0, (T)1e-12, (T)1e-4};
    for (long n = 0; n < countTotal; n++)
        for (long o = 0; o < LENGTH(elementOffsets); o++) {
            const long count = counts[n], offset = elementOffsets[o];
            seed(0xC0FFEE00u + 7919u * (uint64_t)count + (uint64_t)offset + (LANES == 16 ? 0 : 0x100000000ull));
            K(checkProducts)(count, offset);
            K(checkPairs)(count, offset);
            K(checkPairs)(count - 3, offset);
            K(checkCombine)(count, offset, 0);
            K(checkCombine)(count, offset, 1);
            for (int dissimilarity = 0; dissimilarity <= 2; dissimilarity++)
                for (int c = 0; c < 2; c++)
                    for (int e = 0; e < 3; e++) {
                        K(checkFormula)(count, offset, dissimilarity, covs[c], epss[e]);
                        for (int up = 0; up <= 1; up++) {
                            K(checkPartials)(count, count, offset, dissimilarity, covs[c], epss[e], up);
                            K(checkPartials)(count, count - 3, offset, dissimilarity, covs[c], epss[e], up);
                        }
                    }
            static const T exponentSets[][3] = {{1, 1, 1}, {(T)0.5, (T)1.5, 2}, {1, 1, (T)1.5}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
            for (int statistic = 0; statistic <= 1; statistic++)
                for (int c = 0; c < 2; c++)
                    for (long e = 0; e < LENGTH(exponentSets); e++) K(checkGeneral)(count, offset, statistic, covs[c], exponentSets[e], K(c2) / 4);
            for (int statistic = 0; statistic <= 2; statistic++)
                for (int c = 0; c < 2; c++)
                    for (int up = 0; up <= 1; up++) {
                        K(checkMix)(count, count, offset, statistic, covs[c], up);
                        K(checkMix)(count, count - 3, offset, statistic, covs[c], up);
                    }
        }
}
