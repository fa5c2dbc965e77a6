import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local CSV files: their bytes as a chunked async sequence, or a whole table in memory.
///
/// ```swift
/// let table = try await CSVFile.read(path: "jena.csv", options: .jena(source: "jena.csv"))
/// for try await chunk in CSVFile.bytes(path: "jena.csv").csvTable(.jena(source: "jena.csv")) { … }
/// ```
///
/// `bytes` reads `chunkSize` bytes at a time (default 1 MiB) with `fread`: memory is one
/// chunk. `read` concatenates every chunk (memory: the whole table, 4 bytes per cell plus
/// 16 bytes per row). Failures: ``IOFailure`` with the path when the file cannot be opened
/// or read; the reader's ``InputError``s otherwise.
public enum CSVFile {
    public static func bytes(path: String, chunkSize: Int = 1 << 20) -> CSVFileBytes {
        CSVFileBytes(path: path, chunkSize: chunkSize)
    }

    public static func read(path: String, options: CSVReadOptions, maxTableBytes: Int = .max,
                            limitKey: String = "max_table_bytes") async throws -> TableChunk {
        try await collect(bytes(path: path).csvTable(options), maxTableBytes: maxTableBytes, limitKey: limitKey)
    }

    /// All chunks of a stream in one table (counts summed). A table that would pass
    /// `maxTableBytes` (``TableChunk/memoryBytes``) is an ``InputError`` at the row that crosses
    /// it, naming `limitKey`.
    public static func collect<S: AsyncSequence>(_ chunks: S, maxTableBytes: Int = .max,
                                                 limitKey: String = "max_table_bytes") async throws -> TableChunk
    where S.Element == TableChunk {
        var all: TableChunk?
        for try await c in chunks {
            if all == nil { all = c.emptyCopy() }
            try all!.append(c, maxBytes: maxTableBytes, key: limitKey)
        }
        guard let all else { throw InputError("no rows") }
        return all
    }
}

/// The bytes of a local file in chunks. See ``CSVFile/bytes(path:chunkSize:)``.
public struct CSVFileBytes: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public let path: String
    public let chunkSize: Int

    public final class Iterator: AsyncIteratorProtocol {
        let path: String
        let chunkSize: Int
        var file: UnsafeMutablePointer<FILE>?
        var done = false
        init(path: String, chunkSize: Int) { self.path = path; self.chunkSize = chunkSize }
        deinit { if let file { fclose(file) } }

        public func next() async throws -> [UInt8]? {
            if done { return nil }
            if file == nil {
                guard let f = fopen(path, "rb") else {
                    done = true
                    throw IOFailure("cannot open: \(String(cString: strerror(errno)))", path: path,
                                    hint: "check the path and its permissions")
                }
                file = f
            }
            let f = file!
            let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buf, n in
                n = fread(buf.baseAddress, 1, chunkSize, f)
            }
            if chunk.isEmpty {
                done = true
                if ferror(f) != 0 { throw IOFailure("read failed", path: path) }
                return nil
            }
            return chunk
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(path: path, chunkSize: chunkSize) }
}
