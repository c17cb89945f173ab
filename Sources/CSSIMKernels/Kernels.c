#include "CSSIMKernels.h"

#if defined(__x86_64__) && defined(__clang__) && !defined(__APPLE__)
#define DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define DISPATCH
#endif

#define CORRELATE(NAME, T)                                                                      \
    DISPATCH void NAME(const T *src, T *restrict dst, ptrdiff_t count, const T *window, ptrdiff_t half) { \
        const T centre = window[half];                                                          \
        for (ptrdiff_t c = 0; c < count; c++) dst[c] = centre * src[c + half];                  \
        for (ptrdiff_t k = 0; k < half; k++) {                                                  \
            const T w = window[k];                                                              \
            const T *a = src + k, *b = src + 2 * half - k;                                      \
            for (ptrdiff_t c = 0; c < count; c++) dst[c] += w * (a[c] + b[c]);                  \
        }                                                                                       \
    }

#define WEIGHTED_SUM(NAME, T)                                                                   \
    DISPATCH void NAME(const T *const *rows, const T *weights, ptrdiff_t rowCount, T *restrict dst,      \
                       ptrdiff_t count) {                                                       \
        const T *first = rows[0];                                                               \
        const T w0 = weights[0];                                                                \
        for (ptrdiff_t c = 0; c < count; c++) dst[c] = w0 * first[c];                           \
        for (ptrdiff_t j = 1; j < rowCount; j++) {                                              \
            const T w = weights[j];                                                             \
            const T *row = rows[j];                                                             \
            for (ptrdiff_t c = 0; c < count; c++) dst[c] += w * row[c];                         \
        }                                                                                       \
    }

CORRELATE(ssim_correlate_f, float)
CORRELATE(ssim_correlate_d, double)
WEIGHTED_SUM(ssim_weighted_sum_f, float)
WEIGHTED_SUM(ssim_weighted_sum_d, double)
