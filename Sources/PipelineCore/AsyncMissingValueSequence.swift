extension AsyncSequence where Element == TableChunk {
    /// Applies a missing-value policy to a stream of table chunks (NaN marks a missing cell).
    ///
    /// ```swift
    /// let rows = bytes.csvTable(options.with(missing: .keep))
    ///     .checkingTimeAxis(step: 600, policy: .fill)      // inserts NaN rows for gaps
    ///     .handlingMissing(.interpolate)
    /// ```
    ///
    /// Semantics, cost and failures: those of ``MissingValueFiller`` (rows held back only while a
    /// gap is open; errors are ``InputError``s naming file:line:column and the column).
    public func handlingMissing(_ policy: MissingValuePolicy) -> AsyncMissingValueSequence<Self> {
        AsyncMissingValueSequence(base: self, policy: policy)
    }
}

/// Table chunks with missing cells handled. See ``AsyncSequence/handlingMissing(_:)``.
public struct AsyncMissingValueSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == TableChunk {
    public typealias Element = TableChunk
    let base: Base
    let policy: MissingValuePolicy

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var filler: MissingValueFiller
        var finished = false

        public mutating func next() async throws -> TableChunk? {
            while !finished {
                if let chunk = try await base.next() {
                    if let out = try filler.push(chunk), out.rowCount > 0 || out.counts != TableCounts() { return out }
                } else {
                    finished = true
                    return try filler.finish()
                }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), filler: MissingValueFiller(policy: policy))
    }
}

extension AsyncMissingValueSequence: Sendable where Base: Sendable {}
