
/// Shared state between a prefetch producer task and its consumer: a bounded FIFO, the
/// end-of-stream / error flag, and at most one waiting continuation on each side.
/// The producer task starts on the first `next()` and is cancelled when the storage dies.
final class PrefetchStorage<Base: AsyncSequence & Sendable>: Sendable where Base.Element: Sendable {
    typealias Element = Base.Element

    struct State {
        var buffer: [Element?] = []      // ring storage
        var head = 0
        var count = 0
        var finished = false
        var failure: (any Error)?
        var consumer: CheckedContinuation<Void, Never>?
        var producer: CheckedContinuation<Void, Never>?
        var task: Task<Void, Never>?
        var started = false
        var cancelled = false
    }

    enum Step { case value(Element), end, fail(any Error), wait }

    let limit: Int
    let base: Base
    let state: Locked<State>

    init(base: Base, limit: Int) {
        self.base = base
        self.limit = limit
        var s = State()
        s.buffer = Array(repeating: nil, count: limit)
        self.state = Locked(s)
    }

    deinit {
        let (task, producer) = state.withLock { s -> (Task<Void, Never>?, CheckedContinuation<Void, Never>?) in
            s.cancelled = true
            let p = s.producer; s.producer = nil
            return (s.task, p)
        }
        task?.cancel()
        producer?.resume()
    }

    /// Starts the producer on the first `next()`. The task holds only the shared `state`, never
    /// the storage: while it is suspended waiting for space, the consumer can drop the iterator,
    /// whose `deinit` then cancels it (a strong reference here kept every abandoned prefetch, and
    /// the batches it held, alive forever: found by LeakSanitizer).
    private func startIfNeeded() {
        let start = state.withLock { s -> Bool in
            if s.started { return false }
            s.started = true
            return true
        }
        guard start else { return }
        let task = Task { [base, state, limit] in
            var it = base.makeAsyncIterator()
            do {
                while true {
                    guard await Self.waitForSpace(state, limit: limit) else { return }
                    guard let x = try await it.next() else { break }
                    Self.push(x, state, limit: limit)
                }
                Self.finish(nil, state)
            } catch {
                Self.finish(error, state)
            }
        }
        state.withLock { $0.task = task }
    }

    /// Suspends the producer until fewer than `limit` elements are buffered. False when cancelled.
    private static func waitForSpace(_ state: Locked<State>, limit: Int) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.cancelled || s.count < limit { return true }
                    s.producer = c
                    return false
                }
                if resumeNow { c.resume() }
            }
            return state.withLock { !$0.cancelled } && !Task.isCancelled
        } onCancel: {
            let p = state.withLock { s -> CheckedContinuation<Void, Never>? in
                s.cancelled = true
                let p = s.producer; s.producer = nil; return p
            }
            p?.resume()
        }
    }

    private static func push(_ x: Element, _ state: Locked<State>, limit: Int) {
        let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.buffer[(s.head + s.count) % limit] = x
            s.count += 1
            let c = s.consumer; s.consumer = nil; return c
        }
        c?.resume()
    }

    private static func finish(_ error: (any Error)?, _ state: Locked<State>) {
        let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.finished = true
            if !(error is CancellationError) { s.failure = error }
            let c = s.consumer; s.consumer = nil; return c
        }
        c?.resume()
    }

    func next() async throws -> Element? {
        startIfNeeded()
        while true {
            try Task.checkCancellation()
            let step = state.withLock { s -> (Step, CheckedContinuation<Void, Never>?) in
                if s.count > 0 {
                    let x = s.buffer[s.head]!
                    s.buffer[s.head] = nil
                    s.head = (s.head + 1) % limit
                    s.count -= 1
                    let p = s.producer; s.producer = nil
                    return (.value(x), p)
                }
                if s.finished {
                    if let f = s.failure { s.failure = nil; return (.fail(f), nil) }
                    return (.end, nil)
                }
                return (.wait, nil)
            }
            step.1?.resume()
            switch step.0 {
            case .value(let x): return x
            case .end: return nil
            case .fail(let e): throw e
            case .wait:
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { s -> Bool in
                            if s.count > 0 || s.finished || s.cancelled { return true }
                            s.consumer = c
                            return false
                        }
                        if resumeNow { c.resume() }
                    }
                } onCancel: {
                    let (t, c, p) = state.withLock { s in
                        s.cancelled = true
                        let c = s.consumer; s.consumer = nil
                        let p = s.producer; s.producer = nil
                        return (s.task, c, p)
                    }
                    t?.cancel(); c?.resume(); p?.resume()
                }
            }
        }
    }
}
