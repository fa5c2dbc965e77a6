/* Heap policy for training steps (see StepMemory.swift). glibc only; elsewhere a no-op. */
#include "kernels.h"
#include <stdlib.h> /* defines __GLIBC__ through <features.h> */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int ck_retain_heap(long mmap_threshold, long trim_threshold) {
#if defined(__GLIBC__)
    int ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    ok &= mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
    return ok;
#else
    (void)mmap_threshold; (void)trim_threshold;
    return 0;
#endif
}

long ck_heap_free_bytes(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return (long)mi.fordblks;
#else
    return -1;
#endif
}
