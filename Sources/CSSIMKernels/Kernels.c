#include "CSSIMKernels.h"
#include "Clones.h"

// Each function marked DISPATCH is compiled for three instruction sets (Clones.h). The loops
// work on blocks of elements that stay in vector registers while the taps are summed, so each
// output is written once. `count` is a multiple of 8 (float) or 4 (double): the Swift side pads
// its rows to a multiple of 16.

// The width of the processor's vector registers in bytes, for the loops that keep many vectors
// in registers (ssim_filter4, the shuffles of ssim_correlate): at another width they spill (the
// AVX2 clone of ssim_filter4 with AVX-512-sized vectors ran at half speed). A clone cannot see
// its own instruction set in the preprocessor, so it asks the processor, the same question the
// loader asked when it picked the clone; a build without clones knows it at compile time (that
// is how Scripts/check-kernel-clones.sh runs each variant).
#if defined(SSIM_VECTOR_BYTES)   /* fixed by Scripts/bench-kernel-clones.sh, to time one clone */
#define VECTOR_BYTES SSIM_VECTOR_BYTES
#elif defined(SSIM_CLONES)
// (Feature by feature: older clangs do not know the levels' names in __builtin_cpu_supports,
// llvm-project issue 59961.)
#define CPU_HAS_X86_64_V4 (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&  \
    __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
#define CPU_HAS_X86_64_V3 (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&           \
    __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("movbe"))
#define VECTOR_BYTES (CPU_HAS_X86_64_V4 ? 64 : CPU_HAS_X86_64_V3 ? 32 : 16)
#elif defined(__AVX512F__)
#define VECTOR_BYTES 64
#elif defined(__AVX2__)
#define VECTOR_BYTES 32
#else
#define VECTOR_BYTES 16
#endif
// ssim_filter4's width. AArch64 has 32 NEON registers (like AVX-512, unlike AVX2's 16): with
// 32-byte vectors (two q registers each) its eight multiply-add chains fit without spilling and
// hide the 4-cycle latency that four chains of 16 bytes wait on. llvm-mca 19, cycles per four
// fmla in the tap loop compiled with -mcpu=X for model X, 16 -> 32 bytes: apple-m1 7.0 -> 4.5,
// neoverse-n1 7.1 -> 6.8, neoverse-v1 4.1 -> 3.4. 64 bytes spill (39-45 stack accesses per tap).
// Only the blocking changes: each output is the same sum in the same order, so the same bits.
#if (defined(__aarch64__) || defined(_M_ARM64)) && !defined(SSIM_VECTOR_BYTES)
#define FILTER4_VECTOR_BYTES 32
#else
#define FILTER4_VECTOR_BYTES VECTOR_BYTES
#endif

// Vectors of 64 bytes with 4- or 8-byte alignment (unaligned loads and stores); each clone
// compiles them to its own registers (one AVX-512, two AVX2 or four SSE registers).
typedef float vfloat __attribute__((vector_size(64), aligned(4)));
typedef double vdouble __attribute__((vector_size(64), aligned(8)));
// One AVX2 or one SSE register.
typedef float vfloat32 __attribute__((vector_size(32), aligned(4)));
typedef double vdouble32 __attribute__((vector_size(32), aligned(8)));
typedef float vfloat16 __attribute__((vector_size(16), aligned(4)));
typedef double vdouble16 __attribute__((vector_size(16), aligned(8)));
#define LOAD(V, p) (*(const V *)(p))

// Lanes k..k+lanes-1 of the concatenation of a and b (0 <= k <= lanes), for a constant k: the
// row shifted by k elements, from two loads where an unaligned load would straddle two cache
// lines (one two-source permute with AVX-512).
#define SHIFT16(a, b, k) __builtin_shufflevector(a, b, k, k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, \
    k + 7, k + 8, k + 9, k + 10, k + 11, k + 12, k + 13, k + 14, k + 15)
#define SHIFT8(a, b, k) __builtin_shufflevector(a, b, k, k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, k + 7)
// (A macro, not a function: vector arguments would change the ABI between the clones.)
#define shifted_f(a, b, k) ((k) == 0 ? (a) : (k) == 1 ? SHIFT16(a, b, 1) : (k) == 2 ? SHIFT16(a, b, 2) \
    : (k) == 3 ? SHIFT16(a, b, 3) : (k) == 4 ? SHIFT16(a, b, 4) : (k) == 5 ? SHIFT16(a, b, 5)       \
    : (k) == 6 ? SHIFT16(a, b, 6) : (k) == 7 ? SHIFT16(a, b, 7) : (k) == 8 ? SHIFT16(a, b, 8)       \
    : (k) == 9 ? SHIFT16(a, b, 9) : (k) == 10 ? SHIFT16(a, b, 10) : (k) == 11 ? SHIFT16(a, b, 11)   \
    : (k) == 12 ? SHIFT16(a, b, 12) : (k) == 13 ? SHIFT16(a, b, 13) : (k) == 14 ? SHIFT16(a, b, 14) \
    : (k) == 15 ? SHIFT16(a, b, 15) : (b))
#define shifted_d(a, b, k) ((k) == 0 ? (a) : (k) == 1 ? SHIFT8(a, b, 1) : (k) == 2 ? SHIFT8(a, b, 2) \
    : (k) == 3 ? SHIFT8(a, b, 3) : (k) == 4 ? SHIFT8(a, b, 4) : (k) == 5 ? SHIFT8(a, b, 5)          \
    : (k) == 6 ? SHIFT8(a, b, 6) : (k) == 7 ? SHIFT8(a, b, 7) : (b))

