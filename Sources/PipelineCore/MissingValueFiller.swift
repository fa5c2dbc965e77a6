/// What to do with a missing cell (a configured token such as `-9999`, `NA` or an empty field).
///
/// - `error`: fail at the first missing cell, naming file:line:column, the column and the value.
/// - `drop_row`: drop every row that has a missing cell.
/// - `fill_previous`: the column's last valid value; a leading gap takes the first valid value.
/// - `interpolate`: linear in row index between the valid neighbours above and below; a
///   leading gap takes the first valid value, a trailing gap the last one (no extrapolation).
/// - `keep`: leave `NaN` in place, uncounted, for a later stage (e.g. after time gaps were
///   inserted) that handles and counts them.
public enum MissingValuePolicy: String, Sendable, Codable, CaseIterable {
    case error
    case dropRow = "drop_row"
    case fillPrevious = "fill_previous"
    case interpolate
    case keep
}

/// Applies a ``MissingValuePolicy`` to a stream of ``TableChunk``s (NaN = missing), chunk by chunk.
///
/// ```swift
/// var filler = MissingValueFiller(policy: .interpolate)
/// for chunk in chunks { if let out = try filler.push(chunk) { use(out) } }
/// if let out = try filler.finish() { use(out) }
/// ```
///
/// Semantics: rows keep their order; `fill_previous` and `interpolate` hold back the rows from
/// the first still-open gap on (memory bounded by the longest gap), so an output chunk may be
/// shorter or longer than the input one, or absent. Interpolation is computed in `Double` on the
/// output row index. Counts (missing, filled, dropped) go into the emitted chunks' `counts`.
/// Fails with ``InputError`` at the first missing cell under `error`, and at `finish()` when a
/// column has no valid value at all under the filling policies. Cost: one pass per cell.
public struct MissingValueFiller: Sendable {
    public let policy: MissingValuePolicy
    /// Columns filled with the previous value even under `interpolate` (category ids, where a
    /// value between two ids means nothing). Empty by default.
    public var stepwiseColumns: Set<Int> = []
    private var pending: TableChunk?
    private var base = 0                 // output row index of pending row 0
    private var lastRow: [Int] = []      // output row index of the column's last valid value, -1 none
    private var lastValue: [Float] = []
    private var openGap: [Int] = []      // output row index where the column's open gap starts, -1 none
    private var scanned = 0              // rows of pending (absolute) already scanned

    public init(policy: MissingValuePolicy) { self.policy = policy }

    public mutating func push(_ chunk: TableChunk) throws -> TableChunk? {
        let f = chunk.featureCount
        switch policy {
        case .keep:
            return chunk
        case .error:
            if let i = chunk.values.firstIndex(where: { $0.isNaN }) {
                let (r, c) = (i / f, i % f)
                throw InputError("missing value", at: chunk.location(row: r, column: c),
                                 field: chunk.columns[c],
                                 hint: "set missing to drop_row, fill_previous or interpolate to accept gaps")
            }
            return chunk
        case .dropRow:
            var out = chunk.emptyCopy()
            out.counts = chunk.counts
            var r = 0
            while r < chunk.rowCount {
                var runEnd = r
                while runEnd < chunk.rowCount, !rowHasNaN(chunk, runEnd) { runEnd += 1 }
                out.append(rowsOf: chunk, r..<runEnd)
                if runEnd < chunk.rowCount {
                    out.counts.rowsDroppedMissing += 1
                    out.counts.missingCells += (0..<f).reduce(0) { $0 + (chunk.value(row: runEnd, column: $1).isNaN ? 1 : 0) }
                }
                r = runEnd + 1
            }
            return out
        case .fillPrevious, .interpolate:
            if pending == nil {
                pending = chunk.emptyCopy()
                lastRow = Array(repeating: -1, count: f); lastValue = Array(repeating: 0, count: f)
                openGap = Array(repeating: -1, count: f)
            }
            pending!.append(chunk)
            resolve()
            var firstOpen = base + pending!.rowCount
            for g in openGap where g >= 0 { firstOpen = min(firstOpen, g) }
            return emit(upTo: firstOpen)
        }
    }

    /// Closes the stream: fills trailing gaps and returns the rows held back, if any.
    public mutating func finish() throws -> TableChunk? {
        guard var p = pending else { return nil }
        let f = p.featureCount
        for c in 0..<f where openGap[c] >= 0 {
            guard lastRow[c] >= 0 else {
                throw InputError("column has no valid value to fill from",
                                 at: SourceLocation(file: p.source, column: p.columnNumbers[c]),
                                 field: p.columns[c], hint: "choose missing: drop_row, or drop the column")
            }
            for r in openGap[c]..<(base + p.rowCount) { p.values[(r - base) * f + c] = lastValue[c] }
            p.counts.filledCells += base + p.rowCount - openGap[c]
            openGap[c] = -1
        }
        pending = p
        return emit(upTo: base + p.rowCount)
    }

    private func rowHasNaN(_ t: TableChunk, _ r: Int) -> Bool {
        let f = t.featureCount
        for c in 0..<f where t.values[r * f + c].isNaN { return true }
        return false
    }

    private mutating func resolve() {
        guard var p = pending else { return }
        pending = nil                           // keep `p` uniquely referenced while editing
        let f = p.featureCount, end = base + p.rowCount
        let interpolate = policy == .interpolate
        var missing = 0, filled = 0
        p.values.withUnsafeMutableBufferPointer { v in
            for c in 0..<f {
                let interpolate = interpolate && !stepwiseColumns.contains(c)
                var gap = openGap[c]
                for r in max(scanned, base)..<end {
                    let x = v[(r - base) * f + c]
                    if x.isNaN {
                        missing += 1
                        if !interpolate && lastRow[c] >= 0 {
                            v[(r - base) * f + c] = lastValue[c]; filled += 1
                        } else if gap < 0 { gap = r }
                    } else {
                        if gap >= 0 {
                            let a = Double(lastValue[c]), b = Double(x), ra = lastRow[c]
                            for k in gap..<r {
                                let y = ra < 0 ? b : a + (b - a) * Double(k - ra) / Double(r - ra)
                                v[(k - base) * f + c] = Float(y)
                            }
                            filled += r - gap
                            gap = -1
                        }
                        lastRow[c] = r; lastValue[c] = x
                    }
                }
                openGap[c] = gap
            }
        }
        p.counts.missingCells += missing
        p.counts.filledCells += filled
        scanned = end
        pending = p
    }

    private mutating func emit(upTo row: Int) -> TableChunk? {
        guard let p = pending, row > base || p.counts != TableCounts() else { return nil }
        let n = row - base
        var out = p.emptyCopy()
        out.append(rowsOf: p, 0..<n)
        out.counts = p.counts
        var rest = p.emptyCopy()
        rest.append(rowsOf: p, n..<p.rowCount)
        pending = rest
        base = row
        return out
    }
}
