import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local file read as an async sequence of byte chunks.
///
/// ```swift
/// for try await chunk in FileChunks(path: "aclImdb-train.tar.gz") { … }   // 1 MiB chunks
/// let entries = FileChunks(path: "data.zip").archiveEntries()
/// ```
///
/// Semantics: every chunk has `chunkSize` bytes except the last (an empty file yields nothing).
/// The file is opened on the first `next()` and closed at the end, on error, or when the
/// iterator is dropped. Each iteration rereads the file from the start.
/// Cost: one `read(2)` and one array allocation per chunk; no async hop.
/// Fails with ``IOFailure`` naming the path (missing file, permission, read error).
public struct FileChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public let path: String
    public let chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) {
        precondition(chunkSize > 0, "chunkSize must be > 0")
        self.path = path; self.chunkSize = chunkSize
    }

    public struct Iterator: AsyncIteratorProtocol {
        let path: String
        let chunkSize: Int
        var file: FileDescriptorBox?
        var done = false

        public mutating func next() async throws -> [UInt8]? {
            guard !done else { return nil }
            if file == nil {
                do { file = try FileDescriptorBox(readingFrom: path) } catch { done = true; throw error }
            }
            let fd = file!.fd, path = path
            var failure: IOFailure?
            let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = IOFailure("read failed: \(String(cString: strerror(errno)))", path: path)
                        return
                    }
                    if n == 0 { break }
                    count += n
                }
            }
            if let failure { done = true; file = nil; throw failure }
            if chunk.count < chunkSize { done = true; file = nil }
            return chunk.isEmpty ? nil : chunk
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(path: path, chunkSize: chunkSize) }
}

/// An open file descriptor closed when the last reference goes away.
final class FileDescriptorBox {
    let fd: Int32
    init(readingFrom path: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let e = errno
            throw IOFailure("cannot open: \(String(cString: strerror(e)))", path: path,
                            hint: e == ENOENT ? "check the path (relative paths start from the current directory)" : nil)
        }
    }
    deinit { close(fd) }

    /// The whole content of the file at `path` (one read of the size `fstat` reports, then
    /// more reads if the file grew meanwhile).
    static func readAll(path: String) throws -> [UInt8] {
        let file = try FileDescriptorBox(readingFrom: path)
        var st = stat()
        guard fstat(file.fd, &st) == 0 else { throw IOFailure("cannot stat: \(String(cString: strerror(errno)))", path: path) }
        var data: [UInt8] = []
        var block = max(Int(st.st_size), 0) + 1   // +1 reaches EOF in the same pass
        while true {
            var failure: Int32 = 0
            let part = [UInt8](unsafeUninitializedCapacity: block) { buf, count in
                count = 0
                while count < buf.count {
                    let n = read(file.fd, buf.baseAddress! + count, buf.count - count)
                    if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                    if n == 0 { break }
                    count += n
                }
            }
            if failure != 0 { throw IOFailure("read failed: \(String(cString: strerror(failure)))", path: path) }
            if data.isEmpty { data = part } else { data += part }
            if part.count < block { return data }
            block = 1 << 20
        }
    }
}