// The symmetric correlation for a window of 2 H + 1 taps, H a constant of at most `lanes`:
// tap k of output vector j is the row shifted by k, a shuffle of the two vectors at c and
// c + lanes for k <= H, an unaligned load past the centre, so that the shuffle and load units
// share the work (per core on the headline's rows: 10.5 ms with loads only, 8.5 ms with
// shuffles only, 6.2 ms split). The same operations in the same order as CORRELATE_BLOCKS, so
// the same bits. Its loads stay within src[0 ..< count + 2 H], as the header promises;
// CORRELATE_BLOCKS does the last columns.
#define TAP(V, SHIFTED, H, k) ((k) > (H) ? LOAD(V, src + c + j * lanes + (k)) : SHIFTED(v[j], v[j + 1], k))
#define CORRELATE_SHIFTED_BLOCKS(T, V, SHIFTED, H, VECTORS)                                     \
            for (; c + VECTORS * lanes <= count && c + (VECTORS + 1) * lanes <= count + 2 * H;  \
                 c += VECTORS * lanes) {                                                        \
                V v[VECTORS + 1], acc[VECTORS];                                                 \
                for (int j = 0; j <= VECTORS; j++) v[j] = LOAD(V, src + c + j * lanes);         \
                for (int j = 0; j < VECTORS; j++) acc[j] = w[H] * TAP(V, SHIFTED, H, H);        \
                _Pragma("clang loop unroll(full)")                                              \
                for (int k = 0; k < H; k++)                                                     \
                    for (int j = 0; j < VECTORS; j++)                                           \
                        acc[j] += w[k] * (TAP(V, SHIFTED, H, k) + TAP(V, SHIFTED, H, 2 * H - k)); \
                for (int j = 0; j < VECTORS; j++) *(V *)(dst + c + j * lanes) = acc[j];         \
            }
#define CORRELATE_SHIFTED(T, V, SHIFTED, H)                                                     \
        case H: {                                                                               \
            T w[H + 1];                                                                         \
            for (int k = 0; k <= H; k++) w[k] = window[k];                                      \
            /* Four vectors at a time (four independent chains of multiply-adds), then one. */  \
            CORRELATE_SHIFTED_BLOCKS(T, V, SHIFTED, H, 4)                                       \
            CORRELATE_SHIFTED_BLOCKS(T, V, SHIFTED, H, 1)                                       \
            break;                                                                              \
        }

// Blocks of WIDE elements (four AVX-512 or eight AVX2 registers, so that the multiply-adds of a block do
// not wait on each other), then NARROW ones for the rest of the row.
// The tap loop must not be vectorized along k: src + c + k is contiguous in k, and on AArch64
// LLVM vectorizes such floating-point sums in order (no reassociation needed) but splits the
// multiply-add into a multiply and an add, so the narrow block would no longer give
// ssim_symmetric_sum's fused bits (1-2 ulp off for 17+ float / 9+ double taps). On x86-64 the
// pragma changes no instruction (the assembly of every clone is the same with and without it).
#define CORRELATE_BLOCKS(T, BLOCK)                                                              \
        for (; c + BLOCK <= count; c += BLOCK) {                                                \
            T acc[BLOCK];                                                                       \
            for (int l = 0; l < BLOCK; l++) acc[l] = centre * src[c + half + l];                \
            _Pragma("clang loop vectorize(disable)")                                            \
            for (ptrdiff_t k = 0; k < half; k++) {                                              \
                const T w = window[k];                                                          \
                const T *a = src + c + k, *b = src + c + 2 * half - k;                          \
                for (int l = 0; l < BLOCK; l++) acc[l] += w * (a[l] + b[l]);                    \
            }                                                                                   \
            for (int l = 0; l < BLOCK; l++) dst[c + l] = acc[l];                                \
        }

#define CORRELATE(NAME, T, WIDE, NARROW, V, SHIFTED_CASES)                                      \
    DISPATCH void NAME(const T *src, T *restrict dst, ptrdiff_t count, const T *window,         \
                       ptrdiff_t half) {                                                        \
        const T centre = window[half];                                                          \
        const ptrdiff_t lanes = sizeof(V) / sizeof(T);                                          \
        ptrdiff_t c = 0;                                                                        \
        if (VECTOR_BYTES == 64) switch (half) { SHIFTED_CASES default: break; }                 \
        CORRELATE_BLOCKS(T, WIDE)                                                               \
        CORRELATE_BLOCKS(T, NARROW)                                                             \
    }

#define WEIGHTED_SUM_BLOCKS(T, BLOCK)                                                           \
        for (; c + BLOCK <= count; c += BLOCK) {                                                \
            T acc[BLOCK];                                                                       \
            for (int l = 0; l < BLOCK; l++) acc[l] = weights[0] * rows[0][c + l];               \
            for (ptrdiff_t j = 1; j < rowCount; j++) {                                          \
                const T w = weights[j];                                                         \
                const T *row = rows[j] + c;                                                     \
                for (int l = 0; l < BLOCK; l++) acc[l] += w * row[l];                           \
            }                                                                                   \
            for (int l = 0; l < BLOCK; l++) dst[c + l] = acc[l];                                \
        }

#define WEIGHTED_SUM(NAME, T, WIDE, NARROW)                                                     \
    DISPATCH void NAME(const T *const *rows, const T *weights, ptrdiff_t rowCount,              \
                       T *restrict dst, ptrdiff_t count) {                                      \
        ptrdiff_t c = 0;                                                                        \
        WEIGHTED_SUM_BLOCKS(T, WIDE)                                                            \
        WEIGHTED_SUM_BLOCKS(T, NARROW)                                                          \
    }

