import PipelineCore
import PipelineIO
import Yams

/// `timeseries.time:` and its older spelling (`timestamp_column`, `timestamp_format`), parsed to
/// the CSV reader's ``CSVTime``.
///
/// ```yaml
/// time: auto                                   # the default
/// time: row_order                              # no time axis: rows in file order
/// time: {column: date, format: "yyyy/M/d H:mm"}
/// time: {columns: {year: year, month: month, day: day, hour: hour}}
/// ```
///
/// Failures: a pattern that ``TimestampFormat`` refuses, a `columns` map without year, month and
/// day, `time` given together with the older keys: ``InputError`` at the key's line.
extension TimeseriesSpec {
    static func time(_ m: SpecMap) throws -> CSVTime {
        let legacy = m.has("timestamp_column") || m.has("timestamp_format")
        if m.has("time") && legacy {
            throw m.fail(m.has("timestamp_column") ? "timestamp_column" : "timestamp_format",
                         "give either time or timestamp_column/timestamp_format, not both")
        }
        if legacy {
            let format = try m.string("timestamp_format")
            try format.map { try validate(format: $0, m, "timestamp_format") }
            return .column(try m.string("timestamp_column", default: "Date Time"), format: format)
        }
        guard let n = m.node("time"), !m.isNull(n) else { return .auto }
        if case .scalar(let s) = n {
            switch s.string {
            case "auto": return .auto
            case "row_order": return .none
            default:
                throw m.fail("time", "must be auto, row_order, {column: NAME, format: FORMAT} or {columns: {year: …, month: …, day: …}}",
                             hint: DidYouMean.hint(s.string, in: ["auto", "row_order"]) ?? "time: row_order takes the rows in file order")
            }
        }
        guard let t = try m.map("time", allowed: ["column", "format", "columns"]) else { return .auto }
        if t.has("columns") {
            if t.has("column") || t.has("format") { throw t.fail("columns", "give either column (with format) or columns") }
            let c = try t.map("columns", allowed: TimeColumns.partNames)!
            guard let y = try c.string("year"), let mo = try c.string("month"), let d = try c.string("day") else {
                throw t.fail("columns", "needs at least year, month and day")
            }
            let parts = TimeColumns(year: y, month: mo, day: d, hour: try c.string("hour"), minute: try c.string("minute"),
                                    second: try c.string("second"))
            if parts.minute != nil && parts.hour == nil { throw c.fail("minute", "needs hour") }
            if parts.second != nil && parts.minute == nil { throw c.fail("second", "needs minute") }
            return .columns(parts)
        }
        guard let column = try t.string("column") else { throw t.fail("column", "is required (or give columns)") }
        let format = try t.string("format")
        try format.map { try validate(format: $0, t, "format") }
        return .column(column, format: format)
    }

    private static func validate(format: String, _ m: SpecMap, _ key: String) throws {
        do { _ = try TimestampFormat(format) } catch let e as InputError {
            throw m.fail(key, e.message, hint: e.hint)
        }
    }

    static func yaml(_ time: CSVTime) -> Node {
        switch time {
        case .auto: return Y.str("auto")
        case .none: return Y.str("row_order")
        case .column(let c, let f): return Y.map([("column", Y.str(c)), ("format", Y.opt(f, Y.str))])
        case .columns(let tc):
            let pairs = zip(TimeColumns.partNames, tc.parts).compactMap { k, v in v.map { (k, Y.str($0)) } }
            return Y.map([("columns", Y.map(pairs))])
        }
    }
}
