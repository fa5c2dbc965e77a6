import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An anonymous temporary file of `Int32` values: appended in buffered chunks, read back at any
/// offset. Lets ``prepareImdb(source:into:options:provenance:progress:)`` keep provisional word
/// ids on disk instead of in memory, so its memory does not grow with the dataset.
///
/// The file is created in `directory` and unlinked at once: it vanishes when the object is
/// released or the process dies. Reads go through `pread` (the page cache, not our RSS).
/// Fails with ``IOFailure`` naming the directory.
final class SpillFile {
    private let fd: Int32
    private let directory: String
    private var buffer: [Int32] = []
    private let bufferLimit = 1 << 18
    /// Values written so far (buffered ones included).
    private(set) var count = 0

    init(directory: String) throws {
        self.directory = directory
        var template = Array("\(directory)/.spill-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw IOFailure("cannot create a temporary file: \(String(cString: strerror(errno)))", path: directory,
                            hint: "the output directory must be writable")
        }
        unlink(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        self.fd = fd
        buffer.reserveCapacity(bufferLimit)
    }

    /// A spill file on an already open descriptor (tests: `/dev/full` simulates a full disk).
    init(descriptor: Int32, directory: String) {
        self.fd = descriptor; self.directory = directory
    }

    deinit { close(fd) }

    func append(_ values: [Int32]) throws {
        buffer.append(contentsOf: values)
        count += values.count
        if buffer.count >= bufferLimit { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let written = buffer.count * 4
        let offset = off_t((count - buffer.count) * 4)
        // A short write is continued; errno is read right after the call that failed (a short
        // write of 0 bytes leaves errno untouched, so it is reported as a full device).
        var done = 0
        while done < written {
            let n = buffer.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, written - done, offset + off_t(done)) }
            if n > 0 { done += n; continue }
            let code = n == 0 ? ENOSPC : errno
            if code == EINTR { continue }
            throw IOFailure("cannot write temporary data: \(String(cString: strerror(code)))", path: directory,
                            hint: code == ENOSPC ? "free some disk space or choose another --output" : "check the output folder")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads `n` values starting at value `offset` into `out` (after ``flush()``).
    func read(offset: Int, count n: Int, into out: inout [Int32]) throws {
        if out.count < n { out = [Int32](repeating: 0, count: max(n, 2 * out.count)) }
        guard n > 0 else { return }
        var done = 0
        try out.withUnsafeMutableBytes { raw in
            while done < n * 4 {
                let r = pread(fd, raw.baseAddress! + done, n * 4 - done, off_t(offset * 4 + done))
                guard r > 0 else {
                    throw IOFailure("cannot read temporary data: \(String(cString: strerror(errno)))", path: directory)
                }
                done += r
            }
        }
    }
}