#define PRODUCTS(NAME, T)                                                                       \
    DISPATCH void NAME(const T *x, const T *y, T shift1, T shift2, T scale, ptrdiff_t count,    \
                       T *restrict px, T *restrict py, T *restrict pxx, T *restrict pyy,        \
                       T *restrict pdd) {                                                       \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            const T a = (x[i] - shift1) * scale, b = (y[i] - shift2) * scale;                   \
            const T d = a - b;                                                                  \
            px[i] = a; py[i] = b; pxx[i] = a * a; pyy[i] = b * b; pdd[i] = d * d;               \
        }                                                                                       \
    }

#define SYMMETRIC_SUM_BLOCKS(T, BLOCK)                                                          \
        for (; c + BLOCK <= count; c += BLOCK) {                                                \
            T acc[BLOCK];                                                                       \
            const T *middle = rows[half] + c;                                                   \
            for (int l = 0; l < BLOCK; l++) acc[l] = window[half] * middle[l];                  \
            for (ptrdiff_t k = 0; k < half; k++) {                                              \
                const T w = window[k];                                                          \
                const T *a = rows[k] + c, *b = rows[2 * half - k] + c;                          \
                for (int l = 0; l < BLOCK; l++) acc[l] += w * (a[l] + b[l]);                    \
            }                                                                                   \
            for (int l = 0; l < BLOCK; l++) dst[c + l] = acc[l];                                \
        }

#define SYMMETRIC_SUM(NAME, T, WIDE, NARROW)                                                    \
    DISPATCH void NAME(const T *const *rows, const T *window, ptrdiff_t half, T *restrict dst,  \
                       ptrdiff_t count) {                                                       \
        ptrdiff_t c = 0;                                                                        \
        SYMMETRIC_SUM_BLOCKS(T, WIDE)                                                           \
        SYMMETRIC_SUM_BLOCKS(T, NARROW)                                                         \
    }


// Four outputs of a symmetric window from taps + 3 rows, summed in ssim_symmetric_sum's order
// (the centre tap, then the pairs from the outside in), so that a row filtered with three
// others and one filtered alone come out with the same bits. Output o reads rows o..o+taps-1;
// at pair k it needs rows k + o and taps - 1 - k + o, which slide by one row from one pair to
// the next: each step loads two rows and does four adds and four multiply-adds (which run on
// different pipes), and the sliding rows stay in registers.
#define FILTER4_BLOCKS(T, V, VECTORS)                                                           \
        for (; c + VECTORS * lanes <= count; c += VECTORS * lanes) {                            \
            V acc0[VECTORS], acc1[VECTORS], acc2[VECTORS], acc3[VECTORS];                       \
            V lo0[VECTORS], lo1[VECTORS], lo2[VECTORS], hi1[VECTORS], hi2[VECTORS], hi3[VECTORS]; \
            for (int h = 0; h < VECTORS; h++) {                                                 \
                const ptrdiff_t o = c + h * lanes;                                              \
                acc0[h] = centre * LOAD(V, rows[half] + o); acc1[h] = centre * LOAD(V, rows[half + 1] + o); \
                acc2[h] = centre * LOAD(V, rows[half + 2] + o); acc3[h] = centre * LOAD(V, rows[half + 3] + o); \
                lo0[h] = LOAD(V, rows[0] + o); lo1[h] = LOAD(V, rows[1] + o); lo2[h] = LOAD(V, rows[2] + o); \
                hi1[h] = LOAD(V, rows[taps] + o); hi2[h] = LOAD(V, rows[taps + 1] + o);         \
                hi3[h] = LOAD(V, rows[taps + 2] + o);                                           \
            }                                                                                   \
            for (ptrdiff_t k = 0; k < half; k++) {                                              \
                const T w = window[k];                                                          \
                const T *low = rows[k + 3] + c, *high = rows[taps - 1 - k] + c;                 \
                for (int h = 0; h < VECTORS; h++) {                                             \
                    const V lo3 = LOAD(V, low + h * lanes), hi0 = LOAD(V, high + h * lanes);    \
                    acc0[h] += w * (lo0[h] + hi0); acc1[h] += w * (lo1[h] + hi1[h]);            \
                    acc2[h] += w * (lo2[h] + hi2[h]); acc3[h] += w * (lo3 + hi3[h]);            \
                    lo0[h] = lo1[h]; lo1[h] = lo2[h]; lo2[h] = lo3;                             \
                    hi3[h] = hi2[h]; hi2[h] = hi1[h]; hi1[h] = hi0;                             \
                }                                                                               \
            }                                                                                   \
            for (int h = 0; h < VECTORS; h++) {                                                 \
                const ptrdiff_t o = c + h * lanes;                                              \
                *(V *)(dst[0] + o) = acc0[h]; *(V *)(dst[1] + o) = acc1[h];                     \
                *(V *)(dst[2] + o) = acc2[h]; *(V *)(dst[3] + o) = acc3[h];                     \
            }                                                                                   \
        }

