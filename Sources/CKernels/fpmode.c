/*
 * Floating-point mode of the calling thread: flush denormals to zero (FTZ) and treat denormal
 * inputs as zero (DAZ), as TensorFlow's CPU kernels run (Keras' numerics). On x86 a denormal
 * operand or result of an SSE/AVX instruction takes a microcode assist costing ~100 cycles;
 * the gradients of a recurrent layer decay through time into that range and made a jena-gru
 * training step ~12x slower on this machine's CPU. Other architectures: no-ops.
 */
#include "kernels.h"
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define CK_FTZ_DAZ 0x8040u   /* MXCSR bit 15 flush-to-zero, bit 6 denormals-are-zero */

unsigned ck_fp_flush_denormals_enter(void) {
    unsigned old = _mm_getcsr();
    _mm_setcsr(old | CK_FTZ_DAZ);
    return old;
}

void ck_fp_mode_restore(unsigned saved) { _mm_setcsr(saved); }

int ck_fp_flushes_denormals(void) { return (_mm_getcsr() & CK_FTZ_DAZ) == CK_FTZ_DAZ; }
#else
unsigned ck_fp_flush_denormals_enter(void) { return 0; }
void ck_fp_mode_restore(unsigned saved) { (void)saved; }
int ck_fp_flushes_denormals(void) { return 0; }
#endif
