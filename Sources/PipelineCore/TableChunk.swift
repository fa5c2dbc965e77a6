/// A block of consecutive rows of a numeric table: what the CSV reader yields and what the
/// time-series stages consume, so neither module imports the other.
///
/// ```swift
/// for try await chunk in bytes.csvTable(options) {           // PipelineIO
///     let t = chunk.value(row: 0, column: 1)                  // row-major [rows, F]
///     print(chunk.lines[0], chunk.timestamps[0], t)
/// }
/// ```
///
/// Semantics: `values` is row-major `[rowCount, columns.count]`; a missing cell is `Float.nan`
/// (the CSV reader maps the configured missing tokens to NaN; a NaN in a file is not accepted
/// as a number). `timestamps` (seconds since 1970-01-01 UTC) is empty when the table has no
/// timestamp column, else one per row. `lines` holds each row's 1-based source line, `0` for a
/// row a stage inserted (a filled time gap). `columnNumbers` are the 1-based positions of the
/// columns in the source file, for error messages. `counts` tallies what stages did to the
/// rows of this chunk (sum them over a stream). Cost: plain arrays, copy-on-write.
public struct TableChunk: Sendable, Equatable {
    public var source: String
    public var columns: [String]
    public var columnNumbers: [Int]
    /// Name and 1-based position of the timestamp column in the source, if any (for a time
    /// assembled from several columns: their names joined by `+`, and the first one's position).
    public var timestampColumn: String?
    public var timestampColumnNumber: Int?
    /// How the timestamps were read (a pattern, a named format, or `columns`), if any.
    public var timestampFormat: String?
    /// Categorical columns: output column index → its values in order of first appearance in
    /// the stream so far; the column's cells hold the value's index as a Float (NaN: missing).
    public var levels: [Int: [String]] = [:]
    public var values: [Float]
    public var timestamps: [Int64]
    public var lines: [Int]
    public var counts: TableCounts

    public init(source: String, columns: [String], columnNumbers: [Int]? = nil, values: [Float] = [],
                timestamps: [Int64] = [], lines: [Int] = [], counts: TableCounts = TableCounts()) {
        self.source = source; self.columns = columns
        self.columnNumbers = columnNumbers ?? columns.indices.map { $0 + 1 }
        self.values = values; self.timestamps = timestamps; self.lines = lines; self.counts = counts
        precondition(columns.isEmpty || values.count % columns.count == 0, "values are not whole rows")
    }

    /// Number of rows (`lines.count`).
    public var rowCount: Int { lines.count }
    public var featureCount: Int { columns.count }

    @inline(__always)
    public func value(row: Int, column: Int) -> Float { values[row * columns.count + column] }

    /// The same columns with no rows.
    public func emptyCopy() -> TableChunk {
        var c = TableChunk(source: source, columns: columns, columnNumbers: columnNumbers)
        c.timestampColumn = timestampColumn; c.timestampColumnNumber = timestampColumnNumber
        c.timestampFormat = timestampFormat
        c.levels = levels
        return c
    }

    /// Appends rows `range` of `other` (same columns).
    public mutating func append(rowsOf other: TableChunk, _ range: Range<Int>) {
        let f = columns.count
        values.append(contentsOf: other.values[range.lowerBound * f ..< range.upperBound * f])
        if !other.timestamps.isEmpty { timestamps.append(contentsOf: other.timestamps[range]) }
        lines.append(contentsOf: other.lines[range])
        for (c, l) in other.levels where l.count > (levels[c]?.count ?? 0) { levels[c] = l }   // levels only grow
    }

    /// Bytes the table holds in memory: 4 per cell (Float32), 8 per timestamp and 8 per line
    /// number. The measure behind `timeseries.max_table_bytes`.
    public var memoryBytes: Int { values.count * 4 + timestamps.count * 8 + lines.count * 8 }

    /// Appends every row of `other` and adds its counts, refusing to grow past `maxBytes`
    /// (``memoryBytes``): the error names the row of `other` that crossed the bound and `key`,
    /// the spec key that raises it. A dataset-sized table is the one place the weather path holds
    /// the whole input, so this is its memory bound.
    public mutating func append(_ other: TableChunk, maxBytes: Int, key: String) throws {
        let perRow = featureCount * 4 + (other.timestamps.isEmpty ? 0 : 8) + 8
        if memoryBytes + other.rowCount * perRow > maxBytes {
            let fits = max(0, (maxBytes - memoryBytes) / max(perRow, 1))
            let row = min(fits, other.rowCount - 1)
            throw InputError("the table would hold more than \(maxBytes) bytes (\(rowCount + fits) rows of \(featureCount) "
                             + "columns; 4 bytes per cell and 16 per row)",
                             at: other.location(row: row, column: nil), field: key, value: String(maxBytes),
                             hint: "raise \(key), or read fewer columns or a shorter file")
        }
        append(other)
    }

    /// Appends every row of `other` and adds its counts.
    public mutating func append(_ other: TableChunk) {
        append(rowsOf: other, 0..<other.rowCount)
        counts.add(other.counts)
    }

    /// Where a cell came from, for error messages (`file:line:column`).
    public func location(row: Int, column: Int?) -> SourceLocation {
        SourceLocation(file: source, line: lines[row] == 0 ? nil : lines[row],
                       column: column.map { columnNumbers[$0] })
    }
}

/// What the stages did to a table's rows: missing cells met, filled and rows dropped (missing
/// values), time gaps met, rows inserted and duplicate or backward rows dropped (time axis).
public struct TableCounts: Sendable, Equatable, Codable {
    public var missingCells = 0
    public var filledCells = 0
    public var rowsDroppedMissing = 0
    public var gaps = 0
    public var rowsInserted = 0
    public var rowsDroppedTime = 0
    public init() {}
    public mutating func add(_ o: TableCounts) {
        missingCells += o.missingCells; filledCells += o.filledCells
        rowsDroppedMissing += o.rowsDroppedMissing; gaps += o.gaps
        rowsInserted += o.rowsInserted; rowsDroppedTime += o.rowsDroppedTime
    }
}