#define FILTER4(NAME, T, V64, V32, V16)                                                         \
    DISPATCH void NAME(const T *const *rows, const T *window, ptrdiff_t taps,                   \
                       T *const *dst, ptrdiff_t count) {                                        \
        const ptrdiff_t half = taps / 2;                                                        \
        const T centre = window[half];                                                          \
        ptrdiff_t c = 0;                                                                        \
        /* Blocks of vectors (with AVX-512's 32 registers, two vectors of columns at a time: */ \
        /* eight independent sums hide the latency), then single columns. */                   \
        if (FILTER4_VECTOR_BYTES == 64) {                                                       \
            const ptrdiff_t lanes = sizeof(V64) / sizeof(T);                                    \
            FILTER4_BLOCKS(T, V64, 2)                                                           \
            FILTER4_BLOCKS(T, V64, 1)                                                           \
        } else if (FILTER4_VECTOR_BYTES == 32) {                                                \
            const ptrdiff_t lanes = sizeof(V32) / sizeof(T);                                    \
            FILTER4_BLOCKS(T, V32, 1)                                                           \
        } else {                                                                                \
            const ptrdiff_t lanes = sizeof(V16) / sizeof(T);                                    \
            FILTER4_BLOCKS(T, V16, 1)                                                           \
        }                                                                                       \
        for (; c < count; c++)                                                                  \
            for (int o = 0; o < 4; o++) {                                                       \
                T sum = centre * rows[o + half][c];                                             \
                for (ptrdiff_t k = 0; k < half; k++)                                            \
                    sum += window[k] * (rows[o + k][c] + rows[o + taps - 1 - k][c]);            \
                dst[o][c] = sum;                                                                \
            }                                                                                   \
    }

void ssim_prefetch(const void *p, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k += 64) __builtin_prefetch((const char *)p + k, 0, 2);
}

FILTER4(ssim_filter4_f, float, vfloat, vfloat32, vfloat16)
FILTER4(ssim_filter4_d, double, vdouble, vdouble32, vdouble16)
SYMMETRIC_SUM(ssim_symmetric_sum_f, float, 64, 8)
SYMMETRIC_SUM(ssim_symmetric_sum_d, double, 32, 4)
PRODUCTS(ssim_products_f, float)
PRODUCTS(ssim_products_d, double)
// Windows of up to 33 taps (float) or 17 (double) take the shifted path.
#define SHIFTED_CASES_F(T, V) CORRELATE_SHIFTED(T, V, shifted_f, 1) \
    CORRELATE_SHIFTED(T, V, shifted_f, 2) CORRELATE_SHIFTED(T, V, shifted_f, 3) \
    CORRELATE_SHIFTED(T, V, shifted_f, 4) CORRELATE_SHIFTED(T, V, shifted_f, 5) \
    CORRELATE_SHIFTED(T, V, shifted_f, 6) CORRELATE_SHIFTED(T, V, shifted_f, 7) \
    CORRELATE_SHIFTED(T, V, shifted_f, 8) CORRELATE_SHIFTED(T, V, shifted_f, 9) \
    CORRELATE_SHIFTED(T, V, shifted_f, 10) CORRELATE_SHIFTED(T, V, shifted_f, 11) \
    CORRELATE_SHIFTED(T, V, shifted_f, 12) CORRELATE_SHIFTED(T, V, shifted_f, 13) \
    CORRELATE_SHIFTED(T, V, shifted_f, 14) CORRELATE_SHIFTED(T, V, shifted_f, 15) \
    CORRELATE_SHIFTED(T, V, shifted_f, 16)
#define SHIFTED_CASES_D(T, V) CORRELATE_SHIFTED(T, V, shifted_d, 1) \
    CORRELATE_SHIFTED(T, V, shifted_d, 2) CORRELATE_SHIFTED(T, V, shifted_d, 3) \
    CORRELATE_SHIFTED(T, V, shifted_d, 4) CORRELATE_SHIFTED(T, V, shifted_d, 5) \
    CORRELATE_SHIFTED(T, V, shifted_d, 6) CORRELATE_SHIFTED(T, V, shifted_d, 7) \
    CORRELATE_SHIFTED(T, V, shifted_d, 8)
CORRELATE(ssim_correlate_f, float, 64, 8, vfloat, SHIFTED_CASES_F(float, vfloat))
CORRELATE(ssim_correlate_d, double, 32, 4, vdouble, SHIFTED_CASES_D(double, vdouble))
WEIGHTED_SUM(ssim_weighted_sum_f, float, 64, 8)
WEIGHTED_SUM(ssim_weighted_sum_d, double, 32, 4)

// SSIML1Loss's photometric mix, fused into the formula and partials kernels (their *_mix
// variants, MIX 1): each value stored is ssimWeight v + l1Weight |x[i] - y[i]|, v the statistic
// as the plain kernel stores it, x and y the raw pixels at the row's positions (two roundings
// and an add, no fused multiply-add: the bits of the statistic's row mixed in a pass of its own),
// and the partials' upstream is ssimWeight u. MIX 0 (the plain kernels) stores v itself.
#define MIX_PARAMS_0(T)
#define MIX_PARAMS_1(T) , const T *x, const T *y, T ssimWeight, T l1Weight
#define MIX_UPSTREAM_0(U) (U)
#define MIX_UPSTREAM_1(U) (ssimWeight * (U))
#define MIX_STORE_0(T, DST, V) (DST) = (V)
#define MIX_STORE_1(T, DST, V)                                                                  \
    do {                                                                                        \
        const T mixSSIM = ssimWeight * (V), mixDiff = x[i] - y[i];                              \
        const T mixL1 = l1Weight * (mixDiff < 0 ? -mixDiff : mixDiff);                          \
        (DST) = mixSSIM + mixL1;                                                                \
    } while (0)
#define MIX_STORE(T, MIX, DST, V) MIX_STORE_##MIX(T, DST, V)
/* In a loop over every column: the mix only before `valid` (past it x and y are not the row's). */
#define MIX_STORE_VALID_0(T, DST, V) (DST) = (V)
#define MIX_STORE_VALID_1(T, DST, V)                                                            \
    do {                                                                                        \
        if (i < valid) MIX_STORE_1(T, DST, V); else (DST) = (V);                                \
    } while (0)
#define MIX_STORE_VALID(T, MIX, DST, V) MIX_STORE_VALID_##MIX(T, DST, V)
#define MIX_UPSTREAM(MIX, U) MIX_UPSTREAM_##MIX(U)

