import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that it either appears complete under its final name or not at all.
///
/// ```swift
/// try AtomicFile.write(bytes, to: "out/x_train.npy")
/// let w = try AtomicFile(path: "out/big.bin"); try w.write(chunk); try w.commit()
/// ```
///
/// Semantics: bytes go to `PATH.tmp-PID-N` in the same directory; ``commit()`` flushes,
/// fsyncs and renames over `path` (atomic on POSIX). A writer that is dropped or
/// ``abort()``ed without commit removes its temporary file, so a failed run never leaves a
/// half-written file that looks finished. Fails with ``IOFailure`` naming the path.
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var done = false
    private static let counter = Atomic<Int>(0)

    public init(path: String) throws {
        self.path = path
        let n = AtomicFile.counter.wrappingAdd(1, ordering: .relaxed).newValue
        temporaryPath = "\(path).tmp-\(getpid())-\(n)"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw IOFailure("cannot create file: \(String(cString: strerror(errno)))", path: path,
                            hint: "check that the directory exists and is writable")
        }
    }

    deinit { if !done { abort() } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc_write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                let msg = String(cString: strerror(errno))
                abort()
                throw IOFailure("write failed: \(msg)", path: path, hint: "is the disk full?")
            }
            off += n
        }
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
    public func write(_ string: String) throws { try write(Array(string.utf8)) }

    /// Flushes and renames the temporary file over `path`.
    public func commit() throws {
        precondition(!done, "AtomicFile committed or aborted twice")
        if fsync(fd) != 0 && errno != EINVAL {
            let msg = String(cString: strerror(errno)); abort()
            throw IOFailure("fsync failed: \(msg)", path: path)
        }
        close(fd)
        done = true
        if rename(temporaryPath, path) != 0 {
            let msg = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw IOFailure("cannot rename into place: \(msg)", path: path)
        }
    }

    /// Discards everything written; the final path is untouched.
    public func abort() {
        guard !done else { return }
        done = true
        close(fd)
        unlink(temporaryPath)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let f = try AtomicFile(path: path)
        try f.write(bytes)
        try f.commit()
    }

    public static func write(_ string: String, to path: String) throws {
        try write(Array(string.utf8), to: path)
    }
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}
