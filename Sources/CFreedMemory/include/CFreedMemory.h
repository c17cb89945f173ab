#ifndef CFREEDMEMORY_H
#define CFREEDMEMORY_H

/*
 * The allocator's policy for memory freed and allocated again at the same sizes, as the `ssim`
 * command's folder mode does pair after pair.
 *
 * With glibc, blocks of up to 32 MiB come from the heaps rather than fresh mmaps, and the heaps
 * are not trimmed: each pair reuses the pages the pair before freed instead of faulting in zeroed
 * ones (`mallopt` is declared in malloc.h, which Glibc's Swift module does not import; hence C).
 * Elsewhere (macOS, musl, Windows) the allocator keeps its own policy and the call does nothing.
 */
void cfm_keep_freed_memory(void);

#endif