// The terms of the SSIM formula at pixel i from the centred moments, with
// sdd = var(x - y) = G*(x~ - y~)^2 - (m1c - m2c)^2, so that sigma12 = (s1 + s2 - sdd) / 2 and
// B = 2 sigma12 + C2 = D - sdd. Every second moment is multiplied by `cov`: 1 for the
// population moments (exact: the same bits), N / (N - 1) for scikit-image's sample covariance.
#define SSIM_TERMS(T)                                                                           \
            const T m1c = mu1[i], m2c = mu2[i], m1 = m1c + shift1, m2 = m2c + shift2;           \
            const T dmc = m1c - m2c;                                                            \
            const T s1 = cov * (e11[i] - m1c * m1c), s2 = cov * (e22[i] - m2c * m2c);          \
            const T sdd = cov * (edd[i] - dmc * dmc);                                           \
            const T c = m1 * m1 + m2 * m2 + c1, d = s1 + s2 + c2;                               \
            const T a = 2 * m1 * m2 + c1, b = d - sdd;                                          \
            const T den = c * d + eps;

// The sum of a row in double, in a fixed order (the forward and the backward pass sum the loss
// of a row identically, whatever the clone): 32 partial sums, lane l of vector j summing
// values[i + 8 j + l], added up lane by lane at the end, then the tail one by one. (Four
// chains of scalar sums took as long as the formula itself.)
typedef double vdouble8 __attribute__((vector_size(64), aligned(8)));
typedef float vfloat8 __attribute__((vector_size(32), aligned(4)));
#define ROW_SUM(NAME, T, CONVERT)                                                               \
    static inline double NAME(const T *values, ptrdiff_t count) {                               \
        vdouble8 s[4] = {{0}, {0}, {0}, {0}};                                                   \
        ptrdiff_t i = 0;                                                                        \
        for (; i + 32 <= count; i += 32)                                                        \
            for (int j = 0; j < 4; j++) s[j] += CONVERT(values + i + 8 * j);                    \
        const vdouble8 lanes = (s[0] + s[1]) + (s[2] + s[3]);                                   \
        double total = 0;                                                                       \
        for (int l = 0; l < 8; l++) total += lanes[l];                                          \
        for (; i < count; i++) total += values[i];                                              \
        return total;                                                                           \
    }
#define FROM_FLOATS(p) __builtin_convertvector(*(const vfloat8 *)(p), vdouble8)
#define FROM_DOUBLES(p) (*(const vdouble8 *)(p))

ROW_SUM(row_sum_f, float, FROM_FLOATS)
ROW_SUM(row_sum_d, double, FROM_DOUBLES)

// One straight loop per statistic (a constant), so that each vectorizes without blends.
#define FORMULA_LOOP(T, STAT, MIX)                                                                 \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            SSIM_TERMS(T)                                                                       \
            if (STAT == 1) {                                                                    \
                const T dm = m1 - m2;                                                           \
                const T v = (c * sdd + dm * dm * b + eps) / (2 * den);                          \
                MIX_STORE(T, MIX, out[i], (v < 0 ? 0 : (v > 1 ? 1 : v)));                      \
            } else if (STAT == 2) {                                                             \
                MIX_STORE(T, MIX, out[i], b / d);                                               \
            } else {                                                                            \
                MIX_STORE(T, MIX, out[i], a * b / den);                                         \
            }                                                                                   \
        }
#define FORMULA_LOOPS(T, MIX)                                                                   \
        if (statistic == 1) {                                                                   \
            FORMULA_LOOP(T, 1, MIX)                                                             \
        } else if (statistic == 2) {                                                            \
            FORMULA_LOOP(T, 2, MIX)                                                             \
        } else {                                                                                \
            FORMULA_LOOP(T, 0, MIX)                                                             \
        }

#define FORMULA(NAME, T, SUM, MIX)                                                              \
    DISPATCH double NAME(const T *mu1, const T *mu2, const T *e11, const T *e22, const T *edd,  \
                         ptrdiff_t count, T shift1, T shift2, T c1, T c2, T cov, T eps,         \
                         int statistic MIX_PARAMS_##MIX(T), T *restrict out) {                  \
        /* No fused multiply-adds: e11 - m1c * m1c must be exactly 0 where e11 is m1c^2 rounded */ \
        _Pragma("clang fp contract(off)")                                                       \
        /* Population moments (cov 1, every preset but scikit-image's) skip the multiplies. */ \
        if (cov == 1) {                                                                         \
            const T cov = 1;                                                                    \
            FORMULA_LOOPS(T, MIX)                                                               \
        } else {                                                                                \
            FORMULA_LOOPS(T, MIX)                                                               \
        }                                                                                       \
        return SUM(out, count);                                                                 \
    }

FORMULA(ssim_formula_f, float, row_sum_f, 0)
FORMULA(ssim_formula_d, double, row_sum_d, 0)
FORMULA(ssim_formula_mix_f, float, row_sum_f, 1)
FORMULA(ssim_formula_mix_d, double, row_sum_d, 1)

