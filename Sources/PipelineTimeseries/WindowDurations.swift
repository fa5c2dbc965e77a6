import PipelineCore

/// `lookback`, `step` and `delay` given as durations (`10d`, `1h`, `24h`, `30min`, `90s`, `2w`)
/// instead of rows, so the book's recipe carries over to hourly or 10-minute data unchanged.
///
/// ```swift
/// WindowDurations.parse("10d")                 // 864_000 seconds
/// var d = WindowDurations(); d.lookback = 864_000; d.step = 3600; d.delay = 86_400
/// try d.rows(timeStep: 600)                    // lookback 1440, step 6, delay 144 (the book's)
/// try d.rows(timeStep: 3600)                   // lookback 240, step 1, delay 24
/// ```
///
/// Semantics: each duration becomes `duration / time step` rows (``TimeStep``); it must be a
/// whole, positive multiple of the step (delay may be 0), else an ``InputError`` naming the key,
/// the duration and the step. A field left nil keeps its row count. Cost: O(1).
public struct WindowDurations: Codable, Sendable, Equatable {
    public var lookback: Int64?
    public var step: Int64?
    public var delay: Int64?

    public init(lookback: Int64? = nil, step: Int64? = nil, delay: Int64? = nil) {
        self.lookback = lookback; self.step = step; self.delay = delay
    }

    public var isEmpty: Bool { lookback == nil && step == nil && delay == nil }

    /// Seconds of `10d`, `1h`, `30min`, `90s`, `2w` (also with a space, or `m` for minutes); nil
    /// for anything else, including a plain number (that is a row count).
    public static func parse(_ text: String) -> Int64? {
        let s = text.replacingSpaces()
        let units: [(String, Int64)] = [("min", 60), ("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        for (suffix, seconds) in units where s.hasSuffix(suffix) {
            guard let n = Int64(s.dropLast(suffix.count)), n >= 0, n <= Int64.max / seconds else { return nil }
            return n * seconds
        }
        return nil
    }

    /// The row counts for rows `timeStep` seconds apart (nil where no duration was given).
    public func rows(timeStep: Int64) throws -> (lookback: Int?, step: Int?, delay: Int?) {
        func convert(_ d: Int64?, _ key: String, allowZero: Bool) throws -> Int? {
            guard let d else { return nil }
            guard timeStep > 0, d % timeStep == 0, allowZero || d > 0 else {
                throw InputError("\(WindowDurations.describe(d)) is not a whole number of \(WindowDurations.describe(timeStep)) rows",
                                 field: "timeseries.\(key)", value: WindowDurations.describe(d),
                                 hint: "give \(key) as a multiple of the time step, or as a row count")
            }
            return Int(d / timeStep)
        }
        return (try convert(lookback, "lookback", allowZero: false), try convert(step, "step", allowZero: false),
                try convert(delay, "delay", allowZero: true))
    }

    /// `10d`, `6h`, `30min`, `90s`.
    public static func describe(_ s: Int64) -> String {
        if s != 0 && s % 86_400 == 0 { return "\(s / 86_400)d" }
        if s != 0 && s % 3600 == 0 { return "\(s / 3600)h" }
        if s != 0 && s % 60 == 0 { return "\(s / 60)min" }
        return "\(s)s"
    }
}

extension String {
    func replacingSpaces() -> String { String(filter { $0 != " " }) }
}
