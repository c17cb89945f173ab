// Inner loops of the SSIM filters, compiled for baseline x86-64, x86-64-v3 (AVX2, FMA) and
// x86-64-v4 (AVX-512) with run-time dispatch (clang's target_clones), which Swift cannot do
// without a compiler flag. Scripts/check-kernel-clones.sh checks all three.
#ifndef CSSIMKERNELS_H
#define CSSIMKERNELS_H

#include <stddef.h>

// count must be a multiple of 8 (float) or 4 (double).
// dst[c] = w[h] src[c + h] + sum_{k < h} w[k] (src[c + k] + src[c + 2h - k]), c in [0, count):
// the symmetric correlation of a row with an odd window of 2h + 1 taps.
void ssim_correlate_f(const float *src, float *dst, ptrdiff_t count, const float *window, ptrdiff_t half);
void ssim_correlate_d(const double *src, double *dst, ptrdiff_t count, const double *window, ptrdiff_t half);

// Asks the processor to bring bytes [0, count) of p into its L2 cache, for a row read soon
// (the hardware prefetchers stop at each 4 KB page: a 1024-float image row started cold).
void ssim_prefetch(const void *p, ptrdiff_t count);

// The centred, scaled pixels and their products for one row segment:
// px = (x - shift1) scale, py = (y - shift2) scale, pxx = px^2, pyy = py^2, pdd = (px - py)^2.
void ssim_products_f(const float *x, const float *y, float shift1, float shift2, float scale,
                     ptrdiff_t count, float *px, float *py, float *pxx, float *pyy, float *pdd);
void ssim_products_d(const double *x, const double *y, double shift1, double shift2, double scale,
                     ptrdiff_t count, double *px, double *py, double *pxx, double *pyy, double *pdd);

// Four outputs of the same symmetric window (taps odd, >= 3, window[k] == window[taps - 1 - k])
// on consecutive positions at once, sharing their loads:
// dst[o][c] = sum_{k < taps} w[k] rows[o + k][c] for o in 0..<4 (rows: taps + 3 pointers),
// summed as ssim_symmetric_sum sums (the same bits).
void ssim_filter4_f(const float *const *rows, const float *window, ptrdiff_t taps, float *const *dst, ptrdiff_t count);
void ssim_filter4_d(const double *const *rows, const double *window, ptrdiff_t taps, double *const *dst, ptrdiff_t count);

// dst[c] = w[h] rows[h][c] + sum_{k < h} w[k] (rows[k][c] + rows[2h - k][c]), c in [0, count):
// the symmetric filter across 2h + 1 rows (rows may repeat, as a reflected border does).
void ssim_symmetric_sum_f(const float *const *rows, const float *window, ptrdiff_t half, float *dst, ptrdiff_t count);
void ssim_symmetric_sum_d(const double *const *rows, const double *window, ptrdiff_t half, double *dst, ptrdiff_t count);

// dst[c] = sum_j weights[j] rows[j][c], c in [0, count).
void ssim_weighted_sum_f(const float *const *rows, const float *weights, ptrdiff_t rowCount, float *dst, ptrdiff_t count);
void ssim_weighted_sum_d(const double *const *rows, const double *weights, ptrdiff_t rowCount, double *dst, ptrdiff_t count);


// The SSIM formula on rows of centred moments (mu1 = G*x~, mu2 = G*y~, e11 = G*x~^2,
// e22 = G*y~^2, edd = G*(x~ - y~)^2 with x~ = x - shift1, y~ = y - shift2):
//   s1 = cov (e11 - mu1^2), s2 = cov (e22 - mu2^2), sdd = cov (edd - (mu1 - mu2)^2) = s1 + s2 - 2 s12
//   (cov = 1: population moments; N / (N - 1): sample covariance over N window taps),
//   A = 2 m1 m2 + C1, B = 2 s12 + C2 = D - sdd, C = m1^2 + m2^2 + C1, D = s1 + s2 + C2
//   (m = mu + shift);
// statistic 0: out = A B / (C D + eps) (the SSIM map);
// statistic 1: out = clamp((C sdd + (m1 - m2)^2 B + eps) / (2 (C D + eps)), 0, 1), the loss
//   (1 - SSIM) / 2 without cancellation (NaN passes through the clamp);
// statistic 2: out = B / D, the contrast-structure term (no eps), which MS-SSIM multiplies.
// Returns the sum of out[0..<count] in double.
double ssim_formula_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                      const float *edd, ptrdiff_t count, float shift1, float shift2, float c1,
                      float c2, float cov, float eps, int statistic, float *out);
