import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated OS thread that runs one job at a time: CPU-bound work handed over with two
/// semaphores, off the shared pool.
///
/// ```swift
/// let worker = WorkerThread(name: "tokenizer-1")
/// worker.submit { tokenize(secondHalf) }
/// tokenize(firstHalf)                  // the caller works meanwhile
/// worker.wait()                        // blocks on a semaphore until the job is done
/// worker.stop()                        // the thread ends (also done by deinit of the owner)
/// ```
///
/// Why: on Linux, Swift's cooperative executor and `DispatchQueue.global()` share the same
/// root-queue threads (one per core). A job queued there while an async caller blocks on its
/// result can wait for a free pool thread, so "two halves in parallel" silently ran one after
/// the other (measured in `pipeline prepare`); `concurrentPerform`'s join also spins in
/// `sched_yield`. A thread of our own always runs the job at once and waits on a futex.
/// Semantics: `submit` then `wait`, strictly alternating (precondition). The job runs on the
/// worker thread; writes made before `submit` are visible to it and its writes are visible
/// after `wait` (semaphore ordering). Cost: one thread (its stack) for the worker's lifetime;
/// ~10 µs per hand-over. The thread holds the worker until `stop()`.
public final class WorkerThread: @unchecked Sendable {
    private let start = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var job: (() -> Void)?
    private var pending = false
    private var stopped = false
    public let name: String

    public init(name: String) {
        self.name = name
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let worker = Unmanaged<WorkerThread>.fromOpaque(arg!).takeRetainedValue()
            worker.loop()
            return nil
        }, box)
        precondition(rc == 0, "WorkerThread '\(name)': pthread_create failed (\(rc))")
        pthread_detach(thread)
    }

    private func loop() {
        while true {
            start.wait()
            guard let job else { return }
            job()
            self.job = nil
            finished.signal()
        }
    }

    /// Starts `job` on the worker thread and returns at once.
    public func submit(_ job: @escaping () -> Void) {
        precondition(!pending && !stopped, "WorkerThread '\(name)': submit while a job is pending or after stop")
        self.job = job
        pending = true
        start.signal()
    }

    /// Blocks until the submitted job has finished (returns at once when none is pending).
    public func wait() {
        guard pending else { return }
        finished.wait()
        pending = false
    }

    /// Lets the thread end once any pending job is done; the worker cannot be used afterwards.
    public func stop() {
        wait()
        guard !stopped else { return }
        stopped = true
        job = nil
        start.signal()
    }
}
