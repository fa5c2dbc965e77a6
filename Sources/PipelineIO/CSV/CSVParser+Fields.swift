import PipelineCore

/// The slow paths of ``CSVParser``: splitting a whole record into fields (header, first data
/// row, error reports) and building errors that name file:line:column, the column and the value.
extension CSVParser {
    /// Splits the record at `p` into unquoted, unescaped fields; nil when incomplete.
    func split(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int, _ final: Bool) throws
        -> (fields: [[UInt8]], next: Int, lines: Int)? {
        var fields: [[UInt8]] = [], cur: [UInt8] = []
        var q = p, lines = 1, inQuotes = false, wasQuoted = false
        while true {
            if q == end {
                guard final else { return nil }
                if inQuotes { throw InputError("unterminated quoted field", at: SourceLocation(file: o.source, line: line)) }
                fields.append(cur); return (fields, end, lines)
            }
            let c = base[q]
            if inQuotes {
                if c == 34 {
                    if q + 1 == end && !final { return nil }
                    if q + 1 < end && base[q + 1] == 34 { cur.append(34); q += 2; continue }
                    inQuotes = false
                } else { if c == 10 { lines += 1 }; cur.append(c) }
                q += 1
            } else if c == o.delimiter {
                fields.append(cur); cur = []; wasQuoted = false; q += 1
            } else if c == 10 || (c == 13 && q + 1 < end && base[q + 1] == 10) {
                fields.append(cur)
                return (fields, c == 10 ? q + 1 : q + 2, lines)
            } else if c == 34 && cur.isEmpty && !wasQuoted {
                inQuotes = true; wasQuoted = true; q += 1
            } else { cur.append(c); q += 1 }
        }
    }

    /// Decides which fields are the timestamp and which output columns, from the header and
    /// the first data row.
    func resolveRoles(firstRow: [[UInt8]]) throws {
        let h = header!
        var roles = [Int32](repeating: -1, count: h.names.count)
        let timeFields = try resolveTime(&roles, firstRow: firstRow)
        var chosen: [Int] = []
        if let wanted = o.columns {
            for name in wanted {
                let i = try h.index(of: name, field: "columns", source: o.source)
                if roles[i] == -2 || chosen.contains(i) {
                    throw InputError(roles[i] == -2 ? "the timestamp column cannot be a feature" : "column listed twice",
                                     at: SourceLocation(file: o.source, line: 1), field: "columns", value: name,
                                     hint: roles[i] == -2 ? "its cells are timestamps, not numbers; calendar features come from timeseries.calendar" : nil)
                }
                chosen.append(i)
            }
        } else {
            for i in h.names.indices where !timeFields.contains(i) && i < firstRow.count {
                let f = firstRow[i]
                let numeric = missingTokens.contains(f) || f.withUnsafeBufferPointer {
                    FastFloat.parse($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, f.count) != nil
                }
                if numeric { chosen.append(i) }
            }
            if chosen.isEmpty {
                throw InputError("no numeric column found in the first data row",
                                 at: SourceLocation(file: o.source, line: line), hint: "name the columns to read")
            }
        }
        var categorical: [Int] = []
        for name in o.categorical {
            let i = try h.index(of: name, field: "categorical", source: o.source)
            if roles[i] != -1 || categorical.contains(i) {
                throw InputError(roles[i] != -1 ? "a time column cannot be categorical" : "column listed twice",
                                 at: SourceLocation(file: o.source, line: 1), field: "categorical", value: name)
            }
            categorical.append(i)
            if !chosen.contains(i) { chosen.append(i) }
        }
        partColumns = [Int32](repeating: -1, count: h.names.count)
        categoryColumns = []; categoryLevels = []; categoryIndex = []
        for (k, i) in chosen.enumerated() {
            if categorical.contains(i) {
                roles[i] = Int32(-100 - categoryColumns.count)
                categoryColumns.append(k); categoryLevels.append([]); categoryIndex.append([:])
            } else if roles[i] <= -3 { partColumns[i] = Int32(k) } else { roles[i] = Int32(k) }
        }
        columns = chosen.map { h.names[$0] }
        columnNumbers = chosen.map { $0 + 1 }
        row.deallocate()
        row = .allocate(capacity: max(1, chosen.count))
        row.initialize(repeating: 0, count: max(1, chosen.count))
        self.roles = roles
    }

    func text(_ f: UnsafePointer<UInt8>, _ n: Int) -> String {
        CSVHeader.decode(UnsafeBufferPointer(start: f, count: n), header?.encoding ?? .utf8)
    }

    /// A hint for a cell that is not a number: non-finite spellings get their own.
    func nonNumberHint(_ f: UnsafePointer<UInt8>, _ n: Int) -> String? {
        var t = Substring(text(f, n).lowercased())
        while t.first == " " { t.removeFirst() }
        while t.last == " " { t.removeLast() }
        let bare = t.hasPrefix("-") || t.hasPrefix("+") ? String(t.dropFirst()) : String(t)
        guard ["nan", "inf", "infinity"].contains(bare) else { return nil }
        return "non-finite values are not accepted; add '\(text(f, n))' to timeseries.missing_values to treat it as missing"
    }

    func err(_ message: String, field i: Int) -> InputError {
        InputError(message, at: SourceLocation(file: o.source, line: line, column: i + 1),
                   field: header.flatMap { i < $0.names.count ? $0.names[i] : nil })
    }

    /// A bad cell: reported as a ragged row when the record has the wrong number of fields.
    func fieldError(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int, _ final: Bool, _ message: String,
                    _ i: Int, _ f: UnsafePointer<UInt8>, _ n: Int, hint: String?) throws -> InputError {
        if let (fields, next, _) = try split(base, p, end, final), fields.count != roles.count {
            var lineEnd = next
            while lineEnd > p && (base[lineEnd - 1] == 10 || base[lineEnd - 1] == 13) { lineEnd -= 1 }
            return ragged(fields.count, base, p, lineEnd)
        }
        var e = err(message, field: i)
        e.value = text(f, n); e.hint = hint
        return e
    }

    func ragged(_ count: Int, _ base: UnsafePointer<UInt8>, _ p: Int, _ lineEnd: Int) -> InputError {
        InputError("row has \(count) fields, expected \(roles.count)",
                   at: SourceLocation(file: o.source, line: line, column: min(count, roles.count) + 1),
                   value: text(base + p, lineEnd - p), hint: "every row needs as many fields as the header")
    }
}
