extension AsyncSequence where Self: Sendable, Element: Sendable {
    /// Runs the base in a concurrent producer task that stays at most `limit` elements ahead
    /// of the consumer: bounded prefetch with backpressure.
    ///
    /// ```swift
    /// for try await batch in windows.batched(size: 128).prefetched(2) {
    ///     try model.trainStep(batch)           // the next two batches are assembled meanwhile
    /// }
    /// ```
    ///
    /// Semantics: order is kept. The producer asks its base for an element only when fewer than
    /// `limit` are buffered, so it has pulled at most `limit` elements the consumer has not taken.
    /// An error in the base is delivered after the elements produced before it. Cancelling the
    /// consumer's task, or dropping the iterator, cancels the producer task promptly.
    /// Cost: one task hop per element (10–20 µs): prefetch batches or chunks, not scalars.
    public func prefetched(_ limit: Int) -> AsyncPrefetchedSequence<Self> {
        precondition(limit > 0, "prefetch limit must be > 0")
        return AsyncPrefetchedSequence(base: self, limit: limit)
    }
}

/// A base sequence run ahead by a producer task. See ``AsyncSequence/prefetched(_:)``.
public struct AsyncPrefetchedSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element: Sendable {
    public typealias Element = Base.Element
    let base: Base
    let limit: Int

    public struct Iterator: AsyncIteratorProtocol {
        let storage: PrefetchStorage<Base>

        public mutating func next() async throws -> Base.Element? {
            try await storage.next()
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(storage: PrefetchStorage(base: base, limit: limit))
    }
}
