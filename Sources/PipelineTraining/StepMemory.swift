import CKernels
import PipelineCore

/// Keeps the memory of one training step in the process heap between steps.
///
/// ```swift
/// StepMemory.retainFreedMemory()   // ProcessTuning.applyForTraining() calls it; again does nothing
/// ```
///
/// Semantics: a step allocates and frees the same multi-megabyte buffers every time (projections,
/// activations, their gradients). glibc serves blocks above its mmap threshold with fresh `mmap`s
/// and returns the top of the heap to the kernel on `free`, so every step paid page faults and
/// kernel zeroing for memory it had just released: 15 % of a Conv1D+GRU step (`perf`, session 3).
/// This raises the mmap threshold to 32 MiB (glibc's maximum) and the trim threshold to 1 GiB,
/// once per process, so freed buffers are reused by the next step.
/// Cost: the process keeps up to one step's peak of freed memory reserved (it is reused, not
/// grown). The setting is process-wide, so the library never applies it by itself: the CLI's
/// `run` and the benchmarks call ``ProcessTuning/applyForTraining()``. On non-glibc systems this
/// does nothing. A host program that manages malloc itself calls neither (or calls
/// ``keepProcessDefaults()`` to make later calls no-ops).
public enum StepMemory {
    /// glibc's largest accepted mmap threshold (HEAP_MAX_SIZE / 2 on 64-bit).
    public static let mmapThreshold = 32 << 20
    public static let trimThreshold = 1 << 30

    /// Applies the policy once per process (unless ``keepProcessDefaults()`` came first); returns
    /// whether it is in effect.
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        state.withLock { s in
            if s == .pending { s = ck_retain_heap(mmapThreshold, trimThreshold) == 1 ? .applied : .declined }
            return s == .applied
        }
    }

    /// Leaves glibc's thresholds alone for the rest of the process (call before training).
    /// Has no effect once the policy has been applied.
    public static func keepProcessDefaults() {
        state.withLock { if $0 == .pending { $0 = .declined } }
    }

    private enum State { case pending, applied, declined }
    private static let state = Locked(State.pending)

    /// Free bytes the main heap arena holds (glibc ≥ 2.33), `nil` elsewhere. For tests and reports.
    public static var heapFreeBytes: Int? {
        let n = ck_heap_free_bytes()
        return n < 0 ? nil : n
    }
}
