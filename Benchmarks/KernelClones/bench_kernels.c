// Times the two filter kernels of CSSIMKernels (ssim_filter4_f, the vertical pass, and
// ssim_correlate_f, the horizontal one) on one named clone, on the rows of the headline case:
// 1024 columns at the library's odd stride of 1040, window 11, five moments, as many output
// rows as one of two cores filters for 4 x 3 x 1024 x 1024. Built and run by
// Scripts/bench-kernel-clones.sh, which picks the clone (CLONE, e.g. "arch_x86-64-v3.1", the
// symbol suffix clang gives target_clones) and fixes VECTOR_BYTES to match it.
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SYMBOL(name) __asm__(name "." CLONE)
void filter4(const float *const *rows, const float *window, ptrdiff_t taps, float *const *dst, ptrdiff_t count)
    SYMBOL("ssim_filter4_f");
void correlate(const float *src, float *dst, ptrdiff_t count, const float *window, ptrdiff_t half)
    SYMBOL("ssim_correlate_f");

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void) {
    enum { width = 1024, stride = 1040, taps = 11, half = 5, ringRows = taps + 3, moments = 5 };
    const long groups = 12L * 1024 * 1024 / 2 / (4L * width);   // groups of four output rows
    float window[taps];
    for (int k = 0; k < taps; k++) window[k] = 0.05f + 0.01f * (float)(k <= half ? k : taps - 1 - k);
    float *ring = aligned_alloc(64, sizeof(float) * ringRows * moments * stride);
    float *out = aligned_alloc(64, sizeof(float) * 4 * moments * stride);
    float *padded = aligned_alloc(64, sizeof(float) * moments * stride + 64 * sizeof(float));
    if (!ring || !out || !padded) return 1;
    for (long i = 0; i < (long)ringRows * moments * stride; i++) ring[i] = (float)(i % 97) * 0.01f;
    for (long i = 0; i < (long)moments * stride + 64; i++) padded[i] = (float)(i % 89) * 0.001f;
    double best[2] = {1e30, 1e30};
    for (int repeat = 0; repeat < 5; repeat++) {
        const float *rows[ringRows];
        float *dst[4];
        double t0 = seconds();
        for (long g = 0; g < groups; g++)
            for (int m = 0; m < moments; m++) {
                for (int j = 0; j < ringRows; j++) rows[j] = ring + ((long)((j + g * 4) % ringRows) * moments + m) * stride;
                for (int o = 0; o < 4; o++) dst[o] = out + (o * moments + m) * stride;
                filter4(rows, window, taps, dst, width);
            }
        double t1 = seconds();
        for (long g = 0; g < groups; g++)
            for (int o = 0; o < 4; o++)
                for (int m = 0; m < moments; m++)
                    correlate(padded + m * stride, ring + ((long)((g * 4 + o) % ringRows) * moments + m) * stride, width, window, half);
        double t2 = seconds();
        if (t1 - t0 < best[0]) best[0] = t1 - t0;
        if (t2 - t1 < best[1]) best[1] = t2 - t1;
    }
    printf("%-18s vertical (ssim_filter4_f) %6.2f ms   horizontal (ssim_correlate_f) %6.2f ms\n", CLONE, 1e3 * best[0], 1e3 * best[1]);
    return 0;
}