// One pixel's partials for statistic STAT (a constant) from the upstream value U.
#define PARTIAL_STEP(T, STAT, U, MIX)                                                           \
            SSIM_TERMS(T)                                                                       \
            const T u = (U);                                                                    \
            if (STAT == 2) {                                                                    \
                /* cs = B / D = 1 - sdd / D: dcs/dD = sdd / D^2, dcs/dsdd = -1 / D. */          \
                MIX_STORE(T, MIX, values[i], b / d);                                            \
                const T inv = 1 / d, sB = cov * u * inv, r = 2 * sB * sdd * inv;                \
                dB[i] = sB;                                                                     \
                dR[i] = r;                                                                      \
                dMu1[i] = 2 * dmc * sB - m1c * r;                                               \
                dMu2[i] = -2 * dmc * sB - m2c * r;                                              \
            } else {                                                                            \
                const T ssim = a * b / den;                                                     \
                T g = u;                                                                        \
                if (STAT == 1) {                                                                \
                    const T dm = m1 - m2;                                                       \
                    const T l = (c * sdd + dm * dm * b + eps) / (2 * den);                      \
                    g = (l >= 0 && l <= 1) ? -u / 2 : 0;                                        \
                    MIX_STORE(T, MIX, values[i], (l < 0 ? 0 : (l > 1 ? 1 : l)));               \
                } else {                                                                        \
                    MIX_STORE(T, MIX, values[i], ssim);                                         \
                }                                                                               \
                /* One reciprocal for the gradient's divisions (the values keep theirs: they */ \
                /* must equal the forward pass's bit for bit). */                               \
                const T inv = 1 / den, sum = m1 + m2;                                           \
                const T mean1 = b * (d * (m2 - m1) * (m2 * sum + c1) + m2 * eps) * inv;         \
                const T mean2 = b * (d * (m1 - m2) * (m1 * sum + c1) + m1 * eps) * inv;         \
                const T excess = a * (c * sdd + eps) * inv;                                     \
                const T scale = 2 * g * inv;                                                    \
                /* The second moments enter the formula times cov: so do their partials. */   \
                const T e = cov * (-g * ssim * c * inv), r = cov * (scale * excess);            \
                dB[i] = cov * (g * a * inv);                                                    \
                dR[i] = r;                                                                      \
                dMu1[i] = scale * mean1 - 2 * dmc * e - m2c * r;                                \
                dMu2[i] = scale * mean2 + 2 * dmc * e - m1c * r;                                \
            }

// The row in three straight loops, so that each vectorizes without masks or blends: the
// columns before `valid` with the upstream row or the uniform value, then the rest (padding,
// whose partials are zero) with an upstream of zero.
#define PARTIALS_LOOPS(T, STAT, MIX)                                                            \
        if (upstream) {                                                                         \
            for (ptrdiff_t i = 0; i < valid; i++) {                                             \
                PARTIAL_STEP(T, STAT, MIX_UPSTREAM(MIX, upstream[i]), MIX)                      \
            }                                                                                   \
        } else {                                                                                \
            for (ptrdiff_t i = 0; i < valid; i++) { PARTIAL_STEP(T, STAT, MIX_UPSTREAM(MIX, uniform), MIX) } \
        }                                                                                       \
        for (ptrdiff_t i = valid; i < count; i++) { PARTIAL_STEP(T, STAT, 0, 0) }

#define PARTIALS(NAME, T, SUM, MIX)                                                             \
    DISPATCH double NAME(const T *mu1, const T *mu2, const T *e11, const T *e22, const T *edd,  \
                       ptrdiff_t count, ptrdiff_t valid, T shift1, T shift2, T c1, T c2, T cov, \
                       T eps,                                                                   \
                       int statistic, const T *upstream, T uniform MIX_PARAMS_##MIX(T), T *restrict dMu1, \
                       T *restrict dMu2, T *restrict dB, T *restrict dR, T *restrict values) {  \
        _Pragma("clang fp contract(off)")                                                       \
        if (statistic == 2) {                                                                   \
            PARTIALS_LOOPS(T, 2, MIX)                                                           \
        } else if (statistic == 1) {                                                            \
            PARTIALS_LOOPS(T, 1, MIX)                                                           \
        } else {                                                                                \
            PARTIALS_LOOPS(T, 0, MIX)                                                           \
        }                                                                                       \
        return SUM(values, valid);                                                              \
    }

// The gradients' loops; with L1 1 (ssim_combine_l1_*, SSIML1Loss) the L1 term's gradient
// g = (l1Weight u) sign(x - y) is added onto dx and taken from dy as each is stored (sign 0 where
// x == y, as torch's abs; branch-free, as the signs of random pixels defeat prediction): the
// bits of the plain gradient with g added in a pass of its own.
#define COMBINE_STORE_0(T, DST, G, OP, U) (DST) = (G)
#define COMBINE_STORE_1(T, DST, G, OP, U)                                                       \
    do {                                                                                        \
        const T grad = (G), l1 = (l1Weight * (U)) * (T)((x[i] > y[i]) - (x[i] < y[i]));         \
        (DST) = grad OP l1;                                                                     \
    } while (0)
#define COMBINE_LOOPS(T, L1, U)                                                                 \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            const T a = (x[i] - shift1) * scale, b = (y[i] - shift2) * scale;                   \
            COMBINE_STORE_##L1(T, dx[i], (m1[i] + a * r[i] - 2 * (a - b) * sB[i]) * scale, +, U); \
        }                                                                                       \
        if (dy)                                                                                 \
            for (ptrdiff_t i = 0; i < count; i++) {                                             \
                const T a = (x[i] - shift1) * scale, b = (y[i] - shift2) * scale;               \
                COMBINE_STORE_##L1(T, dy[i], (m2[i] + b * r[i] + 2 * (a - b) * sB[i]) * scale, -, U); \
            }
#define L1_PARAMS_0(T)
#define L1_PARAMS_1(T) , const T *upstream, T uniform, T l1Weight
#define COMBINE_BODY_0(T) COMBINE_LOOPS(T, 0, 0)
#define COMBINE_BODY_1(T)                                                                       \
        if (upstream) {                                                                         \
            COMBINE_LOOPS(T, 1, upstream[i])                                                    \
        } else {                                                                                \
            COMBINE_LOOPS(T, 1, uniform)                                                        \
        }
