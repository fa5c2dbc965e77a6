import PipelineCore

extension AsyncSequence where Element == TableChunk {
    /// Checks and repairs the time axis of a table stream: timestamps must advance by `step`
    /// seconds.
    ///
    /// ```swift
    /// let rows = csvChunks                              // missing: .keep
    ///     .checkingTimeAxis(step: 600, policy: .fill)   // gaps become NaN rows
    ///     .handlingMissing(.interpolate)                // … which are interpolated
    /// ```
    ///
    /// Semantics, cost and failures: those of ``TimeAxisChecker`` (state carried across chunks).
    public func checkingTimeAxis(step: Int64, policy: TimeAxisPolicy) -> AsyncTimeAxisSequence<Self> {
        AsyncTimeAxisSequence(base: self, step: step, policy: policy)
    }
}

/// A table stream with its time axis checked. See ``AsyncSequence/checkingTimeAxis(step:policy:)``.
public struct AsyncTimeAxisSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == TableChunk {
    public typealias Element = TableChunk
    let base: Base
    let step: Int64
    let policy: TimeAxisPolicy

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var checker: TimeAxisChecker

        public mutating func next() async throws -> TableChunk? {
            guard let chunk = try await base.next() else { return nil }
            return try checker.push(chunk)
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), checker: TimeAxisChecker(step: step, policy: policy))
    }
}

extension AsyncTimeAxisSequence: Sendable where Base: Sendable {}
