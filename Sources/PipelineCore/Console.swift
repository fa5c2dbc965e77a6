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
///
/// Status lines: a text written to standard error that starts with a carriage return and ends
/// without a newline (a progress bar, `"\r\u{1B}[K" + bar`) is drawn in place and remembered.
/// Any other text written while one is shown first erases it and, unless the text itself
/// starts with a carriage return (the bar's final line) or is a lone newline (the bar kept as it
/// is), draws it again underneath: a warning printed mid-epoch appears above the bar instead
/// of inside it. Writes are serialized by one lock, so lines of two threads never interleave.
public enum Console {
    public static func error(_ text: String) {
        status.withLock { shown in
            let isStatus = text.hasPrefix("\r") && !text.hasSuffix("\n")
            if isStatus { shown = text; put(text, fd: 2); return }
            guard let bar = shown else { put(text, fd: 2); return }
            if text == "\n" || text.hasPrefix("\r") { shown = nil; put(text, fd: 2); return }
            put("\r\u{1B}[K" + text + (text.hasSuffix("\n") ? "" : "\n") + bar, fd: 2)
        }
    }
    public static func output(_ text: String) { put(text, fd: 1) }

    /// Erases the status line on screen, if any (before output that must not follow it).
    public static func clearStatus() {
        status.withLock { shown in
            if shown != nil { put("\r\u{1B}[K", fd: 2); shown = nil }
        }
    }

    /// The status line drawn in place on standard error, if any.
    private static let status = Locked<String?>(nil)

    /// The width of the terminal on standard error (`TIOCGWINSZ`), or nil when it is not a terminal.
    public static var columns: Int? {
        var w = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 else { return nil }
        return Int(w.ws_col)
    }

    /// `line` cut to fit one row of a terminal `columns` wide (one column kept free, so the
    /// cursor never wraps and a carriage return redraws the same row).
    public static func fitted(_ line: String, columns: Int?) -> String {
        guard let columns, columns > 1, line.count >= columns else { return line }
        return String(line.prefix(columns - 1))
    }

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