double ssim_formula_d(const double *mu1, const double *mu2, const double *e11, const double *e22,
                      const double *edd, ptrdiff_t count, double shift1, double shift2, double c1,
                      double c2, double cov, double eps, int statistic, double *out);

// The backward's partials for one row of centred moments (see BackwardKernel.swift), from the
// upstream gradient `upstream[i]` (or `uniform` where upstream is NULL) of the SSIM map
// (statistic 0), of the loss map (1, through its clamp) or of B / D (2); zero past `valid`:
//   dMu1 = 2g (m2 B - m1 S D)/den - 2 (m1c - m2c) e - m2c r,  dMu2 likewise,
//   dB = cov g A / den,  dR = r = 2 cov g (A - S C) / den,  with e = -cov g S C / den;
// for B / D: dB = cov g / D, r = 2 dB sdd / D, dMu1 = 2 (m1c - m2c) dB - m1c r,
//   dMu2 = -2 (m1c - m2c) dB - m2c r.
// Also writes the row's statistic (as ssim_formula_* computes it) into `values` and returns
// their sum over [0, valid), summed as ssim_formula_* sums.
double ssim_partials_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                     const float *edd, ptrdiff_t count, ptrdiff_t valid, float shift1, float shift2,
                     float c1, float c2, float cov, float eps, int statistic, const float *upstream, float uniform,
                     float *dMu1, float *dMu2, float *dB, float *dR, float *values);
double ssim_partials_d(const double *mu1, const double *mu2, const double *e11, const double *e22,
                     const double *edd, ptrdiff_t count, ptrdiff_t valid, double shift1,
                     double shift2, double c1, double c2, double cov, double eps, int statistic,
                     const double *upstream, double uniform, double *dMu1, double *dMu2,
                     double *dB, double *dR, double *values);

// The image gradients of one row from the filtered partials (dy may be NULL), back in raw units:
//   dx = (m1 + x~ r - 2 (x~ - y~) b) scale,  dy = (m2 + y~ r + 2 (x~ - y~) b) scale,
//   x~ = (x - shift1) scale, y~ = (y - shift2) scale.
void ssim_combine_f(const float *x, const float *y, float shift1, float shift2, float scale, const float *m1,
                    const float *m2, const float *b, const float *r, ptrdiff_t count, float *dx,
                    float *dy);
void ssim_combine_d(const double *x, const double *y, double shift1, double shift2, double scale,
                    const double *m1, const double *m2, const double *b, const double *r,
                    ptrdiff_t count, double *dx, double *dy);

// One source row of the 2 x 2 (2 x 2 x 2) means between the scales of Wang's MS-SSIM, added in
// torch's order: row[p] = (row[p] + src[2p]) + src[2p + 1], p in [0, count) (any count).
void ssim_pair_sums_add_f(const float *src, ptrdiff_t count, float *row);
void ssim_pair_sums_add_d(const double *src, ptrdiff_t count, double *row);

// Its adjoint: dst[2p] += row[p] factor, then dst[2p + 1] += row[p] factor, p in [0, count).
void ssim_pair_spread_add_f(const float *row, ptrdiff_t count, float factor, float *dst);
void ssim_pair_spread_add_d(const double *row, ptrdiff_t count, double factor, double *dst);

// A dense 2-D window added onto a row (MS-SSIM's correction for Kornia's float32-rounded masks):
// dst[c] += sum_{j < taps} sum_{k < taps} mask[j * taps + k] rows[j][c + k], c in [0, count).
void ssim_filter2d_add_f(const float *const *rows, const float *mask, ptrdiff_t taps, float *dst, ptrdiff_t count);
void ssim_filter2d_add_d(const double *const *rows, const double *mask, ptrdiff_t taps, double *dst, ptrdiff_t count);

// The masked (weighted) SSIM (MaskedKernels.c; count is any length for these):
// the weighted products pw = w, pwx = w x~, pwy = w y~, pwxx = w x~^2, pwyy = w y~^2,
// pwdd = w (x~ - y~)^2 with x~ = (x - shift1) scale, y~ = (y - shift2) scale, and 0 (not
// w times the pixel, which may be NaN) wherever w is 0.
void ssim_weighted_products_f(const float *x, const float *y, const float *w, float shift1, float shift2,
                              float scale, ptrdiff_t count, float *pw, float *pwx, float *pwy, float *pwxx,
                              float *pwyy, float *pwdd);
