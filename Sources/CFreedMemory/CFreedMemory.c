#include "CFreedMemory.h"

#include <limits.h>
#include <stdlib.h> /* defines __GLIBC__ with glibc (through features.h) */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void cfm_keep_freed_memory(void) {
#if defined(__GLIBC__)
    /* 32 MiB: the largest threshold glibc accepts on 64-bit (half its arenas' 64 MiB heaps). */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}
