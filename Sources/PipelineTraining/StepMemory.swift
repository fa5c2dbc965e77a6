import CKernels
import PipelineCore

/// Keeps the memory of one training step in the process heap between steps.
///
/// ```swift
/// StepMemory.retainFreedMemory()   // now, once per process; calling again does nothing
/// StepMemory.retainFromFirstStep()  // at the first trainStep (ProcessTuning.applyForTraining())
/// ```
///
/// Semantics: a step allocates and frees the same multi-megabyte buffers every time (projections,
/// activations, their gradients). glibc serves blocks above its mmap threshold with fresh `mmap`s
/// and returns the top of the heap to the kernel on `free`, so every step paid page faults and
/// kernel zeroing for memory it had just released: 15 % of a Conv1D+GRU step (`perf`, session 3).
/// This raises the mmap threshold to 32 MiB (glibc's maximum) and the trim threshold to 1 GiB,
/// once per process, so freed buffers are reused by the next step.
/// Cost: the process keeps up to one step's peak of freed memory reserved (it is reused, not
/// grown). Applied from the first step, not before: under it, the data stages' freed buffers
/// stay reserved too (IMDB prepare's peak RSS rose from 79 to 98 MB when applied at startup).
/// The setting is process-wide, so the library never applies it unasked: the CLI's `run` and the
/// benchmarks call ``ProcessTuning/applyForTraining()``. On non-glibc systems this does nothing.
/// A host program that manages malloc itself calls neither (or calls ``keepProcessDefaults()``
/// to make later calls no-ops).
public enum StepMemory {
    /// glibc's largest accepted mmap threshold (HEAP_MAX_SIZE / 2 on 64-bit).
    public static let mmapThreshold = 32 << 20
    public static let trimThreshold = 1 << 30

    /// Applies the policy once per process (unless ``keepProcessDefaults()`` came first); returns
    /// whether it is in effect.
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        state.withLock { s in
            if s == .pending || s == .requested {
                s = ck_retain_heap(mmapThreshold, trimThreshold) == 1 ? .applied : .declined
            }
            return s == .applied
        }
    }

    /// Asks for the policy at the next training step (``Sequential/trainStep(_:epoch:step:)``
    /// applies it there, once), so that the steps run under it and whatever ran before did not.
    public static func retainFromFirstStep() {
        state.withLock { if $0 == .pending { $0 = .requested } }
    }

    /// Applies the policy if ``retainFromFirstStep()`` asked for it (each training step calls this;
    /// otherwise it does nothing: a lock and a comparison).
    static func applyIfRequested() {
        state.withLock { s in
            if s == .requested { s = ck_retain_heap(mmapThreshold, trimThreshold) == 1 ? .applied : .declined }
        }
    }

    /// Whether the policy is in effect. For tests.
    static var isApplied: Bool { state.withLock { $0 == .applied } }

    /// Leaves glibc's thresholds alone for the rest of the process (call before training).
    /// Has no effect once the policy has been applied.
    public static func keepProcessDefaults() {
        state.withLock { if $0 == .pending || $0 == .requested { $0 = .declined } }
    }

    private enum State { case pending, requested, applied, declined }
    private static let state = Locked(State.pending)

    /// Free bytes the main heap arena holds (glibc ≥ 2.33), `nil` elsewhere. For tests and reports.
    public static var heapFreeBytes: Int? {
        let n = ck_heap_free_bytes()
        return n < 0 ? nil : n
    }
}
