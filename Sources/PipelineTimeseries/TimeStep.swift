import PipelineCore

/// The spacing of a table's rows: given (`seconds`), or `auto`, the most common gap between
/// consecutive timestamps of the first chunk read.
///
/// ```swift
/// let found = try TimeStep.auto.resolve(firstChunk, tolerance: 0.01)   // (3600, detected: true)
/// try TimeStep.seconds(600).resolve(hourlyChunk, tolerance: 0.01)      // error: the data says 3600 s
/// ```
///
/// Semantics: over the first chunk's positive gaps, the most common one wins (ties: the
/// smaller). An explicit step is checked against the same chunk: when fewer than
/// `1 - tolerance` of the gaps equal it and another gap is more common, the spec disagrees with
/// the data, an error naming both and the share of each (a wrong step would otherwise make
/// `time_axis: fill` invent rows, or leave every row a gap under `drop`). Cost: one sort of the
/// chunk's gaps (4,096 rows). Fails with ``InputError`` when `auto` finds no positive gap
/// (fewer than two distinct timestamps in the first chunk).
public enum TimeStep: Sendable, Equatable, Codable {
    case auto
    case seconds(Int64)

    /// The step to check the time axis with, and whether it was detected.
    public func resolve(_ chunk: TableChunk, tolerance: Double) throws -> (step: Int64, detected: Bool) {
        let gaps = TimeStep.gaps(chunk.timestamps)
        let common = TimeStep.mostCommon(gaps)
        switch self {
        case .auto:
            guard let (step, _) = common else {
                throw InputError("cannot tell the time step: the first rows have fewer than two distinct timestamps",
                                 at: SourceLocation(file: chunk.source, line: chunk.lines.first), field: chunk.timestampColumn,
                                 hint: "set timeseries.step_seconds")
            }
            return (step, true)
        case .seconds(let s):
            if let (step, count) = common, step != s, !gaps.isEmpty {
                let matching = gaps.filter { $0 == s }.count
                if Double(matching) < (1 - tolerance) * Double(gaps.count) {
                    let share = { (n: Int) in RepairLimit.percent(n, gaps.count) }
                    throw InputError("the time step disagrees with the data: \(share(matching)) of the first \(gaps.count + 1) "
                                     + "rows are \(s) s apart, \(share(count)) are \(step) s apart",
                                     at: SourceLocation(file: chunk.source, line: chunk.lines.first), field: "step_seconds",
                                     value: "\(s)", hint: "set timeseries.step_seconds: \(step), or auto")
                }
            }
            return (s, false)
        }
    }

    /// Positive differences between consecutive timestamps.
    static func gaps(_ t: [Int64]) -> [Int64] {
        guard t.count > 1 else { return [] }
        return (1..<t.count).map { t[$0] - t[$0 - 1] }.filter { $0 > 0 }
    }

    /// The most common value and its count (ties: the smaller value).
    static func mostCommon(_ values: [Int64]) -> (Int64, Int)? {
        let sorted = values.sorted()
        var best: (Int64, Int)?
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
            if best == nil || j - i > best!.1 { best = (sorted[i], j - i) }
            i = j
        }
        return best
    }

    /// `10 min`, `1 h`, `1 d`, `90 s`: a step for messages.
    public static func describe(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400) d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
