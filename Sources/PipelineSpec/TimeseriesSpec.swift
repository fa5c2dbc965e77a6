import PipelineCore
import PipelineIO
import PipelineTimeseries
import Yams

/// `timeseries:` the weather path: CSV reading, missing values, time axis, normalisation and the
/// book's windows (`lookback`, `step`, `delay`, row ranges).
///
/// ```yaml
/// timeseries:
///   target: "T (degC)"
///   lookback: 1440          # 10 days of 10-minute rows
///   step: 6                 # one row per hour
///   delay: 144              # 24 hours ahead
///   ranges: {train: [0, 200000], validation: [200001, 300000], test: [300001, null]}
/// ```
/// The time axis (`time:`, see ``CSVTime``): `auto` (the default: `Date Time`, else a column
/// whose cells parse as timestamps, else year/month/day[/hour[/minute]] columns, else row
/// order), `row_order`, `{column: NAME, format: FORMAT}` (format optional: detected), or
/// `{columns: {year: …, month: …, day: …, hour: …}}`. The older `timestamp_column` and
/// `timestamp_format` keys mean `{column: …, format: …}`. `step_seconds` is `auto` (the default:
/// the most common gap of the first rows, ``TimeStep``) or a number of seconds.
///
/// Row ranges are inclusive of both ends, as the book's `min_index`/`max_index`; `fractions`
/// (`{train: 0.5, validation: 0.25}`, test the rest) is the alternative for files of other sizes.
///
/// Limits: `max_line_bytes` (default 1048576, 1 MiB; at most 1 GiB) bounds one CSV record, so a file without
/// line breaks cannot exhaust memory; `max_repaired_fraction` (default 0.01, 1 %) bounds the rows
/// that `time_axis: fill|drop` and `missing: drop_row` may insert plus drop, as a share of the
/// rows read (raise it, up to 1, to accept a file with many gaps); `max_table_bytes` (default
/// 67108864, 64 MiB) bounds the table held in memory (4 bytes per cell and 16 per row), the one
/// place the weather path holds the whole input.
public struct TimeseriesSpec: Sendable, Equatable {
    // `missing` and `time_axis` are the engine's own ``MissingValuePolicy`` and ``TimeAxisPolicy``
    // (raw values are the spec's spellings); `missing: keep` is the reader's, not offered here.
    static let missingChoices: [MissingValuePolicy] = [.error, .dropRow, .fillPrevious, .interpolate]
    public enum Encoding: String, Sendable, CaseIterable { case auto, utf8, latin1 }

    /// Inclusive row bounds; `end == nil` means the last row.
    public struct RowRange: Sendable, Equatable { public var start: Int; public var end: Int? }
    public enum Ranges: Sendable, Equatable {
        case rows(train: RowRange, validation: RowRange, test: RowRange?)
        case fractions(train: Double, validation: Double)

        /// Concrete inclusive ranges for a file of `rows` rows; nil for a range that holds no
        /// row of the file (it starts past the last row, or a fraction rounds to nothing).
        public func resolve(rows: Int) -> (train: ClosedRange<Int>?, validation: ClosedRange<Int>?, test: ClosedRange<Int>?) {
            func range(_ lo: Int, _ hi: Int) -> ClosedRange<Int>? { lo <= hi ? lo...hi : nil }
            switch self {
            case let .rows(t, v, te):
                func r(_ x: RowRange) -> ClosedRange<Int>? { range(x.start, min(x.end ?? rows - 1, rows - 1)) }
                return (r(t), r(v), te.flatMap(r))
            case let .fractions(t, v):
                let trainEnd = Int(Double(rows) * t) - 1
                let valEnd = Int(Double(rows) * (t + v)) - 1
                return (range(0, trainEnd), range(trainEnd + 1, valEnd), range(valEnd + 1, rows - 1))
            }
        }
    }

