/// Tells a server that drips bytes from one that serves: over every `window` seconds spent
/// waiting for the network, at least `minBytesPerSecond × window` bytes must arrive.
///
/// ```swift
/// var stall = StallDetector(window: 60, minBytesPerSecond: 1000)
/// let t0 = ProgressReporter.now()
/// let buffer = try await body.next()
/// if let slow = stall.record(bytes: buffer.count, waited: ProgressReporter.now() - t0) { throw … }
/// ```
/// Semantics: only the time spent inside the body's `next()` counts, so a consumer that
/// pauses (backpressure in stream mode) never makes the server look slow. The window closes
/// when the waits add up to `window`; it is a stall when fewer bytes than the floor arrived
/// during it, otherwise a new window starts. Total silence is caught earlier by the HTTP
/// client's read timeout (the same `window`); this catches the drip (1 byte a second) that
/// resets a read timeout forever. `minBytesPerSecond == 0` turns it off. Cost: two additions
/// per network buffer.
struct StallDetector {
    let window: Double
    let minBytesPerSecond: Double
    private var waited = 0.0
    private var bytes = 0

    init(window: Double, minBytesPerSecond: Double) {
        self.window = window; self.minBytesPerSecond = minBytesPerSecond
    }

    /// What a closed window saw when it was too slow.
    struct Stall: Equatable {
        var bytes: Int
        var seconds: Double
    }

    /// Counts one wait; a ``Stall`` when it closes a window below the floor.
    mutating func record(bytes received: Int, waited seconds: Double) -> Stall? {
        guard minBytesPerSecond > 0 else { return nil }
        waited += max(seconds, 0)
        bytes += received
        guard waited >= window else { return nil }
        defer { reset() }
        return Double(bytes) < minBytesPerSecond * waited ? Stall(bytes: bytes, seconds: waited) : nil
    }

    /// Starts a new window (a new response).
    mutating func reset() { waited = 0; bytes = 0 }
}
