#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated OS thread that runs one job at a time: CPU-bound work handed over with
/// a mutex and a condition, off the shared pool.
///
/// ```swift
/// let worker = WorkerThread(name: "tokenizer-1")
/// worker.submit { tokenize(secondHalf) }
/// tokenize(firstHalf)                  // the caller works meanwhile
/// worker.wait()                        // sleeps until the job is done
/// worker.stop()                        // the thread ends (also done by deinit of the owner)
/// ```
///
/// Why: on Linux, Swift's cooperative executor and `DispatchQueue.global()` share the same
/// root-queue threads (one per core). A job queued there while an async caller blocks on its
/// result can wait for a free pool thread, so "two halves in parallel" silently ran one after
/// the other (measured in `pipeline prepare`); `concurrentPerform`'s join also spins in
/// `sched_yield`. A thread of our own always runs the job at once; waiting sleeps on a condition.
/// Semantics: `submit` then `wait`, strictly alternating (precondition). The job runs on the
/// worker thread; writes made before `submit` are visible to it and its writes are visible
/// after `wait` (mutex ordering). Cost: one thread (its stack) for the worker's lifetime;
/// ~10–20 µs per hand-over on an idle machine. The thread holds the worker until `stop()`.
///
/// Which primitive for what (the toolkit's three; this is the one place that says so):
/// - `WorkerThread` (here): "two halves on two threads" for the data stages, where the caller is
///   an async task and the other half must start at once whatever the pool is doing: the
///   tokenizer halves (ParallelTokenCounter), the vocabulary count and the row writer of
///   `pipeline prepare`. Hand-overs cost ~10–20 µs, paid a few hundred times per run.
/// - `ParallelPair` (PipelineTraining, internal): "two halves on two threads" inside one training
///   step (rows of a product, samples of a batch, a bidirectional layer's two directions), on
///   `DispatchQueue.concurrentPerform(iterations: 2)`. These hand-overs happen thousands of times
///   per step, in microseconds. The calling thread runs one half and, when no pool thread is
///   free, the other half too: the worst case is one thread's speed, never a wait for the pool
///   and never a deadlock, so it is safe inside the async `fit`. It stays separate because
///   moving the step's halves onto `WorkerThread` changes the hand-over cost on the hot path and
///   has not been measured against the StepProfile medians; merge only with that measurement.
/// - `HandoffQueue` (PipelineIO, internal): not a halves primitive but a bounded FIFO between a
///   thread that must block (libarchive's synchronous read callback) and async code that must
///   suspend; use it to bridge a pull-style C library to an `AsyncSequence`.
public final class WorkerThread: @unchecked Sendable {
    // A pthread mutex and condition (not DispatchSemaphore): ThreadSanitizer sees their ordering.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var job: (() -> Void)?          // set by submit, cleared by the worker when done
    private var stopping = false
    private var pending = false             // the caller's view: a job was submitted, not waited for
    public let name: String

    public init(name: String) {
        self.name = name
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
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

    deinit {
        pthread_cond_destroy(changed); pthread_mutex_destroy(mutex)
        changed.deallocate(); mutex.deallocate()
    }

    private func loop() {
        pthread_mutex_lock(mutex)
        while true {
            while job == nil && !stopping { pthread_cond_wait(changed, mutex) }
            guard let work = job else { break }
            pthread_mutex_unlock(mutex)
            work()
            pthread_mutex_lock(mutex)
            job = nil
            pthread_cond_broadcast(changed)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Starts `job` on the worker thread and returns at once.
    public func submit(_ job: @escaping () -> Void) {
        pthread_mutex_lock(mutex)
        precondition(!pending && !stopping, "WorkerThread '\(name)': submit while a job is pending or after stop")
        self.job = job
        pending = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Blocks until the submitted job has finished (returns at once when none is pending).
    public func wait() {
        pthread_mutex_lock(mutex)
        while job != nil { pthread_cond_wait(changed, mutex) }
        pending = false
        pthread_mutex_unlock(mutex)
    }

    /// Lets the thread end once any pending job is done; the worker cannot be used afterwards.
    public func stop() {
        wait()
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }
}
