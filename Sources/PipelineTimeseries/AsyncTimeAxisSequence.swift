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
    public func checkingTimeAxis(step: Int64, policy: TimeAxisPolicy, maxRepairedFraction: Double = 1) -> AsyncTimeAxisSequence<Self> {
        AsyncTimeAxisSequence(base: self, step: step, policy: policy, maxRepairedFraction: maxRepairedFraction)
    }
}

/// A table stream with its time axis checked. See ``AsyncSequence/checkingTimeAxis(step:policy:maxRepairedFraction:)``.
public struct AsyncTimeAxisSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == TableChunk {
    public typealias Element = TableChunk
    let base: Base
    let step: Int64
    let policy: TimeAxisPolicy
    var maxRepairedFraction: Double = 1

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var checker: TimeAxisChecker

        public mutating func next() async throws -> TableChunk? {
            guard let chunk = try await base.next() else { return nil }
            return try checker.push(chunk)
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), checker: TimeAxisChecker(step: step, policy: policy, maxRepairedFraction: maxRepairedFraction))
    }
}

extension AsyncTimeAxisSequence: Sendable where Base: Sendable {}
