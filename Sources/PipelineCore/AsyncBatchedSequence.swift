extension AsyncSequence {
    /// Groups consecutive elements into arrays of `size`.
    ///
    /// ```swift
    /// for try await batch in records.batched(size: 128) { … }   // [Record] of 128, last may be shorter
    /// ```
    ///
    /// Semantics: order is kept; the last batch holds the remainder (1 ..< size elements)
    /// unless `dropRemainder` is true, in which case it is dropped, as `tf.data`'s
    /// `batch(drop_remainder=True)`. An empty base yields no batch.
    /// Cost: one array allocation per batch. Errors from the base pass through unchanged.
    public func batched(size: Int, dropRemainder: Bool = false) -> AsyncBatchedSequence<Self> {
        precondition(size > 0, "batch size must be > 0")
        return AsyncBatchedSequence(base: self, size: size, dropRemainder: dropRemainder)
    }
}

/// An async sequence of arrays of `size` consecutive elements of its base. See ``AsyncSequence/batched(size:dropRemainder:)``.
public struct AsyncBatchedSequence<Base: AsyncSequence>: AsyncSequence {
    public typealias Element = [Base.Element]
    let base: Base
    let size: Int
    let dropRemainder: Bool

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let size: Int
        let dropRemainder: Bool
        var finished = false

        public mutating func next() async throws -> [Base.Element]? {
            if finished { return nil }
            var batch: [Base.Element] = []
            batch.reserveCapacity(size)
            while batch.count < size {
                guard let x = try await base.next() else { finished = true; break }
                batch.append(x)
            }
            if batch.isEmpty || (dropRemainder && batch.count < size) { return nil }
            return batch
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), size: size, dropRemainder: dropRemainder)
    }
}

extension AsyncBatchedSequence: Sendable where Base: Sendable {}
