import PipelineCore

extension AsyncSequence where Element == [[Int32]] {
    /// Pads each batch of id sequences to a `[B, maxlen]` matrix, as ``padSequences(_:maxlen:padding:truncating:value:)``.
    ///
    /// ```swift
    /// for try await m in sequences.batched(size: 128).padded(maxlen: 500) { m.shape }   // [128, 500]
    /// ```
    ///
    /// Semantics: each batch is padded on its own; with `maxlen` nil each batch takes its own
    /// longest length (as `pad_sequences` on that batch). Order and errors pass through.
    /// Cost: one `[B, maxlen]` allocation per batch.
    public func padded(maxlen: Int?, padding: SequencePadding = .pre, truncating: Truncating = .pre,
                       value: Int32 = 0) -> AsyncPaddedSequence<Self> {
        precondition((maxlen ?? 0) >= 0, "maxlen must be >= 0")
        return AsyncPaddedSequence(base: self, maxlen: maxlen, padding: padding, truncating: truncating, value: value)
    }
}

/// Batches of sequences padded into matrices. See ``AsyncSequence/padded(maxlen:padding:truncating:value:)``.
public struct AsyncPaddedSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == [[Int32]] {
    public typealias Element = PaddedSequences
    let base: Base
    let maxlen: Int?
    let padding: SequencePadding
    let truncating: Truncating
    let value: Int32

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let maxlen: Int?
        let padding: SequencePadding
        let truncating: Truncating
        let value: Int32

        public mutating func next() async throws -> PaddedSequences? {
            guard let batch = try await base.next() else { return nil }
            return padSequences(batch, maxlen: maxlen, padding: padding, truncating: truncating, value: value)
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), maxlen: maxlen, padding: padding, truncating: truncating, value: value)
    }
}

extension AsyncPaddedSequence: Sendable where Base: Sendable {}
