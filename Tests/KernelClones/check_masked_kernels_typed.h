// The checks of the masked SSIM's kernels (Sources/CSSIMKernels/MaskedKernels.c) for one scalar
// type, included by check_kernels.c after check_kernels_typed.h (same T, SFX, UNIT, helpers).
// Each element-wise result is checked with the running error bound of its operations (see
// check_kernels.c), and the identities MaskedKernels.c promises bit for bit: a weight of 1 gives
// ssim_products' values, a weight of 0 gives 0 (not 0 times a NaN pixel), the weighted row sum
// with all-one weights is the formula's returned sum, undefined elements are NaN (moments) or 0
// (partials).

static void K(expectNaN)(const char *kernel, const char *text, long i, const char *what, T got) {
    checks++;
    if (!isnan(got)) fail(kernel, text, i, what, got, NAN, 0);
}

// w in [0, 1] with exact zeros and ones in a quarter of the elements each; NaN pixels where w is 0.
static T *K(randomWeights)(long count, long offset) {
    T *w = K(randomRow)(count, offset, 0, 1);
    for (long i = 0; i < count; i++) {
        const uint64_t r = next64() % 4;
        if (r == 0) w[i] = 0;
        if (r == 1) w[i] = 1;
    }
    return w;
}

static void K(checkWeightedProducts)(long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements", count, offset);
    T *x = K(randomRow)(count, offset, 0, 1);
    const T *y = K(randomRow)(count, offset, 0, 1), *w = K(randomWeights)(count, offset);
    for (long i = 0; i < count; i++) if (w[i] == 0 && i % 2) x[i] = (T)NAN;
    const T shift1 = (T)uniform(0, 1), shift2 = (T)uniform(0, 1), scale = (T)uniform(0.5, 4);
    T *out[6], *plain[5];
    for (int k = 0; k < 6; k++) out[k] = allocate((size_t)count * sizeof(T), 0);
    for (int k = 0; k < 5; k++) plain[k] = allocate((size_t)count * sizeof(T), 0);
    K(ssim_weighted_products)(x, y, w, shift1, shift2, scale, count, out[0], out[1], out[2], out[3], out[4], out[5]);
    K(ssim_products)(x, y, shift1, shift2, scale, count, plain[0], plain[1], plain[2], plain[3], plain[4]);
    const char *names[6] = {"pw", "pwx", "pwy", "pwxx", "pwyy", "pwdd"};
    for (long i = 0; i < count; i++) {
        expectSameBits(KNAME(ssim_weighted_products), text, i, "pw", out[0][i], w[i]);
        if (w[i] == 0) {
            for (int k = 1; k < 6; k++) expectSameBits(KNAME(ssim_weighted_products), text, i, names[k], out[k][i], 0);
            continue;
        }
        if (w[i] == 1) {
            for (int k = 1; k < 6; k++) expectSameBits(KNAME(ssim_weighted_products), text, i, names[k], out[k][i], plain[k - 1][i]);
        }
        roundoff = unitLong;
        const Products r = productsBounded(x[i], y[i], shift1, shift2, scale);
        roundoff = UNIT;
        const Products b = productsBounded(x[i], y[i], shift1, shift2, scale);
        const Bounded rs[5] = {r.px, r.py, r.pxx, r.pyy, r.pdd}, bs[5] = {b.px, b.py, b.pxx, b.pyy, b.pdd};
        for (int k = 0; k < 5; k++) {
            roundoff = unitLong;
            const Bounded rw = mul(exact(w[i]), rs[k]);
            roundoff = UNIT;
            const Bounded bw = mul(exact(w[i]), bs[k]);
            K(expectBounded)(KNAME(ssim_weighted_products), text, i, names[k + 1], out[k + 1][i], rw, bw);
        }
    }
    releaseAll();
}

// One division per element: |kernel - m / W| <= (u + u_L) |m / W|; NaN where W is 0.
static void K(checkNormaliseMoments)(long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements", count, offset);
    const T *weight = K(randomWeights)(count, offset);
    T *m[5], *before[5];
    for (int k = 0; k < 5; k++) {
        m[k] = K(randomRow)(count, offset, -1, 1);
        before[k] = allocate((size_t)count * sizeof(T), 0);
        memcpy(before[k], m[k], (size_t)count * sizeof(T));
    }
    K(ssim_normalise_moments)(weight, count, m[0], m[1], m[2], m[3], m[4]);
    for (long i = 0; i < count; i++)
        for (int k = 0; k < 5; k++) {
            if (weight[i] == 0) {
                K(expectNaN)(KNAME(ssim_normalise_moments), text, i, "", m[k][i]);
                continue;
            }
            const Real q = (Real)before[k][i] / weight[i];
            expectClose(KNAME(ssim_normalise_moments), text, i, "", m[k][i], q, (UNIT + unitLong) * fabsl(q));
        }
    releaseAll();
}

