#include "CSSIMKernels.h"

// Each function is compiled three times (AVX-512, AVX2 + FMA, baseline SSE2); the loader picks
// the best the processor runs. The loops work on blocks of elements that stay in vector
// registers while the taps are summed, so each output is written once. `count` is a multiple of
// 8 (float) or 4 (double): the Swift side pads its rows to a multiple of 16.
// ThreadSanitizer instruments the clones' resolvers, which the loader runs before the sanitizer
// is set up (a crash at start-up): under it, one baseline version of each function.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SSIM_NO_CLONES 1
#endif
#endif
#if defined(__x86_64__) && defined(__clang__) && !defined(__APPLE__) && !defined(SSIM_NO_CLONES)
#define DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define DISPATCH
#endif

// Blocks of WIDE elements (four AVX-512 or eight AVX2 registers, so that the multiply-adds of a block do
// not wait on each other), then NARROW ones for the rest of the row.
#define CORRELATE_BLOCKS(T, BLOCK)                                                              \
        for (; c + BLOCK <= count; c += BLOCK) {                                                \
            T acc[BLOCK];                                                                       \
            for (int l = 0; l < BLOCK; l++) acc[l] = centre * src[c + half + l];                \
            for (ptrdiff_t k = 0; k < half; k++) {                                              \
                const T w = window[k];                                                          \
                const T *a = src + c + k, *b = src + c + 2 * half - k;                          \
                for (int l = 0; l < BLOCK; l++) acc[l] += w * (a[l] + b[l]);                    \
            }                                                                                   \
            for (int l = 0; l < BLOCK; l++) dst[c + l] = acc[l];                                \
        }