#define COMBINE(NAME, T, L1)                                                                    \
    DISPATCH void NAME(const T *x, const T *y, T shift1, T shift2, T scale, const T *m1,        \
                       const T *m2, const T *sB, const T *r, ptrdiff_t count L1_PARAMS_##L1(T), \
                       T *restrict dx, T *restrict dy) {                                        \
        COMBINE_BODY_##L1(T)                                                                    \
    }

PARTIALS(ssim_partials_f, float, row_sum_f, 0)
PARTIALS(ssim_partials_d, double, row_sum_d, 0)
PARTIALS(ssim_partials_mix_f, float, row_sum_f, 1)
PARTIALS(ssim_partials_mix_d, double, row_sum_d, 1)
COMBINE(ssim_combine_f, float, 0)
COMBINE(ssim_combine_d, double, 0)
COMBINE(ssim_combine_l1_f, float, 1)
COMBINE(ssim_combine_l1_d, double, 1)

#define FILTER2D_ADD_BLOCKS(T, BLOCK)                                                           \
        for (; c + BLOCK <= count; c += BLOCK) {                                                \
            T acc[BLOCK];                                                                       \
            for (int l = 0; l < BLOCK; l++) acc[l] = 0;                                         \
            for (ptrdiff_t j = 0; j < taps; j++) {                                              \
                const T *row = rows[j] + c, *w = mask + j * taps;                               \
                for (ptrdiff_t k = 0; k < taps; k++) {                                          \
                    const T wk = w[k];                                                          \
                    for (int l = 0; l < BLOCK; l++) acc[l] += wk * row[k + l];                  \
                }                                                                               \
            }                                                                                   \
            for (int l = 0; l < BLOCK; l++) dst[c + l] += acc[l];                               \
        }

#define FILTER2D_ADD(NAME, T, WIDE, NARROW)                                                     \
    DISPATCH void NAME(const T *const *rows, const T *mask, ptrdiff_t taps, T *restrict dst,    \
                       ptrdiff_t count) {                                                       \
        ptrdiff_t c = 0;                                                                        \
        FILTER2D_ADD_BLOCKS(T, WIDE)                                                            \
        FILTER2D_ADD_BLOCKS(T, NARROW)                                                          \
    }

FILTER2D_ADD(ssim_filter2d_add_f, float, 64, 8)
FILTER2D_ADD(ssim_filter2d_add_d, double, 32, 4)

#define PAIR_SUMS_ADD(NAME, T)                                                                  \
    DISPATCH void NAME(const T *src, ptrdiff_t count, T *restrict row) {                       \
        for (ptrdiff_t p = 0; p < count; p++) row[p] = (row[p] + src[2 * p]) + src[2 * p + 1];  \
    }
#define PAIR_SPREAD_ADD(NAME, T)                                                                \
    DISPATCH void NAME(const T *row, ptrdiff_t count, T factor, T *restrict dst) {             \
        _Pragma("clang fp contract(off)") /* the share rounds once, as Swift's loop rounded it */ \
        for (ptrdiff_t p = 0; p < count; p++) {                                                 \
            const T share = row[p] * factor;                                                    \
            dst[2 * p] += share;                                                                \
            dst[2 * p + 1] += share;                                                            \
        }                                                                                       \
    }

PAIR_SUMS_ADD(ssim_pair_sums_add_f, float)
PAIR_SUMS_ADD(ssim_pair_sums_add_d, double)
PAIR_SPREAD_ADD(ssim_pair_spread_add_f, float)
PAIR_SPREAD_ADD(ssim_pair_spread_add_d, double)

// MATLAB's general form of SSIM (its Exponents and RegularizationConstants), on the same rows of
// centred moments as ssim_formula_*:
//   l = A / C,  c = (2 sd1 sd2 + C2) / D,  s = (s12 + C3) / (sd1 sd2 + C3),  SSIM = l^alpha c^beta s^gamma,
// with sd = sqrt(max(s, 0)), s12 = (s1 + s2 - sdd) / 2 and a quotient of 1 where its denominator
// is 0 (only possible with a constant of 0), an exponent of 1 the term itself and of 0 no term
// (1, whatever the term). Under a fractional exponent a negative term counts as 0, with a slope
// of 0 (MATLAB clamps it to [0, inf] there, its guardedDivideAndExponent, rather than return a
// complex number). No eps: the general form is MATLAB's, which has none.
#define GENERAL_POWERS(POWER, SLOPE, T, POW, FLOOR)                                             \
    static inline T POWER(T v, T e) {                                                           \
        return e == 1 ? v : (e == 0 ? 1 : POW(e != FLOOR(e) && v < 0 ? 0 : v, e));              \
    }                                                                                           \
    static inline T SLOPE(T v, T e) {                                                           \
        return e == 1 ? 1 : (e == 0 || (e != FLOOR(e) && v < 0) ? 0 : e * POW(v, e - 1));       \
    }
GENERAL_POWERS(power_f, slope_f, float, __builtin_powf, __builtin_floorf)
GENERAL_POWERS(power_d, slope_d, double, __builtin_pow, __builtin_floor)

#define GENERAL_TERMS(T, SQRT, POWER)                                                           \
            const T eps = 0;                                                                    \
            SSIM_TERMS(T)                                                                       \
            (void)den; (void)b;                                                                 \
            const T sd1 = SQRT(s1 > 0 ? s1 : 0), sd2 = SQRT(s2 > 0 ? s2 : 0), p = sd1 * sd2;   \
            const T s12 = (s1 + s2 - sdd) / 2, cn = 2 * p + c2, sden = p + c3;                  \
            const T lum = c != 0 ? a / c : 1, con = d != 0 ? cn / d : 1;                        \
            const T str = sden != 0 ? (s12 + c3) / sden : 1;                                    \
            const T pl = POWER(lum, alpha), pc = POWER(con, beta), ps = POWER(str, gamma);      \
            const T ssim = pl * pc * ps;

