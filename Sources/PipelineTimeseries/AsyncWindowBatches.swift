import PipelineCore

/// A synchronous source of batches for one epoch: its state is a value, so copying it
/// restarts (or resumes) the epoch at the same point.
public protocol WindowBatcher: Sendable {
    /// The next batch of the epoch, or nil at its end.
    mutating func nextBatch() -> Batch?
}

/// The batches of one epoch of a ``WindowBatcher`` as an async sequence.
///
/// ```swift
/// for try await batch in dataset.batches(epoch: 3).prefetched(2) { try trainer.step(batch) }
/// ```
///
/// Semantics: each iterator starts from a copy of the batcher, so iterating twice gives the
/// same batches. Memory: one batch per `next()` (plus what a downstream prefetch holds).
/// Cost: the batch assembly of the batcher, with no task hop. Never fails.
public struct AsyncWindowBatches<Source: WindowBatcher>: AsyncSequence, Sendable {
    public typealias Element = Batch
    public let source: Source
    public init(_ source: Source) { self.source = source }

    public struct Iterator: AsyncIteratorProtocol {
        var source: Source
        public mutating func next() async throws -> Batch? { source.nextBatch() }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(source: source) }
}
