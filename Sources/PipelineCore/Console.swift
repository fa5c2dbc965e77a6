#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to standard output and standard error, safe from any thread.
///
/// The writer of streams that are not log messages: progress lines and bars redrawn in place
/// (``ProgressReporter``'s default sink; silence it with ``ProgressStyle/quiet`` or redirect it
/// with `sink:`), Keras-like epoch lines (`ProgressLogger`'s default sink), and the CLI's results
/// and errors. Library warnings and diagnostics do not come here: they go through swift-log
/// (`Logger` labels `pipeline.io`, `pipeline.training`, `pipeline.run`), which an application
/// redirects or silences with `LoggingSystem.bootstrap`; the CLI installs a handler that prints
/// them on standard error through this writer.
public enum Console {
    public static func error(_ text: String) { put(text, fd: 2) }
    public static func output(_ text: String) { put(text, fd: 1) }

    private static func put(_ text: String, fd: Int32) {
        var bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + off, $0.count - off) }
            if n <= 0 { if errno == EINTR { continue }; return }
            off += n
        }
        bytes.removeAll()
    }
}
