import Synchronization

/// A request to stop a `fit` at its next step boundary, as Ctrl-C asks: the library polls it,
/// the application decides when to raise it (the CLI does so on SIGINT / SIGTERM; the library
/// never installs signal handlers itself).
///
/// ```swift
/// let stop = StopRequest()
/// // elsewhere (a signal source, a Cancel button): stop.request(signal: SIGINT)
/// do {
///     try await model.fit(trainData: train, epochs: 10, stop: stop)
/// } catch let interrupted as FitInterrupted {
///     // save interrupted.position with the weights; fit(resumeFrom:) continues bit-identically
/// }
/// ```
///
/// Semantics: `fit` checks ``isRequested`` before each training step (after the previous
/// step's callbacks ran), and while it does so ``isWatched`` is true; a request made while
/// nothing watches (data preparation, validation of the last epoch, writing files) is not seen
/// by `fit` until its next step, so a caller that needs a prompt stop outside training checks
/// ``isWatched`` and stops by its own means. Thread-safe (atomics); costs one atomic load per step.
public final class StopRequest: Sendable {
    private let reason = Atomic<Int32>(0)
    private let watchers = Atomic<Int>(0)

    public init() {}

    /// Asks to stop; `signal` records why (the signal number, or any positive code). Returns
    /// true for the first request, false when one was already made (a second Ctrl-C).
    @discardableResult
    public func request(signal: Int32 = 2) -> Bool {
        reason.compareExchange(expected: 0, desired: max(signal, 1), ordering: .sequentiallyConsistent).exchanged
    }

    /// Whether a stop was requested.
    public var isRequested: Bool { reason.load(ordering: .sequentiallyConsistent) != 0 }

    /// The `signal` of the first request, nil when none was made.
    public var signal: Int32? {
        let s = reason.load(ordering: .sequentiallyConsistent)
        return s == 0 ? nil : s
    }

    /// Whether a loop that honours the request at its next step boundary is running now.
    public var isWatched: Bool { watchers.load(ordering: .sequentiallyConsistent) > 0 }

    /// Runs `body` while ``isWatched`` is true.
    public func watching<T>(_ body: () async throws -> T) async rethrows -> T {
        watchers.add(1, ordering: .sequentiallyConsistent)
        defer { watchers.subtract(1, ordering: .sequentiallyConsistent) }
        return try await body()
    }
}

/// `fit` stopped at a step boundary because its ``StopRequest`` was raised.
///
/// `position` is where training stands: the model's weights and optimizer state are exactly
/// those after `position.step` steps of epoch `position.epoch` (0-based), so saving them with
/// `position` and later calling `fit(resumeFrom: position)` gives the run an uninterrupted run
/// would have. `history` holds the epochs this call finished (as `fit` would have returned).
public struct FitInterrupted: Error, Sendable, CustomStringConvertible {
    public var position: FitPosition
    public var history: History
    public var signal: Int32?

    public init(position: FitPosition, history: History, signal: Int32?) {
        self.position = position; self.history = history; self.signal = signal
    }

    public var description: String {
        "training stopped on request at epoch \(position.epoch + 1), after step \(position.step)"
    }
}
