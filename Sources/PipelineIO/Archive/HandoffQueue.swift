import Foundation

/// A bounded FIFO between a dedicated thread and async code: either side may block (thread)
/// or suspend (task) while the queue is full or empty. Used to feed libarchive, which pulls
/// its input through a synchronous callback, from an async chunk sequence, and to hand the
/// entries it decodes back to async code. At most one async waiter per side. (Not a "two
/// halves" primitive; the toolkit's three concurrency primitives are compared in WorkerThread.swift.)
///
/// States: open → finished (no more pushes; pops drain then get the end or the failure), or
/// → cancelled (every wait returns at once; pushes are refused, pops end). Thread-safe.
/// Optionally byte-bounded too: with `maxWeight`, the queue is also full while the weights of
/// its items (`weigh`, e.g. bytes held) reach `maxWeight` (an item is always accepted into an
/// empty queue, so one heavy item never blocks for ever).
final class HandoffQueue<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    /// Popped slots are cleared at once (nil), so the queue never keeps a consumed item alive.
    private var items: [T?] = []
    private var head = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var waitingConsumer: CheckedContinuation<Void, Never>?
    private var waitingProducer: CheckedContinuation<Void, Never>?
    private let maxWeight: Int
    private let weigh: (@Sendable (T) -> Int)?
    private var weight = 0

    init(capacity: Int, maxWeight: Int = .max, weigh: (@Sendable (T) -> Int)? = nil) {
        precondition(capacity > 0)
        self.capacity = capacity; self.maxWeight = maxWeight; self.weigh = weigh
    }

    /// Whether ``cancel()`` was called; read under the lock, since another thread may be
    /// cancelling (an unlocked read of the flag was a data race, reported by ThreadSanitizer).
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    private var count: Int { items.count - head }
    private var isFull: Bool { count >= capacity || (count > 0 && weight >= maxWeight) }

    // MARK: producer side

    /// Appends `item`, suspending while full. False when the queue was cancelled.
    func push(_ item: T) async -> Bool {
        while true {
            if let done = lockedAppend(item) { return done }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    condition.lock()
                    if cancelled || !isFull { condition.unlock(); c.resume(); return }
                    waitingProducer = c
                    condition.unlock()
                }
            } onCancel: { self.cancel() }
        }
    }

    /// Appends `item`, blocking the calling thread while full. False when cancelled.
    func pushBlocking(_ item: T) -> Bool {
        condition.lock()
        while !cancelled && isFull { condition.wait() }
        condition.unlock()
        return lockedAppend(item) ?? pushBlocking(item)
    }

    /// Appends if there is room: true/false for done/cancelled, nil when full again.
    private func lockedAppend(_ item: T) -> Bool? {
        condition.lock()
        if cancelled { condition.unlock(); return false }
        guard !isFull else { condition.unlock(); return nil }
        precondition(!finished, "push after finish")
        items.append(item)
        if let weigh { weight += weigh(item) }
        let consumer = waitingConsumer; waitingConsumer = nil
        condition.broadcast()
        condition.unlock()
        consumer?.resume()
        return true
    }

    /// No more items; consumers get `failure` (if any) after draining the buffered items.
    func finish(_ failure: (any Error)? = nil) {
        condition.lock()
        if !finished { finished = true; self.failure = failure }
        let consumer = waitingConsumer; waitingConsumer = nil
        condition.broadcast()
        condition.unlock()
        consumer?.resume()
    }

    /// Wakes every waiter; later pushes are refused and pops return nil.
    func cancel() {
        condition.lock()
        cancelled = true
        let consumer = waitingConsumer, producer = waitingProducer
        waitingConsumer = nil; waitingProducer = nil
        condition.broadcast()
        condition.unlock()
        consumer?.resume(); producer?.resume()
    }

    // MARK: consumer side

    enum Pop { case item(T), end, failed(any Error), wait }

    private func lockedPop() -> Pop {
        if cancelled { return .end }
        if count > 0 {
            let item = items[head]!
            items[head] = nil
            head += 1
            if let weigh { weight -= weigh(item) }
            if head >= 64 && head * 2 >= items.count { items.removeFirst(head); head = 0 }
            return .item(item)
        }
        if finished { return failure.map { .failed($0) } ?? .end }
        return .wait
    }

    /// The next item, suspending while empty; nil at the end or when cancelled.
    func pop() async throws -> T? {
        while true {
            switch popNow() {
            case .item(let x): return x
            case .end: return nil
            case .failed(let e): throw e
            case .wait: await waitUntilReadable()
            }
        }
    }

    private func popNow() -> Pop {
        condition.lock()
        let step = lockedPop()
        var producer: CheckedContinuation<Void, Never>?
        if case .wait = step {} else { producer = waitingProducer; waitingProducer = nil; condition.broadcast() }
        condition.unlock()
        producer?.resume()
        return step
    }

    private func waitUntilReadable() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                condition.lock()
                if cancelled || finished || count > 0 { condition.unlock(); c.resume(); return }
                waitingConsumer = c
                condition.unlock()
            }
        } onCancel: { self.cancel() }
    }

    /// The next item, blocking the calling thread while empty.
    func popBlocking() -> Pop {
        while true {
            let step = popNow()
            if case .wait = step {
                condition.lock()
                while !cancelled && !finished && count == 0 { condition.wait() }
                condition.unlock()
                continue
            }
            return step
        }
    }
}
