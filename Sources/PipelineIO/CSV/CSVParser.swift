import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte scanner behind ``AsyncCSVTableSequence``: bytes in (any chunking), complete
/// ``TableChunk``s of `chunkRows` rows out. Records cut by a chunk boundary wait in `carry`.
/// Missing cells become NaN (or an error under policy `error`, with the text received).
final class CSVParser {
    let o: CSVReadOptions
    /// The timestamp column's format (resolved with the roles), and whether rows carry a time.
    var format: TimestampFormat?
    var hasTime = false
    /// For time-part fields (roles -3 … -8) that `columns` also lists: their output column, else -1.
    var partColumns: [Int32] = []
    var parts = [Int](repeating: 0, count: 6)                // year … second of the record being parsed
    var timeColumnName: String?
    /// Categorical fields (roles -100 - k): per category column k, its output column, values and index.
    var categoryColumns: [Int] = []
    var categoryLevels: [[String]] = []
    var categoryIndex: [[[UInt8]: Int]] = []
    var timeDetected = false
    let missingTokens: [[UInt8]]
    let missingLengths: UInt64                // bit k set: some token has k bytes
    var carry: [UInt8] = []
    var line = 1                              // physical line of the next record
    var checkedBOM = false, hadBOM = false
    var header: CSVHeader?
    var roles: [Int32] = []                   // per field: -1 skip, -2 timestamp, -3 - k time part k, k >= 0 output column k
    var columns: [String] = [], columnNumbers: [Int] = []
    var out: TableChunk?
    var ready: [TableChunk] = []
    var dataRows = 0
    var row = UnsafeMutablePointer<Float>.allocate(capacity: 1)       // the record being parsed
    var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)  // unescaped quoted field

    init(_ options: CSVReadOptions) throws {
        o = options
        precondition(options.chunkRows > 0 && options.maxLineBytes > 0, "chunkRows and maxLineBytes must be > 0")
        if case .column(_, let f?) = options.time { format = try TimestampFormat(f) }
        missingTokens = options.missingValues.map { Array($0.utf8) }
        missingLengths = missingTokens.reduce(0) { $1.count < 64 ? $0 | (1 << UInt64($1.count)) : $0 }
    }

    deinit { row.deallocate(); scratch.deallocate() }

    func feed(_ bytes: [UInt8]) throws {
        if carry.isEmpty {
            let used = try bytes.withUnsafeBufferPointer { try parse($0, final: false) }
            carry = Array(bytes[used...])
        } else if memchr(bytes, 10, bytes.count) == nil {
            carry.append(contentsOf: bytes)              // the pending record cannot end here: no rescan
        } else {
            carry.append(contentsOf: bytes)
            let used = try carry.withUnsafeBufferPointer { try parse($0, final: false) }
            carry.removeFirst(used)
        }
        // An unfinished record longer than the limit: fail now, before it grows any further.
        if carry.count > o.maxLineBytes { throw tooLong(line: line) }
    }

    /// A record of more than `maxLineBytes` bytes starting at `line`.
    func tooLong(line: Int) -> InputError {
        InputError("line longer than \(o.maxLineBytes) bytes", at: SourceLocation(file: o.source, line: line),
                   hint: "is this a CSV file? raise timeseries.max_line_bytes to accept longer records")
    }

    func finish() throws {
        _ = try carry.withUnsafeBufferPointer { try parse($0, final: true) }
        carry = []
        guard header != nil else {
            throw InputError("empty file: no header row", at: SourceLocation(file: o.source, line: 1),
                             hint: "the first line must name the columns")
        }
        guard dataRows > 0 else {
            throw InputError("no data rows after the header", at: SourceLocation(file: o.source, line: line),
                             hint: "the file holds only a header")
        }
        if (out?.rowCount ?? 0) > 0 { seal(); ready.append(out!); out = nil }
    }

    /// Parses complete records of `buf`; returns how many bytes were consumed.
    private func parse(_ buf: UnsafeBufferPointer<UInt8>, final: Bool) throws -> Int {
        guard let base = buf.baseAddress else { return 0 }
        let end = buf.count
        var p = 0
        if !checkedBOM {
            if end < 3 && !final { return 0 }
            checkedBOM = true
            if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { hadBOM = true; p = 3 }
        }
        while p < end {
            let start = line
            guard let next = try record(base, p, end, final) else { break }
            if next - p > o.maxLineBytes + 2 { throw tooLong(line: start) }      // + CR LF
            p = next
        }
        return p
    }

    @inline(__always)
    private func newline(_ base: UnsafePointer<UInt8>, from p: Int, _ end: Int) -> Int? {
        guard p < end, let hit = memchr(base + p, 10, end - p) else { return nil }
        return UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
    }

    /// One record starting at `p`: returns the offset after it, nil when incomplete.
    private func record(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int, _ final: Bool) throws -> Int? {
        var recEnd: Int
        if let nl = newline(base, from: p, end) { recEnd = nl } else if final { recEnd = end } else { return nil }
        var lineEnd = recEnd > p && base[recEnd - 1] == 13 ? recEnd - 1 : recEnd
        if lineEnd - p > o.maxLineBytes { throw tooLong(line: line) }
        if lineEnd == p { line += 1; return min(recEnd + 1, end) }     // blank line
        if header == nil || roles.isEmpty {
            guard let (fields, next, lines) = try split(base, p, end, final) else { return nil }
            if header == nil {
                header = CSVHeader(fields: fields, encoding: o.encoding, hadBOM: hadBOM)
            } else {
                try resolveRoles(firstRow: fields)
            }
            if roles.isEmpty { line += lines; return next }
        }
        let delim = o.delimiter, roles = self.roles, ncols = roles.count, row = self.row
        var q = p, i = 0, extraLines = 0
        var ts: Int64 = 0
        while true {
            var fs = q, fe = q
            var fp = base
            if q < lineEnd && base[q] == 34 {                         // quoted field
                var r = q + 1, escaped = false
                fs = r
                while true {
                    guard r < end, let hit = memchr(base + r, 34, end - r) else {
                        if final { throw err("unterminated quoted field", field: i) }
                        return nil
                    }
                    let qi = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
                    if qi + 1 == end && !final { return nil }
                    if qi + 1 < end && base[qi + 1] == 34 { escaped = true; r = qi + 2; continue }
                    fe = qi; q = qi + 1; break
                }
                for k in fs..<fe where base[k] == 10 { extraLines += 1 }
                if q > lineEnd {
                    if let nl = newline(base, from: q, end) { recEnd = nl } else if final { recEnd = end } else { return nil }
                    lineEnd = recEnd > q && base[recEnd - 1] == 13 ? recEnd - 1 : recEnd
                }
                if q < lineEnd && base[q] != delim { throw err("text after a closing quote", field: i) }
                if escaped {
                    if scratch.count < fe - fs {
                        scratch.deallocate(); scratch = .allocate(capacity: 2 * (fe - fs))
                    }
                    var k = fs, n = 0
                    while k < fe { scratch[n] = base[k]; n += 1; k += base[k] == 34 ? 2 : 1 }
                    fp = UnsafePointer(scratch.baseAddress!)
                    fs = 0; fe = n
                }
            } else {
                var r = q
                while r < lineEnd && base[r] != delim { r += 1 }
                fe = r; q = r
            }
            if i < ncols {
                let role = roles[i]
                let f = fp + fs, n = fe - fs
                if role >= 0 {
                    if n < 64 && missingLengths & (1 << UInt64(n)) != 0 && isMissing(f, n) {
                        if o.missing == .error {
                            throw try fieldError(base, p, end, final, "missing value", i, f, n,
                                                 hint: "set missing to drop_row, fill_previous or interpolate to accept gaps")
                        }
                        row[Int(role)] = .nan
                    } else if let v = FastFloat.parse(f, n), v.isFinite {
                        row[Int(role)] = v
                    } else if FastFloat.parse(f, n) != nil {
                        throw try fieldError(base, p, end, final, "number out of the range of float32 (±3.4e38)", i, f, n,
                                             hint: "every value must be finite")
                    } else {
                        throw try fieldError(base, p, end, final, "not a number", i, f, n, hint: nonNumberHint(f, n))
                    }
                } else if role == -2 {
                    guard let t = format!.parse(f, n) else {
                        throw try fieldError(base, p, end, final, "timestamp does not match format '\(format!.pattern)'", i, f, n,
                                             hint: timeHint)
                    }
                    ts = t
                } else if role <= -100 {
                    let k = Int(-100 - role)
                    if n < 64 && missingLengths & (1 << UInt64(n)) != 0 && isMissing(f, n) {
                        row[categoryColumns[k]] = .nan
                    } else {
                        row[categoryColumns[k]] = Float(try category(k, f, n, field: i))
                    }
                } else if role <= -3 {
                    guard let v = FastFloat.parse(f, n), v.isFinite, v == v.rounded(), abs(v) < 100_000 else {
                        throw try fieldError(base, p, end, final, "not a whole number for the time's \(TimeColumns.partNames[Int(-3 - role)])",
                                             i, f, n, hint: "the time is assembled from \(timeColumnsText)")
                    }
                    parts[Int(-3 - role)] = Int(v)
                    if partColumns[i] >= 0 { row[Int(partColumns[i])] = v }
                }
            }
            i += 1
            if q < lineEnd { q += 1 } else { break }
        }
        if i != ncols { throw ragged(i, base, p, lineEnd) }
        if hasTime && format == nil { ts = try assembledTime(base, p, lineEnd) }
        commit(ts)
        line += 1 + extraLines
        return min(recEnd + 1, end)
    }

    private func commit(_ ts: Int64) {
        if out == nil {
            var c = TableChunk(source: o.source, columns: columns, columnNumbers: columnNumbers)
            c.timestampColumn = timeColumnName
            c.timestampColumnNumber = roles.firstIndex { $0 <= -2 }.map { $0 + 1 }
            c.timestampFormat = hasTime ? (format?.pattern ?? "columns") : nil
            c.values.reserveCapacity(o.chunkRows * columns.count)
            c.lines.reserveCapacity(o.chunkRows)
            if hasTime { c.timestamps.reserveCapacity(o.chunkRows) }
            out = c
        }
        out!.values.append(contentsOf: UnsafeBufferPointer(start: row, count: columns.count))
        if hasTime { out!.timestamps.append(ts) }
        out!.lines.append(line)
        dataRows += 1
        if out!.lines.count == o.chunkRows { seal(); ready.append(out!); out = nil }
    }

    /// The index of a categorical cell's value, adding it when new (bounded by `maxCategories`).
    private func category(_ k: Int, _ f: UnsafePointer<UInt8>, _ n: Int, field i: Int) throws -> Int {
        let key = Array(UnsafeBufferPointer(start: f, count: n))
        if let id = categoryIndex[k][key] { return id }
        guard categoryLevels[k].count < o.maxCategories else {
            var e = err("more than \(o.maxCategories) distinct values in a categorical column", field: i)
            e.value = text(f, n)
            e.hint = "is this column free text? raise timeseries.max_categories if it really is categorical"
            throw e
        }
        categoryIndex[k][key] = categoryLevels[k].count
        categoryLevels[k].append(text(f, n))
        return categoryLevels[k].count - 1
    }

    /// Records the categorical levels seen so far on the chunk about to be handed out.
    private func seal() {
        for (k, c) in categoryColumns.enumerated() { out!.levels[c] = categoryLevels[k] }
    }

    @inline(__always)
    private func isMissing(_ f: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for t in missingTokens where t.count == n {
            if n == 0 || t.withUnsafeBufferPointer({ memcmp($0.baseAddress!, f, n) == 0 }) { return true }
        }
        return false
    }
}
