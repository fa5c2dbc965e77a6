/// An HTTP(S) file as byte chunks that are written into the cache as they go by: the
/// "streaming with tee" source behind ``SourceOptions/Delivery/stream``.
///
/// ```swift
/// let source = try HTTPByteSource(url: "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
///                                 options: SourceOptions(checksums: Checksums(sha256: "c40f74a1…")))
/// for try await entry in source.archiveEntries(source: source.url) { … }   // network → gunzip → untar, one pass
/// // afterwards source.cachePath holds the verified file; the next run reads it from there
/// ```
///
/// Semantics, per iteration:
/// - cache hit (`cachePath` exists and matches the checksums, or no checksum is given):
///   the cached file's chunks. A cached file with the wrong digest is deleted and downloaded again.
/// - otherwise the bytes of `cachePath.part` left by an interrupted run come first (read from
///   disk), then the rest from the network with a `Range` request; every network chunk is
///   appended to the part file and hashed as it arrives. Dropped connections, connection
///   errors, 5xx and stalls (see ``SourceOptions/readTimeout``) are retried (exponential
///   backoff, a warning line each; an attempt bringing 1 MiB resets the count) and resume at
///   the next byte, so the consumer sees one seamless stream.
///   A consumer that pauses longer than the stall timeout makes the client stop reading and the
///   connection time out; that is resumed the same way. At the end the digests are checked and the part file is
///   renamed to `cachePath`; on a mismatch the consumer gets ``ChecksumMismatch`` after the
///   last chunk and nothing is left in the cache.
/// Chunks are `options.chunkSize` bytes except at the end of a response; network reads are
/// pulled one buffer at a time, so a slow consumer slows the download (backpressure).
/// Failures: ``DownloadError`` (4xx, stalled server, redirects, gave up after retries),
/// ``ChecksumMismatch``, ``IOFailure`` (cache not writable, another process downloading).
/// An interrupted iteration keeps the part file for the next run.
public struct HTTPByteSource: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public let url: String
    public let options: SourceOptions
    /// Where the verified file ends up.
    public let cachePath: String

    public init(url: String, options: SourceOptions) throws {
        self.url = url; self.options = options
        cachePath = try CacheLocation.path(for: url, cacheDirectory: options.cacheDirectory)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let url: String
        let options: SourceOptions
        var engine: DownloadEngine?

        public mutating func next() async throws -> [UInt8]? {
            if engine == nil { engine = try DownloadEngine(url: url, options: options, yieldCachedFile: true) }
            return try await engine!.next()
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(url: url, options: options) }
}
