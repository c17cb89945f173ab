// Inner loops of the SSIM filters, compiled for baseline x86-64 and for x86-64-v3 (AVX2, FMA)
// with run-time dispatch (clang's target_clones), which Swift cannot do without a compiler flag.
#ifndef CSSIMKERNELS_H
#define CSSIMKERNELS_H

#include <stddef.h>

// dst[c] = w[h] src[c + h] + sum_{k < h} w[k] (src[c + k] + src[c + 2h - k]), c in [0, count):
// the symmetric correlation of a row with an odd window of 2h + 1 taps.
void ssim_correlate_f(const float *src, float *dst, ptrdiff_t count, const float *window, ptrdiff_t half);
void ssim_correlate_d(const double *src, double *dst, ptrdiff_t count, const double *window, ptrdiff_t half);

// dst[c] = sum_j weights[j] rows[j][c], c in [0, count).
void ssim_weighted_sum_f(const float *const *rows, const float *weights, ptrdiff_t rowCount, float *dst, ptrdiff_t count);
void ssim_weighted_sum_d(const double *const *rows, const double *weights, ptrdiff_t rowCount, double *dst, ptrdiff_t count);

#endif