void ssim_weighted_products_d(const double *x, const double *y, const double *w, double shift1, double shift2,
                              double scale, ptrdiff_t count, double *pw, double *pwx, double *pwy, double *pwxx,
                              double *pwyy, double *pwdd);
// The normalised moments, in place: m[i] = m[i] / weight[i] where weight[i] > 0, NaN elsewhere.
void ssim_normalise_moments_f(const float *weight, ptrdiff_t count, float *m1, float *m2, float *m3, float *m4, float *m5);
void ssim_normalise_moments_d(const double *weight, ptrdiff_t count, double *m1, double *m2, double *m3, double *m4,
                              double *m5);
// sum of w[i] values[i] over the i with weight[i] > 0, in double, in the order of the formula's
// row sum (so that all-one weights give its sum bit for bit).
double ssim_weighted_row_sum_f(const float *values, const float *w, const float *weight, ptrdiff_t count);
double ssim_weighted_row_sum_d(const double *values, const double *w, const double *weight, ptrdiff_t count);
// The partials of the normalised moments, in place: p[i] = p[i] (w[i] / weight[i]) where
// weight[i] > 0 (w NULL: 1 / weight[i]), 0 elsewhere.
void ssim_normalise_partials_f(const float *weight, const float *w, ptrdiff_t count, float *p1, float *p2, float *p3,
                               float *p4);
void ssim_normalise_partials_d(const double *weight, const double *w, ptrdiff_t count, double *p1, double *p2,
                               double *p3, double *p4);
// dx[i] = w[i] dx[i], dy[i] = w[i] dy[i] (dy may be NULL), and 0 wherever w[i] is 0.
void ssim_apply_weights_f(const float *w, ptrdiff_t count, float *dx, float *dy);
void ssim_apply_weights_d(const double *w, ptrdiff_t count, double *dx, double *dy);

// MATLAB's general form (Exponents alpha beta gamma, RegularizationConstants C1 C2 C3) on the
// rows of centred moments of ssim_formula_*: l = A / C, c = (2 sd1 sd2 + C2) / D,
// s = (s12 + C3) / (sd1 sd2 + C3) with sd = sqrt(max(s, 0)), s12 = (s1 + s2 - sdd) / 2;
// statistic 0: out = l^alpha c^beta s^gamma; 1: clamp((1 - that) / 2, 0, 1). No eps. Returns
// the sum of out in double, summed as ssim_formula_* sums.
double ssim_general_formula_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                              const float *edd, ptrdiff_t count, float shift1, float shift2, float c1,
                              float c2, float c3, float cov, float alpha, float beta, float gamma,
                              int statistic, float *out);
double ssim_general_formula_d(const double *mu1, const double *mu2, const double *e11, const double *e22,
                              const double *edd, ptrdiff_t count, double shift1, double shift2, double c1,
                              double c2, double c3, double cov, double alpha, double beta, double gamma,
                              int statistic, double *out);

// The partials of the general form for dx (as ssim_partials_*: dMu1, dMu2, dB and dR with
// dR = 2 dL/de11, dB = -dL/dedd); dL/de22 differs from dL/de11 in general, so dy is the dx of the
// swapped pair (the general form is symmetric in x and y). Also writes the values and returns
// their sum over [0, valid) as ssim_general_formula_* sums.
double ssim_general_partials_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                               const float *edd, ptrdiff_t count, ptrdiff_t valid, float shift1,
                               float shift2, float c1, float c2, float c3, float cov, float alpha,
                               float beta, float gamma, int statistic, const float *upstream,
                               float uniform, float *dMu1, float *dMu2, float *dB, float *dR,
                               float *values);
double ssim_general_partials_d(const double *mu1, const double *mu2, const double *e11, const double *e22,
                               const double *edd, ptrdiff_t count, ptrdiff_t valid, double shift1,
                               double shift2, double c1, double c2, double c3, double cov, double alpha,
                               double beta, double gamma, int statistic, const double *upstream,
                               double uniform, double *dMu1, double *dMu2, double *dB, double *dR,
                               double *values);

