import PipelineCore

extension AsyncSequence where Element == [UInt8] {
    /// Passes byte chunks through unchanged while hashing them; when the base ends, throws
    /// ``ChecksumMismatch`` (naming `source`) if the digests differ from `expected`.
    ///
    /// ```swift
    /// let bytes = FileChunks(path: "aclImdb_v1.tar.gz").verified(Checksums(sha256: "c40f…"), source: "aclImdb_v1.tar.gz")
    /// for try await chunk in bytes.gunzipped() { … }   // the error arrives after the last chunk
    /// ```
    /// The consumer has seen every chunk before the error: use it where a late error is
    /// acceptable (the whole pass is discarded), or verify the file first with
    /// ``Checksums/verify(file:)``. With empty `expected` it only forwards. Cost: the hash.
    public func verified(_ expected: Checksums, source: String) -> AsyncVerifiedSequence<Self> {
        AsyncVerifiedSequence(base: self, expected: expected, source: source)
    }
}

/// Byte chunks checked against digests at the end. See ``AsyncSequence/verified(_:source:)``.
public struct AsyncVerifiedSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == [UInt8] {
    public typealias Element = [UInt8]
    let base: Base
    let expected: Checksums
    let source: String

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var hasher: ChecksumHasher
        let source: String
        var done = false

        public mutating func next() async throws -> [UInt8]? {
            guard !done else { return nil }
            if let chunk = try await base.next() {
                hasher.update(chunk)
                return chunk
            }
            done = true
            try hasher.verify(source: source)
            return nil
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), hasher: expected.hasher(), source: source)
    }
}

extension AsyncVerifiedSequence: Sendable where Base: Sendable {}
