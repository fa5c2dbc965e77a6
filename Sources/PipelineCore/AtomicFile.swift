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
/// half-written file that looks finished. When `path` lies in an output folder adopted by
/// ``OutputManifest``, its name is recorded in that folder's manifest before the temporary file
/// is created, so `--overwrite` can later remove it (and never anything it did not write).
/// Fails with ``IOFailure`` naming the path and the system's reason (`No space left on device`).
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var done = false
    private static let counter = Atomic<Int>(0)
    /// True once the process is exiting at once (``closeForExit()``): no temporary file may appear
    /// after that, so the sweep that follows finds them all.
    private static let closed = Locked(false)

    /// For a handler that removes this process's temporary files and exits: after this returns,
    /// every temporary file is either on disk (created before) or never created (`init` throws).
    /// Creation and this call take the same lock, so none slips in between the sweep and the exit.
    public static func closeForExit() { closed.withLock { $0 = true } }

    public convenience init(path: String) throws {
        try self.init(path: path, recordInManifest: true)
    }

    /// `recordInManifest: false` is for ``OutputManifest``'s own file.
    init(path: String, recordInManifest: Bool) throws {
        self.path = path
        let n = AtomicFile.counter.wrappingAdd(1, ordering: .relaxed).newValue
        temporaryPath = "\(path).tmp-\(getpid())-\(n)"
        if recordInManifest { try OutputManifest.record(path) }
        let temporary = temporaryPath
        let opened: Int32? = AtomicFile.closed.withLock { closed in
            closed ? nil : open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard let opened else {
            fd = -1; done = true
            throw IOFailure("not written: the process is exiting", path: path)
        }
        fd = opened
        if fd < 0 {
            let code = errno
            throw IOFailure("cannot create file: \(String(cString: strerror(code)))", path: path,
                            hint: "check that the directory exists and is writable")
        }
    }

    deinit { if !done { abort() } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc_write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n <= 0 {
                // Read errno before anything else can change it; a write of 0 bytes is a full device.
                let code = n == 0 ? ENOSPC : errno
                if code == EINTR { continue }
                abort()
                throw IOFailure("write failed: \(String(cString: strerror(code)))", path: path,
                                hint: code == ENOSPC ? "free some disk space or choose another --output" : "check the disk and its permissions")
            }
            off += n
        }
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
    public func write(_ string: String) throws { try write(Array(string.utf8)) }

    /// Flushes and renames the temporary file over `path`.
    public func commit() throws {
        precondition(!done, "AtomicFile committed or aborted twice")
        if fsync(fd) != 0, case let code = errno, code != EINVAL {
            let msg = String(cString: strerror(code)); abort()
            throw IOFailure("fsync failed: \(msg)", path: path)
        }
        close(fd)
        done = true
        if rename(temporaryPath, path) != 0 {
            let code = errno
            let msg = String(cString: strerror(code))
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
