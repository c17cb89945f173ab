// The kernels' instruction sets, shared by Kernels.c and MaskedKernels.c (a private header: not
// in include/, so not part of the module's interface).
//
// Each function marked DISPATCH is compiled three times (AVX-512, AVX2 + FMA, baseline SSE2);
// the loader picks the best the processor runs. ThreadSanitizer instruments the clones'
// resolvers, which the loader runs before the sanitizer is set up (a crash at start-up): under
// it, one baseline version of each function.
#ifndef SSIM_KERNELS_CLONES_H
#define SSIM_KERNELS_CLONES_H

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SSIM_NO_CLONES 1
#endif
#endif
#if defined(__x86_64__) && defined(__clang__) && !defined(__APPLE__) && !defined(SSIM_NO_CLONES)
#define DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define SSIM_CLONES 1
#else
#define DISPATCH
#endif

#endif
