// Checks every C kernel of Sources/CSSIMKernels (Kernels.c, and MaskedKernels.c in
// check_masked_kernels_typed.h) against a naive reference, for whichever
// instruction set this program and Kernels.c were compiled for. Scripts/check-kernel-clones.sh
// builds the pair with -DSSIM_NO_CLONES and -march=x86-64 (SSE2), -march=x86-64-v3 (AVX2 + FMA)
// and -march=x86-64-v4 (AVX-512), i.e. each of the three target_clones, and once more under
// AddressSanitizer + UndefinedBehaviorSanitizer. Not part of the Swift package (SwiftPM only
// builds the targets Package.swift names).
//
// Reference: the header's formulas (include/CSSIMKernels.h) evaluated in long double on the very
// Float/Double inputs the kernel got, written as plain loops. long double must be wider than
// double: x87's 64-bit significand on x86-64 Linux, IEEE binary128 (113 bits, in software) on
// AArch64 Linux. Where it is only double (macOS on arm64 and x86-64, Windows with MSVC's ABI)
// the reference is no more precise than the Double kernels it checks and the bounds below do not
// hold: such a build stops with #error (simulated on Linux with -mlong-double-64,
// Scripts/cross-check.sh) instead of passing or failing for the wrong reason.
//
// Tolerances are derived, not tuned. With u the unit roundoff of the kernel's type (2^-24 Float,
// 2^-53 Double) and u_L = LDBL_EPSILON / 2 that of long double (2^-64, 2^-113), every floating operation satisfies
// fl(a op b) = (a op b)(1 + d), |d| <= u (a fused multiply-add rounds once, so also fits):
//   - sums of products (correlate, filter4, symmetric_sum, weighted_sum, filter2d_add): a sum of n
//     products each taking at most n roundings has |error| <= gamma_n sum |w_i x_i|, with
//     gamma_n = n u / (1 - n u) (Higham, Accuracy and Stability, 3.1); the reference's own error
//     is bounded the same way with u_L, so the test is |kernel - ref| <= gamma_n(u + u_L) sum|w_i x_i|.
//   - element-wise formulas (products, formula, partials, combine): a running error bound
//     (struct Bounded below) carried through the same sequence of operations as the kernel, with
//     first-order propagation plus the second-order products of errors:
//       |D(a +- b)| <= Da + Db + u (|a +- b| + Da + Db)
//       |D(a b)|    <= |a| Db + |b| Da + Da Db + u (|a b| + |a| Db + |b| Da + Da Db)
//       |D(a / b)|  <= q + u (|a / b| + q), q = (Da + |a / b| Db) / (|b| - Db), needs |b| > Db
//     evaluated once with u (the kernel's error) and once with u_L on the header's formula (the
//     reference's error); the test is |kernel - ref| <= the sum of the two.
//   - the sums the formula and partials return (in double): gamma_n(2^-53 + u_L) sum |values|
//     over the kernel's own values (which are checked element by element as above).
// Inputs are kept far from overflow and underflow, which the bounds do not cover.
//
// Besides, the bit-for-bit identities Kernels.c promises are checked: filter4's outputs equal
// symmetric_sum's on the same rows, correlate equals symmetric_sum on the shifted row, and
// partials' values equal formula's output (and their sums) on the same inputs.
//
// On failure prints the kernel, the clone, the case and the index, and exits 1.

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../Sources/CSSIMKernels/include/CSSIMKernels.h"

#if LDBL_MANT_DIG < 64
#error "check_kernels needs a long double wider than double (LDBL_MANT_DIG >= 64): this target's is double (macOS, MSVC), so the reference would be no more precise than the kernels. Run the check on Linux (x86-64 or AArch64)."
#endif

#if defined(__x86_64__) || defined(_M_X64)
#if defined(__AVX512F__)
static const char *const clone = "x86-64-v4 (AVX-512)";
#elif defined(__AVX2__)
static const char *const clone = "x86-64-v3 (AVX2+FMA)";
#else
static const char *const clone = "x86-64 (SSE2)";
#endif
#elif defined(__aarch64__) || defined(_M_ARM64)
#if defined(__ARM_FEATURE_SVE)
static const char *const clone = "aarch64 (NEON; SVE available, unused)";
#else
static const char *const clone = "aarch64 (NEON)";
#endif
#else
static const char *const clone = "generic (no vector clones)";
#endif

