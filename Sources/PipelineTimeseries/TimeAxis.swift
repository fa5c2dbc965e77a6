import PipelineCore

/// What to do when timestamps do not advance by exactly one step.
///
/// - `error`: fail at the first gap, duplicate, backward or off-grid timestamp.
/// - `fill`: insert one row per missing step of a gap (values NaN, line 0, for the missing-value
///   policy to fill, e.g. `interpolate`); drop duplicate, backward and early (off-grid) rows.
/// - `drop`: drop duplicate, backward and early rows; leave gaps in place (counted in `gaps`).
public enum TimeAxisPolicy: String, Sendable, Codable, CaseIterable {
    case error, fill, drop
}

/// Checks that the timestamps of a ``TableChunk`` stream increase by a fixed `step` seconds
/// (600 for the Jena data) and repairs them by ``TimeAxisPolicy``, chunk by chunk.
///
/// ```swift
/// var axis = TimeAxisChecker(step: 600, policy: .fill)
/// let repaired = try axis.push(chunk)      // carries the last timestamp to the next chunk
/// ```
///
/// Semantics: compares each row with the last row kept. Delta `step`: kept. Delta 0: a
/// duplicate; delta < 0: backwards; 0 < delta < step: early (off-grid); delta > step: a gap of
/// `delta / step - 1` missing rows (rounded down when off-grid; the late row is kept).
/// `counts.gaps`, `rowsInserted`, `rowsDroppedTime` record what was done. Cost: one pass over
/// the timestamps; a copy of the chunk only when rows are inserted or dropped.
///
/// Memory bound under `fill`: rows inserted so far may not exceed `maxRepairedFraction` of the
/// rows read so far plus an allowance of ``earlyInsertCells`` cells (so that a genuine gap near
/// the start passes; the exact share is checked once the stream has ended, by ``RepairLimit``).
/// A gap that would cross it is refused before a single row of it is made, so a wrong
/// `step_seconds` or two timestamps years apart cannot exhaust memory.
/// Fails with ``InputError`` at `file:line:column` of the timestamp, with both timestamps, under
/// `error`, or when the bound above is crossed; a chunk without timestamps is a programmer
/// error (precondition).
public struct TimeAxisChecker: Sendable {
    public let step: Int64
    public let policy: TimeAxisPolicy
    public let maxRepairedFraction: Double
    private var last: Int64?
    private var lastLine = 0
    private var rowsRead = 0
    private var inserted = 0

    /// Cells (rows × features) that `fill` may insert beyond `maxRepairedFraction` of the rows
    /// read so far: 16 Mi cells, 64 MB of Float32.
    public static let earlyInsertCells = 16 << 20

    public init(step: Int64, policy: TimeAxisPolicy, maxRepairedFraction: Double = 1) {
        precondition(step > 0, "time step must be > 0")
        precondition(maxRepairedFraction >= 0, "maxRepairedFraction must be >= 0")
        self.step = step; self.policy = policy; self.maxRepairedFraction = maxRepairedFraction
    }

    public mutating func push(_ chunk: TableChunk) throws -> TableChunk {
        precondition(chunk.timestamps.count == chunk.rowCount, "the table has no timestamp column")
        var out: TableChunk?                         // created on the first repair
        var copied = 0                               // rows of `chunk` already in `out`
        for r in 0..<chunk.rowCount {
            rowsRead += 1
            let t = chunk.timestamps[r]
            guard let prev = last else { last = t; lastLine = chunk.lines[r]; continue }
            let d = t - prev
            if d == step { last = t; lastLine = chunk.lines[r]; continue }
            if policy == .error { throw problem(chunk, r, prev, d) }
            if out == nil { out = chunk.emptyCopy(); out!.counts = chunk.counts }
            out!.append(rowsOf: chunk, copied..<r)
            copied = r
            if d < step {                            // duplicate, backwards or early: drop
                out!.counts.rowsDroppedTime += 1
                copied = r + 1
                continue
            }
            out!.counts.gaps += 1
            if policy == .fill {
                let missing = Int(min(d / step - 1, Int64(Int.max / 2)))
                let allowed = Int(maxRepairedFraction * Double(rowsRead))
                    + TimeAxisChecker.earlyInsertCells / max(1, chunk.featureCount)
                if missing > allowed - inserted {
                    throw InputError("filling this gap would insert \(missing) rows (\(inserted) inserted before it, "
                                     + "\(rowsRead) rows read), more than max_repaired_fraction \(maxRepairedFraction) allows "
                                     + "(previous timestamp: \(TimeAxisChecker.format(prev)) on line \(lastLine))",
                                     at: SourceLocation(file: chunk.source, line: chunk.lines[r] == 0 ? nil : chunk.lines[r],
                                                        column: chunk.timestampColumnNumber),
                                     field: chunk.timestampColumn, value: TimeAxisChecker.format(t),
                                     hint: "check step_seconds (\(step) s) against the file's timestamps, "
                                         + "or raise timeseries.max_repaired_fraction")
                }
                inserted += missing
                var ts = prev + step
                while ts < t {
                    out!.values.append(contentsOf: repeatElement(Float.nan, count: chunk.featureCount))
                    out!.timestamps.append(ts); out!.lines.append(0)
                    out!.counts.rowsInserted += 1
                    ts += step
                }
            }
            last = t; lastLine = chunk.lines[r]
        }
        guard var result = out else { return chunk }
        result.append(rowsOf: chunk, copied..<chunk.rowCount)
        return result
    }

    private func problem(_ c: TableChunk, _ r: Int, _ prev: Int64, _ d: Int64) -> InputError {
        var what: String
        if d == 0 { what = "duplicate timestamp" } else if d < 0 { what = "timestamps go backwards" } else if d < step {
            what = "timestamp comes \(d) s after the previous one, less than the step of \(step) s"
        } else { what = "gap in the time axis: \(d / step - 1) row(s) missing" }
        if let change = DaylightSaving.transition(previous: prev, delta: d, step: step) {
            what = "a daylight-saving change (\(change)) in local time: " + what
        }
        return InputError("\(what) (previous: \(TimeAxisChecker.format(prev)) on line \(lastLine))",
                          at: SourceLocation(file: c.source, line: c.lines[r] == 0 ? nil : c.lines[r],
                                             column: c.timestampColumnNumber),
                          field: c.timestampColumn, value: TimeAxisChecker.format(c.timestamps[r]),
                          hint: "set timeseries.time_axis to fill or drop to repair the time axis")
    }

    /// `yyyy-MM-dd HH:mm:ss` (UTC) of seconds since 1970.
    public static func format(_ t: Int64) -> String {
        let days = Int(CivilDate.day(of: t)), secs = Int(t - Int64(days) * 86_400)
        let (y, m, d) = CivilDate.date(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))"
    }
}
