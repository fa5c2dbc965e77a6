#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How progress is shown: a live bar redrawn in place (for a terminal), plain lines every
/// few seconds (for logs and CI), or nothing.
public enum ProgressStyle: String, Sendable, Codable {
    case bar, lines, quiet

    /// `bar` when standard error is a terminal, `lines` otherwise.
    public static var automatic: ProgressStyle { isatty(2) != 0 ? .bar : .lines }
}

/// Counts items and bytes through a stage and reports the rate and ETA on standard error.
///
/// ```swift
/// let progress = ProgressReporter(label: "download", totalBytes: 84_125_825)
/// for try await chunk in body.reportingProgress(progress, bytes: \.count) { … }
/// progress.finish()
/// ```
/// Output (lines style): `download: 41.2 MB / 84.1 MB (49%), 120.3 MB/s, ETA 0:00:01`.
/// Thread-safe; redraws at most every 0.1 s (bar) or `interval` seconds (lines), so the
/// cost per update is a lock and a clock read.
public final class ProgressReporter: Sendable {
    struct State {
        var items = 0
        var bytes = 0
        var sourceBytes = 0
        var lastPrint: Double = 0
        var finished = false
        /// A bar is on screen without its newline.
        var drawn = false
    }
    public let label: String
    public let totalItems: Int?
    public let totalBytes: Int?
    public let style: ProgressStyle
    public let interval: Double
    /// Which bytes the line shows: those given as `bytes:` (what the stage saw, e.g. the
    /// decompressed text) or those given as `sourceBytes:` (read from the source file, e.g. the
    /// compressed archive, whose size `totalBytes` then is).
    public let shows: ShownBytes
    public enum ShownBytes: Sendable { case stage, source }
    let start: Double
    let state = Locked(State())
    let sink: @Sendable (String) -> Void

    public init(label: String, totalItems: Int? = nil, totalBytes: Int? = nil,
                style: ProgressStyle = .automatic, interval: Double = 5, shows: ShownBytes = .stage,
                sink: @escaping @Sendable (String) -> Void = { Console.error($0) }) {
        self.label = label; self.totalItems = totalItems; self.totalBytes = totalBytes
        self.style = style; self.interval = interval; self.shows = shows; self.sink = sink
        start = ProgressReporter.now()
        state.withLock { $0.lastPrint = start }
    }

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    public var items: Int { state.withLock { $0.items } }
    public var bytes: Int { state.withLock { $0.bytes } }
    public var sourceBytes: Int { state.withLock { $0.sourceBytes } }

    /// Counts `items` and `bytes` seen by the stage and `sourceBytes` read from the source;
    /// redraws when due.
    public func advance(items: Int = 0, bytes: Int = 0, sourceBytes: Int = 0) {
        guard style != .quiet else {
            state.withLock { $0.items += items; $0.bytes += bytes; $0.sourceBytes += sourceBytes }
            return
        }
        let t = ProgressReporter.now()
        let line: String? = state.withLock { s in
            s.items += items; s.bytes += bytes; s.sourceBytes += sourceBytes
            let gap = style == .bar ? 0.1 : interval
            guard t - s.lastPrint >= gap else { return nil }
            s.lastPrint = t
            if style == .bar { s.drawn = true }
            return render(s, now: t)
        }
        if let line { sink(style == .bar ? "\r\u{1B}[K" + Console.fitted(line, columns: Console.columns) : line + "\n") }
    }

    /// Prints the final line, `… done in h:mm:ss` (once). Call it only when the stage succeeded:
    /// on failure call ``abandon()``, so that no "done" precedes the error.
    public func finish() {
        let t = ProgressReporter.now()
        let line: String? = state.withLock { s in
            if s.finished || style == .quiet { return nil }
            s.finished = true
            return render(s, now: t) + " done in \(ProgressReporter.clock(t - start))"
        }
        if let line { sink(style == .bar ? "\r\u{1B}[K" + line + "\n" : line + "\n") }
    }

    /// Ends the progress of a stage that failed (once, and not after ``finish()``): a bar on
    /// screen gets its newline, so the error that follows starts on a line of its own; nothing
    /// says "done". Use `do { …; reporter.finish() } catch { reporter.abandon(); throw error }`.
    public func abandon() {
        let drawn: Bool = state.withLock { s in
            if s.finished { return false }
            s.finished = true
            return s.drawn
        }
        if drawn { sink("\n") }
    }

    /// Runs `body`, then ``finish()`` when it returns or ``abandon()`` when it throws.
    public func run<R>(_ body: () async throws -> R) async throws -> R {
        do { let r = try await body(); finish(); return r } catch { abandon(); throw error }
    }

    func render(_ s: State, now t: Double) -> String {
        let elapsed = max(t - start, 1e-9)
        var parts: [String] = []
        var fraction: Double?
        let bytes = shows == .source ? s.sourceBytes : s.bytes
        if let totalBytes, totalBytes > 0 {
            fraction = Double(bytes) / Double(totalBytes)
            parts.append("\(ProgressReporter.size(bytes)) / \(ProgressReporter.size(totalBytes))")
        } else if bytes > 0 {
            parts.append(ProgressReporter.size(bytes))
        }
        if let totalItems, totalItems > 0 {
            fraction = fraction ?? Double(s.items) / Double(totalItems)
            parts.append("\(s.items) / \(totalItems) items")
        } else if s.items > 0 {
            parts.append("\(s.items) items")
        }
        if bytes > 0 { parts.append("\(ProgressReporter.size(Int(Double(bytes) / elapsed)))/s") }
        else if s.items > 0 { parts.append("\(Int(Double(s.items) / elapsed)) items/s") }
        var head = "\(label):"
        if let f = fraction {
            let pct = Int((min(f, 1) * 100).rounded(.down))
            if style == .bar {
                let width = 24, filled = Int(min(f, 1) * Double(width))
                head += " [" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]"
            }
            head += " \(pct)%"
            if f > 0 && f < 1 { parts.append("ETA \(ProgressReporter.clock(elapsed * (1 - f) / f))") }
        }
        return head + " " + parts.joined(separator: ", ")
    }

    /// `h:mm:ss`.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let h = s / 3600, m = (s / 60) % 60, sec = s % 60
        return "\(h):" + (m < 10 ? "0" : "") + "\(m):" + (sec < 10 ? "0" : "") + "\(sec)"
    }

    /// Decimal units: `84.1 MB`.
    public static func size(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = Double(bytes), u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        if u == 0 { return "\(bytes) B" }
        let r = (v * 10).rounded() / 10
        return "\(r) \(units[u])"
    }
}

extension AsyncSequence {
    /// Counts every element (and its bytes, if `bytes` is given) into `reporter` as it passes.
    public func reportingProgress(_ reporter: ProgressReporter,
                                  bytes: (@Sendable (Element) -> Int)? = nil) -> AsyncMapSequence<Self, Element> {
        map { x in
            reporter.advance(items: 1, bytes: bytes?(x) ?? 0)
            return x
        }
    }
}
