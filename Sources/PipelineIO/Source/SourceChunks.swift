/// The chunk sequence ``DataSource/chunks(from:options:)`` returns: one concrete type for
/// every kind of source, so it can be stored and passed to `gunzipped()` or `archiveEntries()`.
///
/// ```swift
/// let chunks = try DataSource.chunks(from: "data/train.tar.gz")
/// for try await chunk in chunks.gunzipped(source: "data/train.tar.gz") { … }
/// ```
/// Each iteration starts over (a local file is reread; a URL is served from the cache once
/// downloaded). Chunks are `SourceOptions.chunkSize` bytes except the last of a file or response.
public struct SourceChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    enum Storage: Sendable {
        case local(path: String, checksums: Checksums, chunkSize: Int)
        case stream(HTTPByteSource)
        case downloadFirst(url: String, options: SourceOptions)
    }

    let storage: Storage

    public struct Iterator: AsyncIteratorProtocol {
        enum State {
            case pending(Storage)
            case file(AsyncVerifiedSequence<FileChunks>.Iterator)
            case network(HTTPByteSource.Iterator)
        }
        var state: State

        public mutating func next() async throws -> [UInt8]? {
            switch state {
            case .pending(let storage):
                switch storage {
                case .local(let path, let checksums, let chunkSize):
                    state = .file(FileChunks(path: path, chunkSize: chunkSize).verified(checksums, source: path).makeAsyncIterator())
                case .stream(let source):
                    state = .network(source.makeAsyncIterator())
                case .downloadFirst(let url, let options):
                    let path = try await DataSource.download(url, options: options)
                    state = .file(FileChunks(path: path, chunkSize: options.chunkSize).verified(Checksums(), source: path).makeAsyncIterator())
                }
                return try await next()
            case .file(var files):
                let chunk = try await files.next()
                state = .file(files)
                return chunk
            case .network(var network):
                let chunk = try await network.next()
                state = .network(network)
                return chunk
            }
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(state: .pending(storage)) }
}
