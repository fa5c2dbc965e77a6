import PipelineCore

/// One record of a CSV/TSV text file: the kept fields' bytes, where it starts and what went wrong.
public struct DelimitedRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts (a quoted field may span lines).
    public var line: Int
    /// Every field, in order; fields not kept (see ``DelimitedRecordParser/keep``) are empty.
    public var fields: [[UInt8]]
    /// Fields whose bytes went beyond ``DelimitedRecordParser/maxFieldBytes`` (their bytes were cut there).
    public var cutFields: Set<Int> = []
    /// Why the record is malformed (unterminated quote, text after a closing quote, too many fields), or nil.
    public var problem: String?
}

/// A streaming RFC 4180 reader for text records (CSV with `,`, TSV with tab): fields may be
/// quoted with `"`, hold the delimiter, newlines and `""` for a quote; LF and CRLF line ends;
/// blank lines are skipped. Unlike PipelineIO's numeric CSV reader it keeps text.
///
/// ```swift
/// var p = DelimitedRecordParser(delimiter: UInt8(ascii: ","), maxFieldBytes: 1 << 20)
/// try p.feed(chunk) { record in … }   // as bytes arrive, any chunking
/// try p.finish { record in … }
/// ```
///
/// Memory: one record's kept fields, each at most `maxFieldBytes` (longer ones are cut and
/// marked in ``DelimitedRecord/cutFields``), and at most ``LabelledTextOptions/maxFields`` fields
/// (more marks the record malformed). A quote opened and never closed marks the last record
/// malformed (it reached the end of the input). Never throws itself; `emit` may.
public struct DelimitedRecordParser {
    public let delimiter: UInt8
    public let maxFieldBytes: Int
    /// Which field indices to keep (`indices` nil: all). Set it after the header (even from inside
    /// `emit`: it is shared) to keep only the columns used.
    public let keep: ColumnSelection

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterQuote }
    private var state = State.fieldStart
    private var line = 1
    private var recordLine = 1
    private var fields: [[UInt8]] = []
    private var current: [UInt8] = []
    private var cut: Set<Int> = []
    private var problem: String?
    private var pendingCR = false
    private var recordHasContent = false

    public init(delimiter: UInt8, maxFieldBytes: Int, keep: ColumnSelection = ColumnSelection(nil)) {
        self.delimiter = delimiter; self.maxFieldBytes = maxFieldBytes; self.keep = keep
    }

    private var keeping: Bool { fields.count < LabelledTextOptions.maxFields && (keep.indices?.contains(fields.count) ?? true) }

    private mutating func append(_ b: UInt8) {
        guard keeping else { return }
        if current.count < maxFieldBytes { current.append(b) } else { cut.insert(fields.count) }
    }

    private mutating func endField() {
        if fields.count >= LabelledTextOptions.maxFields {
            if problem == nil { problem = "more than \(LabelledTextOptions.maxFields) fields" }
        } else {
            fields.append(current)
        }
        current = []
    }

    private mutating func endRecord(_ emit: (DelimitedRecord) throws -> Void) rethrows {
        endField()
        let blank = !recordHasContent && fields.count == 1 && fields[0].isEmpty && problem == nil
        if !blank {
            try emit(DelimitedRecord(line: recordLine, fields: fields, cutFields: cut, problem: problem))
        }
        fields.removeAll(keepingCapacity: true)
        cut = []; problem = nil; recordHasContent = false
        state = .fieldStart
    }

    public mutating func feed(_ chunk: [UInt8], emit: (DelimitedRecord) throws -> Void) rethrows {
        for b in chunk {
            if pendingCR {
                pendingCR = false
                if b == 0x0A { line += 1; try endRecord(emit); recordLine = line; continue }
                append(0x0D)   // a lone CR inside an unquoted field is kept
            }
            switch state {
            case .fieldStart:
                if b == 0x22 { state = .quoted; recordHasContent = true }
                else if b == delimiter { recordHasContent = true; endField() }
                else if b == 0x0A { line += 1; try endRecord(emit); recordLine = line }
                else if b == 0x0D { pendingCR = true; state = .unquoted }
                else { recordHasContent = true; append(b); state = .unquoted }
            case .unquoted:
                if b == delimiter { endField(); state = .fieldStart }
                else if b == 0x0A { line += 1; try endRecord(emit); recordLine = line }
                else if b == 0x0D { pendingCR = true }
                else { append(b) }   // a quote inside an unquoted field is literal, as Python's csv
            case .quoted:
                if b == 0x22 { state = .quoteInQuoted }
                else { if b == 0x0A { line += 1 }; append(b) }
            case .quoteInQuoted:
                if b == 0x22 { append(0x22); state = .quoted }
                else if b == delimiter { endField(); state = .fieldStart }
                else if b == 0x0A { line += 1; try endRecord(emit); recordLine = line }
                else if b == 0x0D { state = .afterQuote; pendingCR = true }
                else {
                    if problem == nil { problem = "text after a closing quote (a quote inside a quoted field is written \"\")" }
                    state = .afterQuote
                }
            case .afterQuote:
                if b == delimiter { endField(); state = .fieldStart }
                else if b == 0x0A { line += 1; try endRecord(emit); recordLine = line }
                else if b == 0x0D { pendingCR = true }
            }
        }
    }

    /// Ends the input: emits the last record (malformed when a quote was left open).
    public mutating func finish(emit: (DelimitedRecord) throws -> Void) rethrows {
        if pendingCR { pendingCR = false }
        if state == .quoted, problem == nil { problem = "a quoted field is not closed before the end of the file" }
        if state == .fieldStart && fields.isEmpty && !recordHasContent { return }
        try endRecord(emit)
    }
}

/// The field indices a ``DelimitedRecordParser`` keeps (nil: all), shared so that the header's
/// handler can narrow them while the parser runs.
public final class ColumnSelection: @unchecked Sendable {
    public var indices: Set<Int>?
    public init(_ indices: Set<Int>?) { self.indices = indices }
}
