extension AsyncSequence where Element == [UInt8] {
    /// Decompresses gzip data (RFC 1952; zlib-wrapped data is accepted too) arriving as byte
    /// chunks, inflating each chunk as it arrives.
    ///
    /// ```swift
    /// let tar = FileChunks(path: "aclImdb-train.tar.gz").gunzipped(source: "aclImdb-train.tar.gz")
    /// for try await chunk in tar { … }   // decompressed chunks of 256 KiB (the last one shorter)
    /// ```
    ///
    /// Semantics: concatenated gzip members decode as one stream (like `gzip -d`); zero
    /// bytes after a member are ignored. Output chunks hold exactly `chunkSize` bytes except the
    /// last. On failure, the bytes decoded before it are yielded first, then the error is thrown.
    /// Memory: one `chunkSize` buffer plus zlib's 32 KiB window.
    /// Cost: zlib inflate (≈ 250–300 MB/s of output) plus one copy of the output.
    /// Fails with ``IOFailure`` naming `source`: corrupt data (with the compressed byte offset
    /// and member), input ending inside a member ("truncated gzip data … offset N"), empty input,
    /// and a bound of `limits` crossed: more than `maxTotalBytes` decompressed, or a compression
    /// ratio above `maxCompressionRatio` once `ratioGraceBytes` are out (checked after every
    /// inflate call, so a bomb is stopped within one output chunk; `maxEntryBytes` does not apply).
    public func gunzipped(source: String = "gzip stream", chunkSize: Int = 256 << 10,
                          limits: ArchiveLimits = ArchiveLimits()) -> AsyncGunzipSequence<Self> {
        precondition(chunkSize > 0, "chunkSize must be > 0")
        return AsyncGunzipSequence(base: self, source: source, chunkSize: chunkSize, limits: limits)
    }
}

/// Gzip-decompressed byte chunks. See ``AsyncSequence/gunzipped(source:chunkSize:limits:)``.
public struct AsyncGunzipSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == [UInt8] {
    public typealias Element = [UInt8]
    let base: Base
    let source: String
    let chunkSize: Int
    var limits = ArchiveLimits()

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let inflater: Inflater
        var finished = false
        /// An error met while output was buffered: thrown after that output is yielded.
        var pendingError: (any Error)?

        public mutating func next() async throws -> [UInt8]? {
            if let error = pendingError { pendingError = nil; finished = true; throw error }
            guard !finished else { return nil }
            do {
                while true {
                    try inflater.inflateAvailable()
                    if inflater.isOutputFull { return inflater.takeOutput() }
                    if let chunk = try await base.next() {
                        inflater.feed(chunk)
                        continue
                    }
                    if inflater.inMember || inflater.member == 0 { throw inflater.truncationError() }
                    finished = true
                    return inflater.outputCount > 0 ? inflater.takeOutput() : nil
                }
            } catch {
                // Deliver what was decoded before the failure, so downstream stages (an
                // archive reader) can say which entry was cut.
                if inflater.outputCount > 0 { pendingError = error; return inflater.takeOutput() }
                finished = true
                throw error
            }
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), inflater: Inflater(capacity: chunkSize, source: source, limits: limits))
    }
}

extension AsyncGunzipSequence: Sendable where Base: Sendable {}