#define GENERAL_FORMULA(NAME, T, SUM, SQRT, POWER, MIX)                                         \
    DISPATCH double NAME(const T *mu1, const T *mu2, const T *e11, const T *e22, const T *edd,  \
                         ptrdiff_t count, T shift1, T shift2, T c1, T c2, T c3, T cov, T alpha, \
                         T beta, T gamma, int statistic MIX_PARAMS_##MIX(T), T *restrict out) { \
        _Pragma("clang fp contract(off)")                                                       \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            GENERAL_TERMS(T, SQRT, POWER)                                                       \
            if (statistic == 1) {                                                               \
                const T v = (1 - ssim) / 2;                                                     \
                MIX_STORE(T, MIX, out[i], (v < 0 ? 0 : (v > 1 ? 1 : v)));                      \
            } else {                                                                            \
                MIX_STORE(T, MIX, out[i], ssim);                                                \
            }                                                                                   \
        }                                                                                       \
        return SUM(out, count);                                                                 \
    }

// dp/ds1 = sd2 / (2 sd1) where s1 > 0 (0 where the variance is clamped); then the partials of
// the terms in s1, s2, s12, taken back to the moments as ssim_partials_* does (for dx: r is
// twice the partial of e11; the partial of e22 differs in general, so dy is dx of the swapped pair).
#define GENERAL_PARTIALS(NAME, T, SUM, SQRT, POWER, SLOPE, MIX)                                 \
    DISPATCH double NAME(const T *mu1, const T *mu2, const T *e11, const T *e22, const T *edd,  \
                         ptrdiff_t count, ptrdiff_t valid, T shift1, T shift2, T c1, T c2,      \
                         T c3, T cov, T alpha, T beta, T gamma, int statistic,                  \
                         const T *upstream, T uniform MIX_PARAMS_##MIX(T), T *restrict dMu1,    \
                         T *restrict dMu2,                                                      \
                         T *restrict dB, T *restrict dR, T *restrict values) {                  \
        _Pragma("clang fp contract(off)")                                                       \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            GENERAL_TERMS(T, SQRT, POWER)                                                       \
            const T u = i < valid ? MIX_UPSTREAM(MIX, (upstream ? upstream[i] : uniform)) : 0;  \
            T g = u;                                                                            \
            if (statistic == 1) {                                                               \
                const T v = (1 - ssim) / 2;                                                     \
                g = (v >= 0 && v <= 1) ? -u / 2 : 0;                                            \
                MIX_STORE_VALID(T, MIX, values[i], (v < 0 ? 0 : (v > 1 ? 1 : v)));             \
            } else {                                                                            \
                MIX_STORE_VALID(T, MIX, values[i], ssim);                                       \
            }                                                                                   \
            const T gl = g * SLOPE(lum, alpha) * pc * ps, gc = g * pl * SLOPE(con, beta) * ps;  \
            const T gs = g * pl * pc * SLOPE(str, gamma);                                       \
            const T dm1 = c != 0 ? gl * 2 * (m2 - m1 * lum) / c : 0;                            \
            const T dm2 = c != 0 ? gl * 2 * (m1 - m2 * lum) / c : 0;                            \
            const T dp1 = s1 > 0 ? sd2 / (2 * sd1) : 0, dp2 = s2 > 0 ? sd1 / (2 * sd2) : 0;     \
            const T cd = d != 0 ? gc / d : 0, sq = sden != 0 ? gs / sden : 0;                   \
            const T q1 = cd * (2 * dp1 - con) - sq * str * dp1;                                 \
            const T q2 = cd * (2 * dp2 - con) - sq * str * dp2;                                 \
            /* s12 = (s1 + s2 - sdd) / 2; each second moment enters times cov. */              \
            const T de11 = cov * (q1 + sq / 2), de22 = cov * (q2 + sq / 2), dedd = cov * (-sq / 2); \
            dB[i] = -dedd;                                                                      \
            dR[i] = 2 * de11;                                                                   \
            dMu1[i] = dm1 - 2 * m1c * de11 - 2 * dmc * dedd;                                    \
            dMu2[i] = dm2 - 2 * m2c * de22 + 2 * dmc * dedd;                                    \
        }                                                                                       \
        return SUM(values, valid);                                                              \
    }

GENERAL_FORMULA(ssim_general_formula_f, float, row_sum_f, __builtin_sqrtf, power_f, 0)
GENERAL_FORMULA(ssim_general_formula_d, double, row_sum_d, __builtin_sqrt, power_d, 0)
GENERAL_FORMULA(ssim_general_formula_mix_f, float, row_sum_f, __builtin_sqrtf, power_f, 1)
GENERAL_FORMULA(ssim_general_formula_mix_d, double, row_sum_d, __builtin_sqrt, power_d, 1)
GENERAL_PARTIALS(ssim_general_partials_f, float, row_sum_f, __builtin_sqrtf, power_f, slope_f, 0)
GENERAL_PARTIALS(ssim_general_partials_d, double, row_sum_d, __builtin_sqrt, power_d, slope_d, 0)
GENERAL_PARTIALS(ssim_general_partials_mix_f, float, row_sum_f, __builtin_sqrtf, power_f, slope_f, 1)
GENERAL_PARTIALS(ssim_general_partials_mix_d, double, row_sum_d, __builtin_sqrt, power_d, slope_d, 1)