    /// Where each row's time comes from (the CSV reader's own option type).
    public var time: CSVTime
    public var columns: [String]?
    public var delimiter: String
    public var encoding: Encoding
    public var missingValues: [String]
    public var missing: MissingValuePolicy
    public var stepSeconds: TimeStep
    public var timeAxis: TimeAxisPolicy
    public var target: String
    /// Row counts; when given as durations (`10d`, `1h`), `durations` holds them and these
    /// keep the defaults until prepare converts them with the time step.
    public var lookback: Int
    public var step: Int
    public var delay: Int
    public var ranges: Ranges
    public var shuffle: Bool
    public var maxLineBytes: Int
    /// Text columns one-hot encoded with the training rows' categories, and calendar features.
    public var categorical: [String]
    public var calendar: [FeatureExpansion.Calendar]
    /// The most distinct values of one categorical column (default 1000).
    public var maxCategories: Int
    /// The target's unit for messages and results (`target_unit`); nil: parsed from the column
    /// name (`T (degC)` → °C), else none.
    public var targetUnit: String?
    /// `lookback`, `step`, `delay` given as durations (seconds), converted at prepare.
    public var durations: WindowDurations
    public var maxRepairedFraction: Double
    public var maxTableBytes: Int

    static let keys = ["time", "timestamp_column", "timestamp_format", "columns", "delimiter", "encoding", "missing_values",
                       "missing", "step_seconds", "time_axis", "target", "lookback", "step", "delay", "ranges",
                       "fractions", "shuffle", "max_line_bytes", "categorical", "calendar", "max_categories", "target_unit", "max_repaired_fraction", "max_table_bytes"]

    init(_ m: SpecMap) throws {
        time = try TimeseriesSpec.time(m)
        columns = try m.strings("columns")
        delimiter = try m.string("delimiter", default: ",")
        if delimiter.utf8.count != 1 { throw m.fail("delimiter", "must be a single character") }
        encoding = try m.choice("encoding", default: .auto)
        missingValues = try m.strings("missing_values") ?? ["-9999", "NA", ""]
        missing = try m.choice("missing", default: .interpolate, among: TimeseriesSpec.missingChoices)
        stepSeconds = try m.string("step_seconds") == "auto" ? .auto
            : (try m.int("step_seconds", min: 1)).map { .seconds(Int64($0)) } ?? .auto
        timeAxis = try m.choice("time_axis", default: .error)
        target = try m.string("target", default: "T (degC)")
        var spans = WindowDurations()
        func span(_ key: String, default d: Int, min: Int) throws -> Int {
            if let s = try m.string(key), let seconds = WindowDurations.parse(s) {
                if seconds < Int64(min) || (min > 0 && seconds == 0) { throw m.fail(key, "must be > 0") }
                switch key { case "lookback": spans.lookback = seconds; case "step": spans.step = seconds
                default: spans.delay = seconds }
                return d
            }
            do { return try m.int(key, default: d, min: min) } catch {
                throw m.fail(key, "must be a number of rows or a duration such as 10d, 1h, 30min, 90s")
            }
        }
        lookback = try span("lookback", default: 1440, min: 1)
        step = try span("step", default: 6, min: 1)
        delay = try span("delay", default: 144, min: 0)
        durations = spans
        if (durations.lookback == nil) != (durations.step == nil) && m.has("lookback") && m.has("step") {
            throw m.fail("step", "give lookback and step both as durations or both as row counts")
        }
        if let l = durations.lookback, let s = durations.step, s > l { throw m.fail("step", "must be <= lookback") }
        shuffle = try m.bool("shuffle", default: true)
        maxLineBytes = try m.int("max_line_bytes", default: 1 << 20, min: 1, max: 1 << 30)
        categorical = try m.strings("categorical") ?? []
        calendar = try (m.strings("calendar") ?? []).map { name in
            guard let c = FeatureExpansion.Calendar(rawValue: name) else {
                let names = FeatureExpansion.Calendar.allCases.map(\.rawValue)
                throw m.fail("calendar", "unknown calendar feature '\(name)': must be among " + names.joined(separator: ", "),
                             hint: DidYouMean.hint(name, in: names) ?? "calendar features: " + names.joined(separator: ", "))
            }
            return c
        }
        maxCategories = try m.int("max_categories", default: 1000, min: 1, max: 1 << 20)
        targetUnit = try m.string("target_unit")
        if categorical.contains(target) { throw m.fail("categorical", "the target '\(target)' cannot be categorical") }
        if let c = columns, let missing = categorical.first(where: { !c.contains($0) }) {
            throw m.fail("categorical", "'\(missing)' is not among columns", hint: "list it in columns too, or leave columns out")
        }
        maxRepairedFraction = try m.double("max_repaired_fraction", default: 0.01, min: 0, max: 1)
        maxTableBytes = try m.int("max_table_bytes", default: 64 << 20, min: 1024, max: 1 << 40)
        if durations.lookback == nil && durations.step == nil && step > lookback {
            throw m.fail("step", "must be <= lookback (\(lookback))")
        }
        if m.has("ranges") && m.has("fractions") {
            throw m.fail("fractions", "give either ranges or fractions, not both")
        }
        if let f = try m.map("fractions", allowed: ["train", "validation"]) {
            let t = try f.double("train", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true) ?? 0.5
            let v = try f.double("validation", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true) ?? 0.25
            if t + v > 1 { throw f.fail("validation", "train + validation must be <= 1") }
            ranges = .fractions(train: t, validation: v)
        } else if let r = try m.map("ranges", allowed: ["train", "validation", "test"]) {
            func range(_ key: String) throws -> RowRange? {
                guard let n = r.node(key), !r.isNull(n) else { return nil }
                guard case .sequence(let s) = n, s.count == 2,
                      let a = s[0].scalar.flatMap({ Int($0.string) }), a >= 0 else {
                    throw r.fail(key, "must be [first_row, last_row] (last_row may be null)")
                }
                let last = s[1].scalar?.string
                let b: Int? = (last == nil || last == "null" || last == "~") ? nil : Int(last!)
                if last != nil && last != "null" && last != "~" && b == nil { throw r.fail(key, "last_row must be an integer or null") }
                if let b, b < a { throw r.fail(key, "last_row must be >= first_row") }
                return RowRange(start: a, end: b)
            }
            guard let t = try range("train"), let v = try range("validation") else {
                throw r.fail(r.has("train") ? "validation" : "train", "is required")
            }
            if let te = t.end, v.start <= te { throw r.fail("validation", "must start after the train range ends (\(te))") }
            ranges = .rows(train: t, validation: v, test: try range("test"))
        } else {
            ranges = .rows(train: RowRange(start: 0, end: 200_000), validation: RowRange(start: 200_001, end: 300_000),
                           test: RowRange(start: 300_001, end: nil))
        }
    }

