/// The process-wide settings `pipeline` trains with, in one place: the library never changes
/// the process's malloc policy on its own; a program that trains asks for it with one call.
///
/// ```swift
/// ProcessTuning.applyForTraining()   // once, before training (the CLI's `run`, the benchmarks)
/// ```
///
/// What it sets (once per process; later calls do nothing):
/// - **Heap** (``StepMemory/retainFromFirstStep()``): from the first training step on, glibc's
///   mmap threshold at 32 MiB and trim threshold at 1 GiB, so the multi-megabyte buffers of one
///   step are reused by the next instead of being unmapped and faulted in again (15 % of a
///   Conv1D+GRU step). Deferred to the first step so that the data stages before it keep glibc's
///   defaults (applied at startup, IMDB prepare's peak RSS rose from 79 to 98 MB). Results are
///   unchanged; only speed and reserved memory (up to one step's peak) differ. A host that
///   manages malloc itself simply does not call this (or calls
///   ``StepMemory/keepProcessDefaults()`` first).
/// - **OpenBLAS threads** (``Gemm/pinSingleThread()``): one thread. This one the library also
///   applies by itself, at its first matrix product, and it is the only process-wide setting it
///   applies implicitly. Why: the layers already split their work over two threads of their own
///   (``RecurrentLayer``'s batch halves, ``Bidirectional``'s directions, Conv1D and Dense row
///   halves), so two `cblas_sgemm` calls run at the same time; a threaded OpenBLAS under them
///   would put its own workers (one per core by default) on cores the layers already use. The
///   products are small (128×128×32) and threads only cost there: with OpenBLAS 0.3.21
///   (pthreads) on the 2-core reference machine, two OpenBLAS threads made each such product
///   1.5–1.8× slower, from one caller or from two at once (the bits were the same at that
///   shape; OpenBLAS promises nothing about it). The trained weights pinned by
///   `FixturePinsTests` are those of one OpenBLAS thread, so leaving the pin to the host would
///   make the library's speed, and possibly its bits, depend on whether the host remembered a
///   call; that is why this one stays implicit. A host that wants more threads for its
///   own products calls ``Gemm/setThreads(_:)`` (at any time: the pin never undoes it); the
///   setting is process-wide and then also applies under the layers.
///
/// Cost: two `mallopt` calls (at the first step) and one OpenBLAS call. Never fails; off glibc the heap part does
/// nothing.
public enum ProcessTuning {
    /// Applies the heap policy and the OpenBLAS thread count described above.
    public static func applyForTraining() {
        StepMemory.retainFromFirstStep()
        Gemm.pinSingleThread()
    }

    /// Threads a training step uses: 2 (the default: the layers split a step's work into two
    /// halves on two threads) or 1 (the same halves, one after the other on the calling thread).
    /// Results are bit-identical for 1 and 2; only speed differs. One thread per process is for
    /// several processes per node (MPI ranks) that would otherwise run 2 threads each on the
    /// same cores. Process-wide; set it before training, not during a step.
    public static var trainingThreads: Int {
        get { ParallelPair.twoThreads.load(ordering: .relaxed) ? 2 : 1 }
        set { ParallelPair.twoThreads.store(newValue >= 2, ordering: .relaxed) }
    }

    /// `trainingThreads` for a process of an MPI job with `localRanks` ranks on a node of `cores`
    /// cores: 2 when every rank on the node still has 2 cores (`cores / localRanks >= 2`), else 1.
    /// Outside a job (`localRanks` 1) on 2 or more cores: 2.
    public static func threadsPerRank(localRanks: Int, cores: Int) -> Int {
        cores / max(1, localRanks) >= 2 ? 2 : 1
    }
}
