import Foundation
import PipelineCore

/// How much of a table the repairs (time axis `fill`/`drop`, missing values `drop_row`) may
/// change: rows inserted plus rows dropped, as a share of the rows read from the file.
///
/// ```swift
/// let limit = RepairLimit(maxFraction: 0.01, step: 600)      // timeseries.max_repaired_fraction
/// try limit.check(table.counts, rows: table.rowCount, source: "jena.csv")
/// limit.summary(table.counts, rows: table.rowCount, gridGaps: 3)   // "repairs: 12 rows inserted …"
/// ```
///
/// Semantics: `rowsRead = rows - inserted + droppedTime + droppedMissing`; the check fails when
/// `inserted + droppedTime + droppedMissing > maxFraction × rowsRead`. Missing cells filled in
/// place (`interpolate`, `fill_previous`) are counted and reported but not limited. A wrong
/// `step_seconds` under `fill` (most rows "missing") or a `drop_row` that removes a large part of
/// the file therefore stops the run instead of training on invented or thinned data.
/// Default 1 % (``defaultMaxFraction``; spec key `timeseries.max_repaired_fraction`).
/// Cost: O(1). Fails with ``InputError`` naming the file, each count, the share and the key.
public struct RepairLimit: Sendable, Equatable {
    public static let defaultMaxFraction = 0.01
    public var maxFraction: Double
    /// The time step in seconds, quoted in the hint when rows were inserted.
    public var step: Int64

    public init(maxFraction: Double = RepairLimit.defaultMaxFraction, step: Int64) {
        self.maxFraction = maxFraction; self.step = step
    }

    /// Rows read from the source before any repair, for a table of `rows` rows after them.
    public static func rowsRead(_ c: TableCounts, rows: Int) -> Int {
        rows - c.rowsInserted + c.rowsDroppedTime + c.rowsDroppedMissing
    }

    /// Rows inserted plus rows dropped.
    public static func repaired(_ c: TableCounts) -> Int {
        c.rowsInserted + c.rowsDroppedTime + c.rowsDroppedMissing
    }

    public func check(_ c: TableCounts, rows: Int, source: String) throws {
        let read = RepairLimit.rowsRead(c, rows: rows), changed = RepairLimit.repaired(c)
        guard Double(changed) > maxFraction * Double(read) else { return }
        var hint = ""
        if c.rowsInserted > 0 { hint += "check step_seconds (\(step) s) against the file's timestamps; " }
        if c.rowsDroppedMissing > 0 { hint += "consider missing: interpolate or fill_previous; " }
        hint += "raise timeseries.max_repaired_fraction to accept this"
        throw InputError("the repairs change too much of the data: \(RepairLimit.describe(c)), \(changed) of \(read) rows read "
                         + "(\(RepairLimit.percent(changed, read))), more than max_repaired_fraction \(maxFraction) "
                         + "(\(RepairLimit.percent(maxFraction)))",
                         at: SourceLocation(file: source), hint: hint)
    }

    /// One line on what the repairs did, or nil when they changed nothing.
    public func summary(_ c: TableCounts, rows: Int, gridGaps: Int) -> String? {
        let changed = RepairLimit.repaired(c)
        guard changed > 0 || gridGaps > 0 else { return nil }
        let read = RepairLimit.rowsRead(c, rows: rows)
        var s = "repairs: \(RepairLimit.describe(c)) (\(RepairLimit.percent(changed, read)) of \(read) rows read, "
            + "limit \(RepairLimit.percent(maxFraction)))"
        if gridGaps > 0 { s += "; the time grid has \(gridGaps) gap\(gridGaps == 1 ? "" : "s") left" }
        return s
    }

    static func describe(_ c: TableCounts) -> String {
        var parts: [String] = []
        if c.rowsInserted > 0 { parts.append("time_axis inserted \(c.rowsInserted) rows in \(c.gaps) gaps") }
        if c.rowsDroppedTime > 0 { parts.append("time_axis dropped \(c.rowsDroppedTime) duplicate, backward or off-grid rows") }
        if c.rowsDroppedMissing > 0 { parts.append("missing: drop_row dropped \(c.rowsDroppedMissing) rows") }
        return parts.isEmpty ? "no rows inserted or dropped" : parts.joined(separator: ", ")
    }

    public static func percent(_ part: Int, _ whole: Int) -> String {
        percent(whole > 0 ? Double(part) / Double(whole) : 0)
    }

    static func percent(_ f: Double) -> String {
        let s = String(format: "%.2f", f * 100)
        return (s.hasSuffix(".00") ? String(s.dropLast(3)) : s) + " %"
    }

    /// Places where consecutive timestamps are not exactly `step` apart (a grid left with gaps
    /// by `time_axis: drop` or `missing: drop_row`).
    public static func gridGaps(_ timestamps: [Int64], step: Int64) -> Int {
        var n = 0
        for i in timestamps.indices.dropFirst() where timestamps[i] - timestamps[i - 1] != step { n += 1 }
        return n
    }
}
