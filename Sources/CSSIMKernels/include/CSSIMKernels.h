// Inner loops of the SSIM filters, compiled for baseline x86-64 and for x86-64-v3 (AVX2, FMA)
// with run-time dispatch (clang's target_clones), which Swift cannot do without a compiler flag.
#ifndef CSSIMKERNELS_H
#define CSSIMKERNELS_H

#include <stddef.h>

// count must be a multiple of 8 (float) or 4 (double).
// dst[c] = w[h] src[c + h] + sum_{k < h} w[k] (src[c + k] + src[c + 2h - k]), c in [0, count):
// the symmetric correlation of a row with an odd window of 2h + 1 taps.
void ssim_correlate_f(const float *src, float *dst, ptrdiff_t count, const float *window, ptrdiff_t half);
void ssim_correlate_d(const double *src, double *dst, ptrdiff_t count, const double *window, ptrdiff_t half);

// dst[c] = sum_j weights[j] rows[j][c], c in [0, count).
void ssim_weighted_sum_f(const float *const *rows, const float *weights, ptrdiff_t rowCount, float *dst, ptrdiff_t count);
void ssim_weighted_sum_d(const double *const *rows, const double *weights, ptrdiff_t rowCount, double *dst, ptrdiff_t count);

#endif

// The SSIM formula on rows of centred moments (mu1 = G*(x - shift1), ..., e12 = G*((x - shift1)(y - shift2))):
//   A = 2 m1 m2 + C1, B = 2 s12 + C2, C = m1^2 + m2^2 + C1, D = s1 + s2 + C2 (m = mu + shift)
// dissimilarity 0: out = A B / (C D + eps) (the SSIM map);
// dissimilarity 1: out = clamp((C dB + dA B + eps) / (2 (C D + eps)), 0, 1) with
//   dA = (m1 - m2)^2, dB = s1 + s2 - 2 s12 (the loss, = (1 - SSIM) / 2 without cancellation;
//   NaN passes through the clamp).
// Returns the sum of out[0..<count] in double.
double ssim_formula_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                      const float *e12, ptrdiff_t count, float shift1, float shift2, float c1,
                      float c2, float eps, int dissimilarity, float *out);
double ssim_formula_d(const double *mu1, const double *mu2, const double *e11, const double *e22,
                      const double *e12, ptrdiff_t count, double shift1, double shift2, double c1,
                      double c2, double eps, int dissimilarity, double *out);