typedef long double Real;
// Its unit roundoff: 2^-64 (x87), 2^-113 (binary128).
static const Real unitLong = LDBL_EPSILON / 2;

// ---------------------------------------------------------------------------------------------
// Deterministic inputs: SplitMix64.

static uint64_t rngState;
static void seed(uint64_t s) { rngState = s; }
static uint64_t next64(void) {
    uint64_t z = (rngState += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
// Uniform in [lo, hi).
static double uniform(double lo, double hi) { return lo + (hi - lo) * (double)(next64() >> 11) * 0x1p-53; }

// ---------------------------------------------------------------------------------------------
// Buffers placed `offset` elements past a 64-byte boundary, sized exactly as requested so that
// AddressSanitizer flags any access past the documented extent. Freed after each case.

static void *blocks[4096];
static int blockCount;
static void *allocate(size_t bytes, size_t offsetBytes) {
    void *base = NULL;
    if (blockCount == (int)(sizeof blocks / sizeof blocks[0]) || posix_memalign(&base, 64, offsetBytes + bytes) != 0) {
        fprintf(stderr, "check_kernels: out of memory\n");
        exit(2);
    }
    blocks[blockCount++] = base;
    return (char *)base + offsetBytes;
}
static void releaseAll(void) {
    while (blockCount > 0) free(blocks[--blockCount]);
}

// ---------------------------------------------------------------------------------------------
// Failure reporting.

static int failures, checks;
static void fail(const char *kernel, const char *caseText, long index, const char *what, Real got, Real want, Real bound) {
    failures++;
    if (failures <= 40)
        fprintf(stderr, "FAIL %s [%s] %s: index %ld%s%s: got %.21Lg, want %.21Lg (|error| %.3Lg > bound %.3Lg)\n",
                kernel, clone, caseText, index, what[0] ? " " : "", what, got, want, fabsl(got - want), bound);
    else if (failures == 41)
        fprintf(stderr, "(further failures not printed)\n");
}
// The largest |error| / bound seen per kernel: how much of its bound each kernel uses.
static struct { const char *kernel; Real ratio; } worst[48];
static void noteRatio(const char *kernel, Real ratio) {
    int k = 0;
    while (k < 48 && worst[k].kernel && strcmp(worst[k].kernel, kernel) != 0) k++;
    if (k == 48) return;
    worst[k].kernel = kernel;
    if (ratio > worst[k].ratio) worst[k].ratio = ratio;
}
static void expectClose(const char *kernel, const char *caseText, long index, const char *what, Real got, Real want, Real bound) {
    checks++;
    if (bound > 0) noteRatio(kernel, fabsl(got - want) / bound);
    if (!(fabsl(got - want) <= bound)) fail(kernel, caseText, index, what, got, want, bound);
}
static void expectSameBits(const char *kernel, const char *caseText, long index, const char *what, Real got, Real want) {
    checks++;
    if (!(got == want)) fail(kernel, caseText, index, what, got, want, 0);
}

static Real gammaBound(long n, Real u) { return n * u / (1 - n * u); }

// ---------------------------------------------------------------------------------------------
// Running error bounds (see the top comment): a value and a bound on its absolute error, under
// the unit roundoff `roundoff` in force.

typedef struct { Real v, e; } Bounded;
static Real roundoff;
static Bounded exact(Real v) { return (Bounded){v, 0}; }
static Bounded add(Bounded a, Bounded b) {
    const Real v = a.v + b.v, p = a.e + b.e;
    return (Bounded){v, p + roundoff * (fabsl(v) + p)};
}
static Bounded sub(Bounded a, Bounded b) { return add(a, (Bounded){-b.v, b.e}); }
static Bounded mul(Bounded a, Bounded b) {
    const Real v = a.v * b.v, p = fabsl(a.v) * b.e + fabsl(b.v) * a.e + a.e * b.e;
    return (Bounded){v, p + roundoff * (fabsl(v) + p)};
}
static Bounded dvd(Bounded a, Bounded b) {
    const Real v = a.v / b.v;
    if (!(fabsl(b.v) > b.e)) return (Bounded){v, INFINITY};  // the divisor's sign is uncertain
    const Real q = (a.e + fabsl(v) * b.e) / (fabsl(b.v) - b.e);
    return (Bounded){v, q + roundoff * (fabsl(v) + q)};
}
static Bounded neg(Bounded a) { return (Bounded){-a.v, a.e}; }
// clamp(x, 0, 1) is 1-Lipschitz: the bound passes through.
static Bounded clamp01(Bounded a) { return (Bounded){a.v < 0 ? 0 : (a.v > 1 ? 1 : a.v), a.e}; }

// ---------------------------------------------------------------------------------------------
// The element-wise formulas as Bounded expressions. Each takes the exact Float/Double inputs.

// products: px = (x - shift1) scale, py = (y - shift2) scale, pxx = px^2, pyy = py^2, pdd = (px - py)^2.
typedef struct { Bounded px, py, pxx, pyy, pdd; } Products;
static Products productsBounded(Real x, Real y, Real shift1, Real shift2, Real scale) {
    Products p;
    p.px = mul(sub(exact(x), exact(shift1)), exact(scale));
    p.py = mul(sub(exact(y), exact(shift2)), exact(scale));
    p.pxx = mul(p.px, p.px);
    p.pyy = mul(p.py, p.py);
    const Bounded d = sub(p.px, p.py);
    p.pdd = mul(d, d);
    return p;
}

// The SSIM terms of the header's formula (the same order as Kernels.c's SSIM_TERMS).
typedef struct { Bounded m1, m2, m1c, m2c, dmc, s1, s2, sdd, c, d, a, b, den; } Terms;
typedef struct { Real mu1, mu2, e11, e22, edd, shift1, shift2, c1, c2, cov, eps; } Moments;
static Terms termsBounded(const Moments *x) {
    Terms t;
    const Bounded cov = exact(x->cov);
    t.m1c = exact(x->mu1);
    t.m2c = exact(x->mu2);
    t.m1 = add(t.m1c, exact(x->shift1));
    t.m2 = add(t.m2c, exact(x->shift2));
    t.dmc = sub(t.m1c, t.m2c);
    t.s1 = mul(cov, sub(exact(x->e11), mul(t.m1c, t.m1c)));
    t.s2 = mul(cov, sub(exact(x->e22), mul(t.m2c, t.m2c)));
    t.sdd = mul(cov, sub(exact(x->edd), mul(t.dmc, t.dmc)));
    t.c = add(add(mul(t.m1, t.m1), mul(t.m2, t.m2)), exact(x->c1));
    t.d = add(add(t.s1, t.s2), exact(x->c2));
    t.a = add(mul(mul(exact(2), t.m1), t.m2), exact(x->c1));
    t.b = sub(t.d, t.sdd);
    t.den = add(mul(t.c, t.d), exact(x->eps));
    return t;
}
// The unclamped loss (C sdd + (m1 - m2)^2 B + eps) / (2 (C D + eps)).
static Bounded lossBounded(const Terms *t, Real eps) {
    const Bounded dm = sub(t->m1, t->m2);
    return dvd(add(add(mul(t->c, t->sdd), mul(mul(dm, dm), t->b)), exact(eps)), mul(exact(2), t->den));
}
static Bounded ssimBounded(const Terms *t) { return dvd(mul(t->a, t->b), t->den); }

// formula: statistic 0 the SSIM A B / (C D + eps), 1 the clamped loss, 2 the contrast-structure B / D.
static Bounded formulaBounded(const Moments *x, int statistic) {
    const Terms t = termsBounded(x);
    if (statistic == 2) return dvd(t.b, t.d);
    return statistic ? clamp01(lossBounded(&t, x->eps)) : ssimBounded(&t);
}

// partials, in the header's form (the reference):
//   S = A B / den, e = -cov g S C / den, r = 2 cov g (A - S C) / den, dB = cov g A / den,
//   dMu1 = 2g (m2 B - m1 S D)/den - 2 (m1c - m2c) e - m2c r,
//   dMu2 = 2g (m1 B - m2 S D)/den + 2 (m1c - m2c) e - m1c r.
typedef struct { Bounded dMu1, dMu2, dB, dR; } Partials;
static Partials partialsHeaderForm(const Moments *x, Real g) {
    const Terms t = termsBounded(x);
    const Bounded s = ssimBounded(&t), G = exact(g), cov = exact(x->cov), two = exact(2);
    const Bounded covG = mul(cov, G);
    const Bounded e = neg(dvd(mul(mul(covG, s), t.c), t.den));
    const Bounded r = dvd(mul(mul(two, covG), sub(t.a, mul(s, t.c))), t.den);
    Partials p;
    p.dB = dvd(mul(covG, t.a), t.den);
    p.dR = r;
    const Bounded twoG = mul(two, G), twoDmcE = mul(mul(two, t.dmc), e);
    p.dMu1 = sub(sub(dvd(mul(twoG, sub(mul(t.m2, t.b), mul(mul(t.m1, s), t.d))), t.den), twoDmcE), mul(t.m2c, r));
    p.dMu2 = sub(add(dvd(mul(twoG, sub(mul(t.m1, t.b), mul(mul(t.m2, s), t.d))), t.den), twoDmcE), mul(t.m1c, r));
    return p;
}
// partials in the order Kernels.c evaluates them (algebraically equal to the header's form, free
// of its cancellations), for the kernel's error bound: inv = 1 / den,
//   mean1 = B (D (m2 - m1)(m2 (m1 + m2) + C1) + m2 eps) inv, excess = A (C sdd + eps) inv,
//   scale = 2 g inv, e = cov (-g S C inv), r = cov (scale excess), dB = cov (g A inv),
//   dMu1 = scale mean1 - 2 dmc e - m2c r, dMu2 = scale mean2 + 2 dmc e - m1c r.
static Partials partialsKernelForm(const Moments *x, Real g) {
    const Terms t = termsBounded(x);
    const Bounded s = ssimBounded(&t), G = exact(g), cov = exact(x->cov), two = exact(2);
    const Bounded eps = exact(x->eps), c1 = exact(x->c1);
    const Bounded inv = dvd(exact(1), t.den), sum = add(t.m1, t.m2);
    const Bounded mean1 = mul(mul(t.b, add(mul(mul(t.d, sub(t.m2, t.m1)), add(mul(t.m2, sum), c1)), mul(t.m2, eps))), inv);
    const Bounded mean2 = mul(mul(t.b, add(mul(mul(t.d, sub(t.m1, t.m2)), add(mul(t.m1, sum), c1)), mul(t.m1, eps))), inv);
    const Bounded excess = mul(mul(t.a, add(mul(t.c, t.sdd), eps)), inv);
    const Bounded scale = mul(mul(two, G), inv);
    const Bounded e = mul(cov, mul(mul(mul(neg(G), s), t.c), inv)), r = mul(cov, mul(scale, excess));
    Partials p;
    p.dB = mul(cov, mul(mul(G, t.a), inv));
    p.dR = r;
    const Bounded twoDmcE = mul(mul(two, t.dmc), e);
    p.dMu1 = sub(sub(mul(scale, mean1), twoDmcE), mul(t.m2c, r));
    p.dMu2 = sub(add(mul(scale, mean2), twoDmcE), mul(t.m1c, r));
    return p;
}

// The partials of the contrast-structure term cs = B / D = 1 - sdd / D (statistic 2), from its
// derivatives dcs/dD = sdd / D^2 and dcs/dsdd = -1 / D (the reference):
//   dB = cov g / D, r = 2 cov g sdd / D^2, dMu1 = 2 (m1c - m2c) cov g / D - 2 m1c cov g sdd / D^2,
//   dMu2 = -2 (m1c - m2c) cov g / D - 2 m2c cov g sdd / D^2;
static Partials contrastPartialsHeaderForm(const Moments *x, Real g) {
    const Terms t = termsBounded(x);
    const Bounded covG = mul(exact(x->cov), exact(g)), two = exact(2);
    const Bounded slope = dvd(mul(covG, t.sdd), mul(t.d, t.d));
    Partials p;
    p.dB = dvd(covG, t.d);
    p.dR = mul(two, slope);
    p.dMu1 = sub(dvd(mul(mul(two, t.dmc), covG), t.d), mul(mul(two, t.m1c), slope));
    p.dMu2 = sub(neg(dvd(mul(mul(two, t.dmc), covG), t.d)), mul(mul(two, t.m2c), slope));
    return p;
}
// and in Kernels.c's order: inv = 1 / D, sB = cov g inv, r = 2 sB sdd inv,
//   dMu1 = 2 dmc sB - m1c r, dMu2 = -2 dmc sB - m2c r.
static Partials contrastPartialsKernelForm(const Moments *x, Real g) {
    const Terms t = termsBounded(x);
    const Bounded two = exact(2), inv = dvd(exact(1), t.d);
    const Bounded sB = mul(mul(exact(x->cov), exact(g)), inv), r = mul(mul(mul(two, sB), t.sdd), inv);
    Partials p;
    p.dB = sB;
    p.dR = r;
    p.dMu1 = sub(mul(mul(two, t.dmc), sB), mul(t.m1c, r));
    p.dMu2 = sub(mul(mul(neg(two), t.dmc), sB), mul(t.m2c, r));
    return p;
}

// combine: x~ = (x - shift1) scale, y~ = (y - shift2) scale,
//   dx = (m1 + x~ r - 2 (x~ - y~) b) scale, dy = (m2 + y~ r + 2 (x~ - y~) b) scale.
static void combineBounded(Real x, Real y, Real shift1, Real shift2, Real scale, Real m1, Real m2, Real b, Real r,
                           Bounded *dx, Bounded *dy) {
    const Bounded xs = mul(sub(exact(x), exact(shift1)), exact(scale));
    const Bounded ys = mul(sub(exact(y), exact(shift2)), exact(scale));
    const Bounded twoDiffB = mul(mul(exact(2), sub(xs, ys)), exact(b));
    *dx = mul(sub(add(exact(m1), mul(xs, exact(r))), twoDiffB), exact(scale));
    *dy = mul(add(add(exact(m2), mul(ys, exact(r))), twoDiffB), exact(scale));
}

// A reference value and the tolerance for comparing a kernel's result with it: the header-form
// evaluation in long double gives the value and its own error (u_L); the kernel-form evaluation
// under the kernel's unit roundoff gives the kernel's error.
static Real toleranceOf(Bounded referenceUnderLong, Bounded kernelUnderT) { return referenceUnderLong.e + kernelUnderT.e; }

// ---------------------------------------------------------------------------------------------
// The typed checks, once for Float and once for Double.

#define T float
#define SFX f
#define UNIT 0x1p-24L
#define SHUFFLE_HALF 16 // correlate's shuffle path: half <= 16 floats (windows up to 33 taps)
#define LANES 16        // elements in one 64-byte vector
#include "check_kernels_typed.h"
#include "check_masked_kernels_typed.h"
#undef T
#undef SFX
#undef UNIT
#undef SHUFFLE_HALF
#undef LANES

#define T double
#define SFX d
#define UNIT 0x1p-53L
#define SHUFFLE_HALF 8  // half <= 8 doubles (windows up to 17 taps)
#define LANES 8
#include "check_kernels_typed.h"
#include "check_masked_kernels_typed.h"

int main(void) {
    roundoff = 0;
    check_all_f();
    check_all_d();
    check_masked_all_f();
    check_masked_all_d();
    if (failures) {
        fprintf(stderr, "check_kernels [%s]: %d of %d checks FAILED\n", clone, failures, checks);
        return 1;
    }
    printf("check_kernels [%s]: largest |error| / bound:", clone);
    for (int k = 0; k < 48 && worst[k].kernel; k++) printf("%s %s %.2Lg", k ? "," : "", worst[k].kernel, worst[k].ratio);
    printf("\n");
    printf("check_kernels [%s]: all %d checks passed (partials: %ld losses clamped, %ld within their error\n"
           "  bound of 0 or 1; %ld elements not compared: an error bound undefined)\n",
           clone, checks, clampedLosses, ambiguousLosses, skippedElements);
    return 0;
}
