import Foundation
import PipelineCore

/// Features made from a weather table's own columns: categorical columns one-hot encoded with
/// the categories of the training rows, and calendar features as sine/cosine pairs.
///
/// ```swift
/// let x = try FeatureExpansion.fit(table, categorical: ["cbwd"], calendar: [.hourOfDay], trainRows: 0..<30_000)
/// let (values, unknown) = try x.apply(table)     // columns: …, cbwd=NE, cbwd=NW, cbwd=SE, cbwd=cv, hour_of_day_sin, …
/// // WeatherPreparation writes it as data/features.json; prediction applies the same expansion
/// ```
///
/// Semantics: a categorical column (read by the CSV reader as value indices, ``TableChunk/levels``)
/// becomes one column per category seen in the training rows, sorted by name, named
/// `column=value`, holding 1 for the row's value and 0 elsewhere; a value not seen in the
/// training rows, or a missing cell, gives all zeros and is counted (`unknown`). The one-hot
/// columns replace the categorical column in place. Calendar features are appended after the
/// table's columns: `hour_of_day` (time of day), `day_of_year` (the year as 365.2425 days) and
/// `day_of_week`, each as `NAME_sin`, `NAME_cos` of the phase, from the timestamps as read
/// (local wall-clock time when the file has no zone). ``identityColumns`` are the columns the
/// normaliser leaves as they are (mean 0, std 1). Cost: one pass over the table, and a new
/// `[rows, F']` matrix. Failures (``InputError``): calendar features without a time axis; a
/// target that is categorical; an expanded table larger than `maxBytes`.
public struct FeatureExpansion: Codable, Sendable, Equatable {
    public enum Calendar: String, Codable, Sendable, CaseIterable {
        case hourOfDay = "hour_of_day", dayOfYear = "day_of_year", dayOfWeek = "day_of_week"
    }

    /// The table's columns before the expansion, and after it.
    public var sourceColumns: [String]
    public var columns: [String]
    /// Each categorical column's categories (from the training rows, sorted).
    public var categories: [String: [String]]
    public var calendar: [Calendar]

    // Explicit keys: a key strategy would also rewrite the column names used as dictionary keys.
    enum CodingKeys: String, CodingKey {
        case sourceColumns = "source_columns", columns, categories, calendar, identityColumns = "identity_columns"
    }

    /// Whether the expansion changes anything.
    public var isIdentity: Bool { categories.isEmpty && calendar.isEmpty }

    /// Output columns that are one-hot or calendar features: the normaliser leaves them as they are.
    public var identityColumns: [Int]

    public static func fit(_ t: TableChunk, categorical: [String], calendar: [Calendar], trainRows: Range<Int>) throws -> FeatureExpansion {
        if !calendar.isEmpty && t.timestamps.isEmpty {
            throw InputError("calendar features need a time axis", at: SourceLocation(file: t.source), field: "calendar",
                             value: calendar.map(\.rawValue).joined(separator: ", "),
                             hint: "set timeseries.time to the file's time column(s), or remove calendar")
        }
        var categories: [String: [String]] = [:]
        var columns: [String] = [], identity: [Int] = []
        for (c, name) in t.columns.enumerated() {
            guard categorical.contains(name) else { columns.append(name); continue }
            let levels = t.levels[c] ?? []
            var seen = Set<Int>()
            for r in trainRows where r < t.rowCount {
                let v = t.values[r * t.featureCount + c]
                if !v.isNaN { seen.insert(Int(v)) }
            }
            let names = seen.compactMap { $0 < levels.count ? levels[$0] : nil }.sorted()
            categories[name] = names
            identity += columns.count..<(columns.count + names.count)
            columns += names.map { "\(name)=\($0)" }
        }
        for f in calendar {
            identity += [columns.count, columns.count + 1]
            columns += [f.rawValue + "_sin", f.rawValue + "_cos"]
        }
        return FeatureExpansion(sourceColumns: t.columns, columns: columns, categories: categories, calendar: calendar,
                                identityColumns: identity)
    }

    /// The expanded `[rows, columns.count]` matrix of `t` (same columns as at fit time), and the
    /// number of categorical cells that matched no training category.
    public func apply(_ t: TableChunk, maxBytes: Int = .max, key: String = "timeseries.max_table_bytes") throws -> (values: [Float], unknown: Int) {
        precondition(t.columns == sourceColumns, "the table's columns differ from those the expansion was fitted on")
        let f = t.featureCount, g = columns.count, rows = t.rowCount
        guard rows * g * 4 + rows * 16 <= maxBytes else {
            throw InputError("the table would hold more than \(maxBytes) bytes once the categorical columns are one-hot encoded "
                             + "(\(rows) rows of \(g) columns)", at: SourceLocation(file: t.source), field: key, value: String(maxBytes),
                             hint: "raise \(key), or encode fewer categorical columns")
        }
        // Per source column: where its output starts, and for a categorical one, level index → category index.
        var starts: [Int] = [], maps: [[Int]?] = []
        var o = 0
        for (c, name) in t.columns.enumerated() {
            starts.append(o)
            if let cats = categories[name] {
                let levels = t.levels[c] ?? []
                maps.append(levels.map { cats.firstIndex(of: $0) ?? -1 })
                o += cats.count
            } else { maps.append(nil); o += 1 }
        }
        var out = [Float](repeating: 0, count: rows * g)
        var unknown = 0
        for r in 0..<rows {
            let src = r * f, dst = r * g
            for c in 0..<f {
                let v = t.values[src + c]
                if let map = maps[c] {
                    let id = v.isNaN ? -1 : Int(v)
                    let k = id >= 0 && id < map.count ? map[id] : -1
                    if k >= 0 { out[dst + starts[c] + k] = 1 } else { unknown += 1 }
                } else {
                    out[dst + starts[c]] = v
                }
            }
            var k = dst + o
            for feature in calendar {
                let phase = 2 * Double.pi * FeatureExpansion.phase(feature, t.timestamps[r])
                out[k] = Float(sin(phase)); out[k + 1] = Float(cos(phase)); k += 2
            }
        }
        return (out, unknown)
    }

    /// Where in its cycle (0 ..< 1) a timestamp is.
    static func phase(_ f: Calendar, _ t: Int64) -> Double {
        let day = CivilDate.day(of: t)
        let secondOfDay = Double(t - day * 86_400)
        switch f {
        case .hourOfDay:
            return secondOfDay / 86_400
        case .dayOfWeek:                                       // Monday 0; 1970-01-01 was a Thursday (3)
            return (Double(((day + 3) % 7 + 7) % 7) + secondOfDay / 86_400) / 7
        case .dayOfYear:
            let jan1 = Int64(CivilDate.days(CivilDate.date(Int(day)).year, 1, 1))
            return (Double(day - jan1) + secondOfDay / 86_400) / 365.2425
        }
    }

    /// The expansion saved beside prepared data, or nil when there is none (no file).
    public static func load(directory: String) throws -> FeatureExpansion? {
        let path = directory + "/features.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let dec = JSONDecoder()
        do { return try dec.decode(FeatureExpansion.self, from: data) } catch {
            throw InputError("cannot read the feature expansion: \(error)", at: SourceLocation(file: path))
        }
    }
}
