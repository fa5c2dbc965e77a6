import Dispatch

/// Runs two closures at the same time (one on the calling thread, one on a pool thread) and
/// returns when both are done. The closures must touch disjoint state. For the halves of one
/// training step only; the data stages use `WorkerThread` (which to use for what, and why:
/// WorkerThread.swift in PipelineCore).
enum ParallelPair {
    /// `body` over `0..<count`, as two halves on two threads when `split`, else at once here.
    /// For work whose items are independent (rows of a product, samples of a batch).
    static func overHalves(_ count: Int, split: Bool, _ body: (Range<Int>) -> Void) {
        guard split, count >= 2 else { body(0..<count); return }
        let half = count / 2
        run({ body(0..<half) }, { body(half..<count) })
    }

    static func run(_ first: () -> Void, _ second: () -> Void) {
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