    /// Timesteps per window when they are known before the data is read: rows, or durations on
    /// both lookback and step (a duration lookback over a row step depends on the data's step).
    public var timesteps: Int? {
        switch (durations.lookback, durations.step) {
        case (nil, nil): return (lookback + step - 1) / step
        case let (l?, s?): return Int((l + s - 1) / s)
        default: return nil
        }
    }

    var yaml: Node {
        var rangeNode: (String, Node)
        switch ranges {
        case let .rows(t, v, te):
            func r(_ x: RowRange) -> Node { Y.list([Y.int(x.start), Y.opt(x.end, Y.int)]) }
            rangeNode = ("ranges", Y.map([("train", r(t)), ("validation", r(v)), ("test", Y.opt(te, r))]))
        case let .fractions(t, v):
            rangeNode = ("fractions", Y.map([("train", Y.num(t)), ("validation", Y.num(v))]))
        }
        let stepNode: Node = switch stepSeconds { case .auto: Y.str("auto"); case .seconds(let s): Y.int(Int(s)) }
        return Y.map([("time", TimeseriesSpec.yaml(time)),
                      ("columns", Y.opt(columns, Y.strs)), ("delimiter", Y.str(delimiter)),
                      ("encoding", Y.str(encoding.rawValue)), ("missing_values", Y.strs(missingValues)),
                      ("missing", Y.str(missing.rawValue)), ("step_seconds", stepNode),
                      ("time_axis", Y.str(timeAxis.rawValue)), ("target", Y.str(target)),
                      ("lookback", durations.lookback.map { Y.str(WindowDurations.describe($0)) } ?? Y.int(lookback)),
                      ("step", durations.step.map { Y.str(WindowDurations.describe($0)) } ?? Y.int(step)),
                      ("delay", durations.delay.map { Y.str(WindowDurations.describe($0)) } ?? Y.int(delay)),
                      rangeNode, ("shuffle", Y.bool(shuffle)), ("max_line_bytes", Y.int(maxLineBytes)),
                      ("categorical", Y.strs(categorical)), ("calendar", Y.strs(calendar.map(\.rawValue))),
                      ("max_categories", Y.int(maxCategories)), ("target_unit", Y.opt(targetUnit, Y.str)),
                      ("max_repaired_fraction", Y.num(maxRepairedFraction)), ("max_table_bytes", Y.int(maxTableBytes))])
    }
}