// SSIML1Loss's photometric mix, fused into the kernels that write the loss row and the
// gradients (so that the L1 term costs no pass of its own). The *_mix variants of the formula
// and partials kernels take the raw pixels x, y at the row's positions and two weights, and
// store out[i] = ssimWeight v + l1Weight |x[i] - y[i]| (v what the plain kernel stores; each
// product rounded, then added; up to `valid` for the partials) and return their sum as
// ssim_formula_* sums; the partials' upstream is ssimWeight upstream[i] (or ssimWeight uniform).
double ssim_formula_mix_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                          const float *edd, ptrdiff_t count, float shift1, float shift2, float c1,
                          float c2, float cov, float eps, int statistic, const float *x, const float *y,
                          float ssimWeight, float l1Weight, float *out);
double ssim_formula_mix_d(const double *mu1, const double *mu2, const double *e11, const double *e22,
                          const double *edd, ptrdiff_t count, double shift1, double shift2, double c1,
                          double c2, double cov, double eps, int statistic, const double *x,
                          const double *y, double ssimWeight, double l1Weight, double *out);
double ssim_partials_mix_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                           const float *edd, ptrdiff_t count, ptrdiff_t valid, float shift1, float shift2,
                           float c1, float c2, float cov, float eps, int statistic, const float *upstream,
                           float uniform, const float *x, const float *y, float ssimWeight, float l1Weight,
                           float *dMu1, float *dMu2, float *dB, float *dR, float *values);
double ssim_partials_mix_d(const double *mu1, const double *mu2, const double *e11, const double *e22,
                           const double *edd, ptrdiff_t count, ptrdiff_t valid, double shift1,
                           double shift2, double c1, double c2, double cov, double eps, int statistic,
                           const double *upstream, double uniform, const double *x, const double *y,
                           double ssimWeight, double l1Weight, double *dMu1, double *dMu2, double *dB,
                           double *dR, double *values);
double ssim_general_formula_mix_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                                  const float *edd, ptrdiff_t count, float shift1, float shift2, float c1,
                                  float c2, float c3, float cov, float alpha, float beta, float gamma,
                                  int statistic, const float *x, const float *y, float ssimWeight,
                                  float l1Weight, float *out);
double ssim_general_formula_mix_d(const double *mu1, const double *mu2, const double *e11,
                                  const double *e22, const double *edd, ptrdiff_t count, double shift1,
                                  double shift2, double c1, double c2, double c3, double cov, double alpha,
                                  double beta, double gamma, int statistic, const double *x,
                                  const double *y, double ssimWeight, double l1Weight, double *out);
double ssim_general_partials_mix_f(const float *mu1, const float *mu2, const float *e11, const float *e22,
                                   const float *edd, ptrdiff_t count, ptrdiff_t valid, float shift1,
                                   float shift2, float c1, float c2, float c3, float cov, float alpha,
                                   float beta, float gamma, int statistic, const float *upstream,
                                   float uniform, const float *x, const float *y, float ssimWeight,
                                   float l1Weight, float *dMu1, float *dMu2, float *dB, float *dR,
                                   float *values);
double ssim_general_partials_mix_d(const double *mu1, const double *mu2, const double *e11,
                                   const double *e22, const double *edd, ptrdiff_t count, ptrdiff_t valid,
                                   double shift1, double shift2, double c1, double c2, double c3,
                                   double cov, double alpha, double beta, double gamma, int statistic,
                                   const double *upstream, double uniform, const double *x,
                                   const double *y, double ssimWeight, double l1Weight, double *dMu1,
                                   double *dMu2, double *dB, double *dR, double *values);

// ssim_combine_* with the L1 term's gradient: with g = (l1Weight u) sign(x - y) (u = upstream[i],
// or uniform where upstream is NULL; sign 0 where x == y, as torch's abs), dx is ssim_combine_*'s
// plus g and dy its minus g (dy may be NULL).
void ssim_combine_l1_f(const float *x, const float *y, float shift1, float shift2, float scale, const float *m1,
                       const float *m2, const float *b, const float *r, ptrdiff_t count, const float *upstream,
                       float uniform, float l1Weight, float *dx, float *dy);
void ssim_combine_l1_d(const double *x, const double *y, double shift1, double shift2, double scale,
                       const double *m1, const double *m2, const double *b, const double *r, ptrdiff_t count,
                       const double *upstream, double uniform, double l1Weight, double *dx, double *dy);

#endif