#define CORRELATE(NAME, T, WIDE, NARROW)                                                        \
    DISPATCH void NAME(const T *src, T *restrict dst, ptrdiff_t count, const T *window,         \
                       ptrdiff_t half) {                                                        \
        const T centre = window[half];                                                          \
        ptrdiff_t c = 0;                                                                        \
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

// Vectors of 64 bytes with 4- or 8-byte alignment (unaligned loads and stores); each clone
// compiles them to its own registers (one AVX-512, two AVX2 or four SSE registers).
typedef float vfloat __attribute__((vector_size(64), aligned(4)));
typedef double vdouble __attribute__((vector_size(64), aligned(8)));

// Four outputs from taps + 3 rows, two vectors of columns at a time: rows 0..2 and
// taps..taps+2 reach only some outputs, rows 3..taps-1 all four. Written with explicit vectors
// and phases so that the eight accumulators stay in registers. A remainder narrower than two
// vectors is done one column at a time.
#define FILTER4(NAME, T, V)                                                                     \
    DISPATCH void NAME(const T *const *rows, const T *window, ptrdiff_t taps,                   \
                       T *const *dst, ptrdiff_t count) {                                        \
        const ptrdiff_t lanes = sizeof(V) / sizeof(T);                                          \
        ptrdiff_t c = 0;                                                                        \
        for (; c + 2 * lanes <= count; c += 2 * lanes) {                                        \
            V a0[2] = {0}, a1[2] = {0}, a2[2] = {0}, a3[2] = {0};                               \
            for (int h = 0; h < 2; h++) {                                                       \
                const ptrdiff_t o = c + h * lanes;                                              \
                V v0 = *(const V *)(rows[0] + o), v1 = *(const V *)(rows[1] + o);               \
                V v2 = *(const V *)(rows[2] + o);                                               \
                a0[h] = window[0] * v0 + window[1] * v1 + window[2] * v2;                       \
                a1[h] = window[0] * v1 + window[1] * v2;                                        \
                a2[h] = window[0] * v2;                                                         \
            }                                                                                   \
            for (ptrdiff_t j = 3; j < taps; j++) {                                              \
                const T w0 = window[j], w1 = window[j - 1], w2 = window[j - 2], w3 = window[j - 3]; \
                /* The rows come from L2; ask for a later block of each (3-5 % measured). */     \
                __builtin_prefetch(rows[j] + c + 8 * lanes);                                    \
                for (int h = 0; h < 2; h++) {                                                   \
                    const V v = *(const V *)(rows[j] + c + h * lanes);                          \
                    a0[h] += w0 * v; a1[h] += w1 * v; a2[h] += w2 * v; a3[h] += w3 * v;         \
                }                                                                               \
            }                                                                                   \
            for (int h = 0; h < 2; h++) {                                                       \
                const ptrdiff_t o = c + h * lanes;                                              \
                V v0 = *(const V *)(rows[taps] + o), v1 = *(const V *)(rows[taps + 1] + o);     \
                V v2 = *(const V *)(rows[taps + 2] + o);                                        \
                a1[h] += window[taps - 1] * v0;                                                 \
                a2[h] += window[taps - 2] * v0 + window[taps - 1] * v1;                         \
                a3[h] += window[taps - 3] * v0 + window[taps - 2] * v1 + window[taps - 1] * v2; \
                *(V *)(dst[0] + o) = a0[h]; *(V *)(dst[1] + o) = a1[h];                         \
                *(V *)(dst[2] + o) = a2[h]; *(V *)(dst[3] + o) = a3[h];                         \
            }                                                                                   \
        }                                                                                       \
        for (; c < count; c++)                                                                  \
            for (int o = 0; o < 4; o++) {                                                       \
                T sum = 0;                                                                      \
                for (ptrdiff_t k = 0; k < taps; k++) sum += window[k] * rows[o + k][c];         \
                dst[o][c] = sum;                                                                \
            }                                                                                   \
    }

FILTER4(ssim_filter4_f, float, vfloat)
FILTER4(ssim_filter4_d, double, vdouble)
SYMMETRIC_SUM(ssim_symmetric_sum_f, float, 64, 8)
SYMMETRIC_SUM(ssim_symmetric_sum_d, double, 32, 4)
PRODUCTS(ssim_products_f, float)
PRODUCTS(ssim_products_d, double)
CORRELATE(ssim_correlate_f, float, 64, 8)
CORRELATE(ssim_correlate_d, double, 32, 4)
WEIGHTED_SUM(ssim_weighted_sum_f, float, 64, 8)
WEIGHTED_SUM(ssim_weighted_sum_d, double, 32, 4)

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

// The sum of a row in double, with four partial sums (a fixed order: the forward and the
// backward pass sum the loss of a row identically).
#define ROW_SUM(NAME, T)                                                                        \
    static inline double NAME(const T *values, ptrdiff_t count) {                               \
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                                  \
        ptrdiff_t i = 0;                                                                        \
        for (; i + 4 <= count; i += 4) {                                                        \
            s0 += values[i]; s1 += values[i + 1]; s2 += values[i + 2]; s3 += values[i + 3];     \
        }                                                                                       \
        for (; i < count; i++) s0 += values[i];                                                 \
        return (s0 + s1) + (s2 + s3);                                                           \
    }

ROW_SUM(row_sum_f, float)
ROW_SUM(row_sum_d, double)

#define FORMULA_LOOP(T)                                                                         \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            SSIM_TERMS(T)                                                                       \
            if (dissimilarity) {                                                                \
                const T dm = m1 - m2;                                                           \
                const T v = (c * sdd + dm * dm * b + eps) / (2 * den);                          \
                out[i] = v < 0 ? 0 : (v > 1 ? 1 : v);                                          \
            } else {                                                                            \
                out[i] = a * b / den;                                                           \
            }                                                                                   \
        }

#define FORMULA(NAME, T, SUM)                                                                        \
    DISPATCH double NAME(const T *mu1, const T *mu2, const T *e11, const T *e22, const T *edd,  \
                         ptrdiff_t count, T shift1, T shift2, T c1, T c2, T cov, T eps,         \
                         int dissimilarity, T *restrict out) {                                  \
        /* No fused multiply-adds: e11 - m1c * m1c must be exactly 0 where e11 is m1c^2 rounded */ \
        _Pragma("clang fp contract(off)")                                                       \
        /* Population moments (cov 1, every preset but scikit-image's) skip the multiplies. */ \
        if (cov == 1) {                                                                         \
            const T cov = 1;                                                                    \
            FORMULA_LOOP(T)                                                                     \
        } else {                                                                                \
            FORMULA_LOOP(T)                                                                     \
        }                                                                                       \
        return SUM(out, count);                                                                 \
    }

