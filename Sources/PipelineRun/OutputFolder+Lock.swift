import Foundation
import PipelineCore

extension OutputFolder {
    /// An exclusive lock on an output or run folder while one `pipeline` process writes it, so a
    /// second `pipeline run --resume DIR` (or `--output DIR --overwrite`, or `pipeline prepare`)
    /// on the same folder fails at once instead of interleaving its checkpoints with the first's.
    ///
    /// ```swift
    /// let lock = try OutputFolder.Lock(dir)   // throws when another process holds it
    /// defer { lock.release() }
    /// ```
    ///
    /// Semantics: `flock(LOCK_EX | LOCK_NB)` on the folder itself (an `O_DIRECTORY` descriptor),
    /// so no lock file is added to the user's folder. The kernel drops the lock when the process
    /// ends in any way (SIGKILL included), so a killed run never leaves a stale lock behind.
    /// Failure modes: held by another process → ``IOFailure`` naming the folder; a filesystem
    /// without `flock` support (some network mounts answer `ENOLCK`/`EOPNOTSUPP`) → no lock,
    /// silently (the folder works as before). Cost: one `open` and one `flock`.
    public final class Lock: @unchecked Sendable {
        private var fd: Int32

        /// Takes the lock on `path`, which must exist. Throws ``IOFailure`` when another process holds it.
        public init(_ path: String) throws {
            fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return }   // not there (yet): nothing to protect
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let busy = errno == EWOULDBLOCK
                close(fd); fd = -1
                if busy {
                    throw IOFailure("another pipeline process is writing this folder", path: path,
                                    hint: "wait for it to end or stop it, then run again; a run killed with SIGKILL "
                                        + "holds no lock, but the MPI ranks of a killed job can run on for a few seconds")
                }
            }
        }

        /// Whether this process holds the lock (false when the folder did not exist or the
        /// filesystem does not support `flock`).
        public var isHeld: Bool { fd >= 0 }

        /// Releases the lock (also done when the process ends).
        public func release() {
            if fd >= 0 { close(fd); fd = -1 }
        }

        deinit { release() }
    }
}
