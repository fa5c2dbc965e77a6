import Dispatch
import Synchronization

/// Runs two closures at the same time (one on the calling thread, one on a pool thread) and
/// returns when both are done. The closures must touch disjoint state. For the halves of one
/// training step only; the data stages use `WorkerThread` (which to use for what, and why:
/// WorkerThread.swift in PipelineCore).
enum ParallelPair {
    /// False: both closures of ``run(_:_:)`` run one after the other on the calling thread (one
    /// training thread per process, e.g. one per MPI rank on a node with as many cores as ranks).
    /// The results are bit-identical either way: the halves and how they are combined do not
    /// change, only where they run. Set through ``ProcessTuning/trainingThreads``.
    static let twoThreads = Atomic<Bool>(true)

    /// `body` over `0..<count`, as two halves on two threads when `split`, else at once here.
    /// For work whose items are independent (rows of a product, samples of a batch).
    static func overHalves(_ count: Int, split: Bool, _ body: (Range<Int>) -> Void) {
        guard split, count >= 2 else { body(0..<count); return }
        let half = count / 2
        run({ body(0..<half) }, { body(half..<count) })
    }

    static func run(_ first: () -> Void, _ second: () -> Void) {
        guard twoThreads.load(ordering: .relaxed) else { first(); second(); return }
        withoutActuallyEscaping(first) { f in
            withoutActuallyEscaping(second) { s in
                let work = UncheckedPair(first: f, second: s)
                // The pool thread takes the caller's floating-point mode (FlushDenormals) for its half.
                let flush = FlushDenormals.isActive
                DispatchQueue.concurrentPerform(iterations: 2) { i in
                    let body = i == 0 ? work.first : work.second
                    if flush { FlushDenormals.scoped(body) } else { body() }
                }
            }
        }
    }

    private struct UncheckedPair: @unchecked Sendable {
        let first: () -> Void
        let second: () -> Void
    }
}