FORMULA(ssim_formula_f, float, row_sum_f)
FORMULA(ssim_formula_d, double, row_sum_d)

#define PARTIALS(NAME, T, SUM)                                                                  \
    DISPATCH double NAME(const T *mu1, const T *mu2, const T *e11, const T *e22, const T *edd,  \
                       ptrdiff_t count, ptrdiff_t valid, T shift1, T shift2, T c1, T c2, T cov, \
                       T eps,                                                                   \
                       int loss, const T *upstream, T uniform, T *restrict dMu1,                \
                       T *restrict dMu2, T *restrict dB, T *restrict dR, T *restrict values) {  \
        _Pragma("clang fp contract(off)")                                                       \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            SSIM_TERMS(T)                                                                       \
            const T ssim = a * b / den, dm = m1 - m2;                                           \
            const T u = i < valid ? (upstream ? upstream[i] : uniform) : 0;                     \
            T g = u;                                                                            \
            if (loss) {                                                                         \
                const T l = (c * sdd + dm * dm * b + eps) / (2 * den);                          \
                g = (l >= 0 && l <= 1) ? -u / 2 : 0;                                            \
                values[i] = l < 0 ? 0 : (l > 1 ? 1 : l);                                       \
            } else {                                                                            \
                values[i] = ssim;                                                               \
            }                                                                                   \
            /* One reciprocal for the gradient's divisions (the values keep theirs: they must */ \
            /* equal the forward pass's bit for bit). */                                        \
            const T inv = 1 / den, sum = m1 + m2;                                               \
            const T mean1 = b * (d * (m2 - m1) * (m2 * sum + c1) + m2 * eps) * inv;             \
            const T mean2 = b * (d * (m1 - m2) * (m1 * sum + c1) + m1 * eps) * inv;             \
            const T excess = a * (c * sdd + eps) * inv;                                         \
            const T scale = 2 * g * inv;                                                        \
            /* The second moments enter the formula times cov: so do their partials. */       \
            const T e = cov * (-g * ssim * c * inv), r = cov * (scale * excess);                \
            dB[i] = cov * (g * a * inv);                                                        \
            dR[i] = r;                                                                          \
            dMu1[i] = scale * mean1 - 2 * dmc * e - m2c * r;                                    \
            dMu2[i] = scale * mean2 + 2 * dmc * e - m1c * r;                                    \
        }                                                                                       \
        return SUM(values, valid);                                                              \
    }

#define COMBINE(NAME, T)                                                                        \
    DISPATCH void NAME(const T *x, const T *y, T shift1, T shift2, T scale, const T *m1,        \
                       const T *m2, const T *sB, const T *r, ptrdiff_t count, T *restrict dx,   \
                       T *restrict dy) {                                                        \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            const T a = (x[i] - shift1) * scale, b = (y[i] - shift2) * scale;                   \
            dx[i] = (m1[i] + a * r[i] - 2 * (a - b) * sB[i]) * scale;                           \
        }                                                                                       \
        if (dy)                                                                                 \
            for (ptrdiff_t i = 0; i < count; i++) {                                             \
                const T a = (x[i] - shift1) * scale, b = (y[i] - shift2) * scale;               \
                dy[i] = (m2[i] + b * r[i] + 2 * (a - b) * sB[i]) * scale;                       \
            }                                                                                   \
    }

PARTIALS(ssim_partials_f, float, row_sum_f)
PARTIALS(ssim_partials_d, double, row_sum_d)
COMBINE(ssim_combine_f, float)
COMBINE(ssim_combine_d, double)

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
