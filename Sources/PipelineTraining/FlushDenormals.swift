import CKernels

/// Runs a body with denormal floats flushed to zero on the calling thread, then restores the
/// thread's previous mode (so nothing leaks into a host program's threads).
///
/// ```swift
/// let loss = try FlushDenormals.scoped { try model.trainStep(batch) }
/// ```
///
/// Semantics: on x86 sets MXCSR's flush-to-zero and denormals-are-zero bits for the duration of
/// `body`: any result or operand below Float's smallest normal (1.2e-38) counts as 0. This is the
/// mode TensorFlow's CPU kernels run in, so Keras' training sees the same values; results that
/// never touch the denormal range are bit-identical either way. Other architectures: `body` only.
/// Why: a recurrent layer's gradients decay through time into the denormal range, and each
/// denormal operation costs a ~100-cycle microcode assist: a jena-gru step measured 317 ms
/// without it and 27 ms with it on this machine (StepProfile, RESULTS.md).
/// Cost: two MXCSR accesses per call. Threads: the mode is per thread, so the training step
/// applies it on its own thread and ``ParallelPair`` on the pool thread it borrows.
public enum FlushDenormals {
    @inline(__always)
    public static func scoped<T>(_ body: () throws -> T) rethrows -> T {
        let saved = ck_fp_flush_denormals_enter()
        defer { ck_fp_mode_restore(saved) }
        return try body()
    }

    /// True when the calling thread flushes denormals now (for tests).
    public static var isActive: Bool { ck_fp_flushes_denormals() != 0 }
}