// The sum in double: gamma_n(2^-53 + u_L) sum |w v| (each product w v is exact in double); with
// all-one weights, the formula's own returned sum bit for bit.
static void K(checkWeightedRowSum)(long count, long offset) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements", count, offset);
    T *values = K(randomRow)(count, offset, -1, 1);
    const T *w = K(randomWeights)(count, offset), *weight = K(randomWeights)(count, offset);
    for (long i = 0; i < count; i++) if (weight[i] == 0 && i % 3 == 0) values[i] = (T)NAN;
    const double total = K(ssim_weighted_row_sum)(values, w, weight, count);
    Real sum = 0, magnitude = 0;
    for (long i = 0; i < count; i++)
        if (weight[i] > 0) {
            sum += (Real)w[i] * values[i];
            magnitude += fabsl((Real)w[i] * values[i]);
        }
    expectClose(KNAME(ssim_weighted_row_sum), text, -1, "", total, sum, gammaBound(count, 0x1p-53L + unitLong) * magnitude);
    // All-one weights: the formula's sum of its own output.
    const K(MomentRows) m = K(randomMoments)(count, offset);
    T *out = allocate((size_t)count * sizeof(T), 0), *ones = allocate((size_t)count * sizeof(T), 0);
    for (long i = 0; i < count; i++) ones[i] = 1;
    const double formulaSum = K(ssim_formula)(m.mu1, m.mu2, m.e11, m.e22, m.edd, count, 0, 0, K(c1), K(c2), 1, 0, 0, out);
    expectSameBits(KNAME(ssim_weighted_row_sum), text, -1, "(all-one weights)", K(ssim_weighted_row_sum)(out, ones, ones, count), formulaSum);
    releaseAll();
}

// p (w / W): two roundings, |error| <= ((1 + u)^2 - 1 + u_L) |p w / W|; 0 where W is 0 (NaN p included).
static void K(checkNormalisePartials)(long count, long offset, int withWeights) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements weights=%d", count, offset, withWeights);
    const T *weight = K(randomWeights)(count, offset), *w = withWeights ? K(randomWeights)(count, offset) : NULL;
    T *p[4], *before[4];
    for (int k = 0; k < 4; k++) {
        p[k] = K(randomRow)(count, offset, -1, 1);
        for (long i = 0; i < count; i++) if (weight[i] == 0 && i % 2) p[k][i] = (T)NAN;
        before[k] = allocate((size_t)count * sizeof(T), 0);
        memcpy(before[k], p[k], (size_t)count * sizeof(T));
    }
    K(ssim_normalise_partials)(weight, w, count, p[0], p[1], p[2], p[3]);
    for (long i = 0; i < count; i++)
        for (int k = 0; k < 4; k++) {
            if (weight[i] == 0) {
                expectSameBits(KNAME(ssim_normalise_partials), text, i, "", p[k][i], 0);
                continue;
            }
            const Real want = (Real)before[k][i] * (w ? (Real)w[i] : 1) / weight[i];
            expectClose(KNAME(ssim_normalise_partials), text, i, "", p[k][i], want, (2 * UNIT + UNIT * UNIT + unitLong) * fabsl(want));
        }
    releaseAll();
}

// w dx: one rounding; 0 where w is 0 (NaN dx included).
static void K(checkApplyWeights)(long count, long offset, int withDy) {
    char text[160];
    snprintf(text, sizeof text, "count=%ld offset=%ld elements dy=%d", count, offset, withDy);
    const T *w = K(randomWeights)(count, offset);
    T *d[2], *before[2];
    for (int k = 0; k < 2; k++) {
        d[k] = K(randomRow)(count, offset, -1, 1);
        for (long i = 0; i < count; i++) if (w[i] == 0 && i % 2) d[k][i] = (T)NAN;
        before[k] = allocate((size_t)count * sizeof(T), 0);
        memcpy(before[k], d[k], (size_t)count * sizeof(T));
    }
    K(ssim_apply_weights)(w, count, d[0], withDy ? d[1] : NULL);
    for (long i = 0; i < count; i++)
        for (int k = 0; k < (withDy ? 2 : 1); k++) {
            if (w[i] == 0) {
                expectSameBits(KNAME(ssim_apply_weights), text, i, "", d[k][i], 0);
                continue;
            }
            const Real want = (Real)w[i] * before[k][i];
            expectClose(KNAME(ssim_apply_weights), text, i, "", d[k][i], want, (UNIT + unitLong) * fabsl(want));
        }
    if (!withDy)
        for (long i = 0; i < count; i++) {
            checks++;
            if (memcmp(&d[1][i], &before[1][i], sizeof(T)) != 0) fail(KNAME(ssim_apply_weights), text, i, "(dy untouched)", d[1][i], before[1][i], 0);
        }
    releaseAll();
}

static void K(check_masked_all)(void) {
    const long *counts = K(counts);
    for (long n = 0; n < LENGTH(K(counts)); n++)
        for (long o = 0; o < LENGTH(elementOffsets); o++) {
            const long offset = elementOffsets[o];
            for (long count = counts[n]; count <= counts[n] + 3; count += 3) {  // and a count no multiple of 4
                seed(0x3A5C0000u + 7919u * (uint64_t)count + (uint64_t)offset + (LANES == 16 ? 0 : 0x100000000ull));
                K(checkWeightedProducts)(count, offset);
                K(checkNormaliseMoments)(count, offset);
                K(checkWeightedRowSum)(count, offset);
                K(checkNormalisePartials)(count, offset, 0);
                K(checkNormalisePartials)(count, offset, 1);
                K(checkApplyWeights)(count, offset, 0);
                K(checkApplyWeights)(count, offset, 1);
            }
        }
}
