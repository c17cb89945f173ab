#include "CSSIMKernels.h"
#include "Clones.h"

// (NaN from the compiler, not <math.h>: the kernels need no C library, so that they cross-compile
// for every platform without its headers: Scripts/cross-check.sh.)
#define SSIM_NAN __builtin_nan("")

// The inner loops of the masked (weighted) SSIM that the existing kernels do not cover: the
// weighted products, the normalisation of the filtered moments by the filtered weights, the
// weighted row sum and the weights of the backward pass (see MaskedSSIM.md). Compiled for the
// same three instruction sets as Kernels.c (Clones.h).

// Every element-wise result is one rounding per operation, in the written order (no contraction
// into multiply-adds), so each clone gives the same bits and a weight of 1 gives exactly what
// ssim_products gives.
#pragma clang fp contract(off)

#define WEIGHTED_PRODUCTS(NAME, T)                                                              \
    DISPATCH void NAME(const T *x, const T *y, const T *w, T shift1, T shift2, T scale,  \
                              ptrdiff_t count, T *restrict pw, T *restrict pwx, T *restrict pwy, \
                              T *restrict pwxx, T *restrict pwyy, T *restrict pwdd) {           \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            const T a = (x[i] - shift1) * scale, b = (y[i] - shift2) * scale;                   \
            const T d = a - b, v = w[i];                                                        \
            const int keep = v != 0;                                                            \
            pw[i] = v;                                                                          \
            pwx[i] = keep ? v * a : 0;                                                          \
            pwy[i] = keep ? v * b : 0;                                                          \
            pwxx[i] = keep ? v * (a * a) : 0;                                                   \
            pwyy[i] = keep ? v * (b * b) : 0;                                                   \
            pwdd[i] = keep ? v * (d * d) : 0;                                                   \
        }                                                                                       \
    }
WEIGHTED_PRODUCTS(ssim_weighted_products_f, float)
WEIGHTED_PRODUCTS(ssim_weighted_products_d, double)

#define NORMALISE_MOMENTS(NAME, T)                                                              \
    DISPATCH void NAME(const T *weight, ptrdiff_t count, T *restrict m1, T *restrict m2, \
                              T *restrict m3, T *restrict m4, T *restrict m5) {                 \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            const T g = weight[i];                                                              \
            const int defined = g > 0;                                                          \
            m1[i] = defined ? m1[i] / g : (T)SSIM_NAN;                                               \
            m2[i] = defined ? m2[i] / g : (T)SSIM_NAN;                                               \
            m3[i] = defined ? m3[i] / g : (T)SSIM_NAN;                                               \
            m4[i] = defined ? m4[i] / g : (T)SSIM_NAN;                                               \
            m5[i] = defined ? m5[i] / g : (T)SSIM_NAN;                                               \
        }                                                                                       \
    }
NORMALISE_MOMENTS(ssim_normalise_moments_f, float)
NORMALISE_MOMENTS(ssim_normalise_moments_d, double)

// The order of Kernels.c's row sum (32 partial sums in double, lane l of vector j summing element
// i + 8 j + l, added lane by lane, then the tail one by one), on w[i] values[i] where
// weight[i] > 0 and 0 elsewhere (the product's bits cleared, so a NaN there adds nothing): with
// every weight 1 it is that sum, bit for bit.
typedef double masked_vdouble8 __attribute__((vector_size(64), aligned(8)));
typedef long long masked_vlong8 __attribute__((vector_size(64), aligned(8)));
typedef float masked_vfloat8 __attribute__((vector_size(32), aligned(4)));
#define MASKED_FROM_FLOATS(p) __builtin_convertvector(*(const masked_vfloat8 *)(p), masked_vdouble8)
#define MASKED_FROM_DOUBLES(p) (*(const masked_vdouble8 *)(p))
#define WEIGHTED_ROW_SUM(NAME, T, CONVERT)                                                      \
    DISPATCH double NAME(const T *values, const T *w, const T *weight, ptrdiff_t count) { \
        masked_vdouble8 s[4] = {{0}, {0}, {0}, {0}};                                            \
        const masked_vdouble8 zero = {0};                                                       \
        ptrdiff_t i = 0;                                                                        \
        for (; i + 32 <= count; i += 32)                                                        \
            for (int j = 0; j < 4; j++) {                                                       \
                const ptrdiff_t k = i + 8 * j;                                                  \
                const masked_vdouble8 product = CONVERT(w + k) * CONVERT(values + k);           \
                const masked_vlong8 defined = CONVERT(weight + k) > zero;                       \
                s[j] += (masked_vdouble8)((masked_vlong8)product & defined);                    \
            }                                                                                   \
        const masked_vdouble8 lanes = (s[0] + s[1]) + (s[2] + s[3]);                            \
        double total = 0;                                                                       \
        for (int l = 0; l < 8; l++) total += lanes[l];                                          \
        for (; i < count; i++) total += weight[i] > 0 ? (double)w[i] * (double)values[i] : 0.0; \
        return total;                                                                           \
    }
WEIGHTED_ROW_SUM(ssim_weighted_row_sum_f, float, MASKED_FROM_FLOATS)
WEIGHTED_ROW_SUM(ssim_weighted_row_sum_d, double, MASKED_FROM_DOUBLES)

#define NORMALISE_PARTIALS(NAME, T)                                                             \
    DISPATCH void NAME(const T *weight, const T *w, ptrdiff_t count, T *restrict p1,     \
                              T *restrict p2, T *restrict p3, T *restrict p4) {                 \
        for (ptrdiff_t i = 0; i < count; i++) {                                                 \
            const T g = weight[i];                                                              \
            const int defined = g > 0;                                                          \
            const T f = (w ? w[i] : (T)1) / (defined ? g : (T)1);                               \
            p1[i] = defined ? p1[i] * f : 0;                                                    \
            p2[i] = defined ? p2[i] * f : 0;                                                    \
            p3[i] = defined ? p3[i] * f : 0;                                                    \
            p4[i] = defined ? p4[i] * f : 0;                                                    \
        }                                                                                       \
    }
NORMALISE_PARTIALS(ssim_normalise_partials_f, float)
NORMALISE_PARTIALS(ssim_normalise_partials_d, double)

#define APPLY_WEIGHTS(NAME, T)                                                                  \
    DISPATCH void NAME(const T *w, ptrdiff_t count, T *restrict dx, T *restrict dy) {    \
        for (ptrdiff_t i = 0; i < count; i++) dx[i] = w[i] != 0 ? w[i] * dx[i] : 0;             \
        if (dy)                                                                                 \
            for (ptrdiff_t i = 0; i < count; i++) dy[i] = w[i] != 0 ? w[i] * dy[i] : 0;         \
    }
APPLY_WEIGHTS(ssim_apply_weights_f, float)
APPLY_WEIGHTS(ssim_apply_weights_d, double)
