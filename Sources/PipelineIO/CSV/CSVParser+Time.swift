import Foundation
import PipelineCore

/// How ``CSVParser`` finds each row's time (``CSVTime``): the roles of the time fields, format
/// detection from the first data row, and timestamps assembled from part columns.
extension CSVParser {
    /// Marks the time fields in `roles` from the header and the first data row; returns the
    /// indices of the fields that hold the time (never features unless `columns` lists them).
    func resolveTime(_ roles: inout [Int32], firstRow: [[UInt8]]) throws -> [Int] {
        let h = header!
        switch o.time {
        case .none:
            return []
        case .column(let name, let f):
            let i = try h.index(of: name, field: "timestamp_column", source: o.source)
            try useColumn(i, &roles, firstRow: firstRow, format: f, detected: false)
            return [i]
        case .columns(let tc):
            var used: [Int] = []
            for (k, name) in tc.parts.enumerated() {
                guard let name else { continue }
                let i = try h.index(of: name, field: "time.columns.\(TimeColumns.partNames[k])", source: o.source)
                roles[i] = Int32(-3 - k); used.append(i)
            }
            useParts(used, detected: false)
            return used
        case .auto:
            if let i = h.names.firstIndex(of: "Date Time") {
                try useColumn(i, &roles, firstRow: firstRow, format: nil, detected: true)
                return [i]
            }
            for i in h.names.indices where i < firstRow.count {
                let cell = String(decoding: firstRow[i], as: UTF8.self)
                if TimestampFormat.detect([cell]) != nil {
                    try useColumn(i, &roles, firstRow: firstRow, format: nil, detected: true)
                    return [i]
                }
            }
            let lower = h.names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            var used: [Int] = []
            for (k, part) in TimeColumns.partNames.enumerated() {
                guard let i = lower.firstIndex(of: part) else { break }
                roles[i] = Int32(-3 - k); used.append(i)
            }
            guard used.count >= 3 else { return [] }
            useParts(used, detected: true)
            return used
        }
    }

    private func useColumn(_ i: Int, _ roles: inout [Int32], firstRow: [[UInt8]], format f: String?, detected: Bool) throws {
        roles[i] = -2
        hasTime = true
        timeColumnName = header!.names[i]
        timeDetected = detected || f == nil
        if let f {
            format = try TimestampFormat(f)
            return
        }
        let cell = i < firstRow.count ? String(decoding: firstRow[i], as: UTF8.self) : ""
        guard let found = TimestampFormat.detect([cell]) else {
            throw InputError("timestamp in no known format", at: SourceLocation(file: o.source, line: line, column: i + 1),
                             field: header!.names[i], value: cell,
                             hint: "set timeseries.time.format (e.g. 'yyyy-MM-dd HH:mm', 'M/d/yyyy h:mm a', iso8601, epoch_seconds)")
        }
        format = found
    }

    private func useParts(_ used: [Int], detected: Bool) {
        hasTime = true
        timeDetected = detected
        timeColumnName = used.map { header!.names[$0] }.joined(separator: "+")
        parts = [1970, 1, 1, 0, 0, 0]
    }

    /// The hint for a timestamp that does not parse.
    var timeHint: String {
        timeDetected
            ? "the format was detected from the first data row; set timeseries.time.format to the file's format"
            : "check timeseries.time.format (or timestamp_format)"
    }

    /// `year+month+day…`, for messages.
    var timeColumnsText: String { "columns " + (timeColumnName ?? "") }

    /// The record's time from its part columns (already in `parts`).
    func assembledTime(_ base: UnsafePointer<UInt8>, _ p: Int, _ lineEnd: Int) throws -> Int64 {
        var f = TimestampFormat.Fields()
        f.year = parts[0]; f.month = parts[1]; f.day = parts[2]
        f.hour = parts[3]; f.minute = parts[4]; f.second = parts[5]
        guard let t = TimestampFormat.seconds(f) else {
            let shown = zip(TimeColumns.partNames, parts).prefix(max(3, roles.filter { $0 <= -3 }.count))
                .map { "\($0)=\($1)" }.joined(separator: " ")
            throw InputError("no such date or time", at: SourceLocation(file: o.source, line: line,
                                                                        column: roles.firstIndex { $0 <= -3 }.map { $0 + 1 }),
                             field: timeColumnName, value: shown, hint: "the time is assembled from \(timeColumnsText)")
        }
        return t
    }
}
