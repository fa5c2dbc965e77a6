import PipelineCore

/// Pass 1 for labelled text sets other than the chapter's aclImdb layout: reads CSV/TSV/JSONL
/// records or folder-per-class entries, maps labels to class ids and feeds the texts to the same
/// tokenizer, word tables and spill file as ``AsyncAclImdbSequence/tokenized(_:spillDirectory:progress:)``.
/// Pass 2 is the same ``TokenizedReviews/prepare(into:options:provenance:)``, so the vocabulary,
/// ids, padding and files are those of the IMDB path.
///
/// ```swift
/// let t = try LabelledTextTokenizer(standardization: s, options: o, spillDirectory: "data")
/// try await t.addRecords(trainFile.chunks, format: .csv, split: .train, source: "train.csv")
/// try await t.addRecords(testFile.chunks, format: .csv, split: .test, source: "test.csv")
/// let tokenized = try t.finish()      // class names sorted, ids remapped
/// try tokenized.prepare(into: "data", options: imdbOptions)
/// ```
///
/// Semantics (see ``LabelledTextOptions`` for the keys): rows keep their order within a split
/// (pass 2 orders them by class then row, then shuffles with the seed as for IMDB). Texts longer
/// than `maxTextBytes` are cut at a UTF-8 boundary and counted (``textsCut``). A malformed row
/// (unclosed quote, wrong number of fields, empty or over-long label, label not in `classNames`,
/// a JSONL line that is not JSON or lacks a key) throws an ``InputError`` naming `file:line`,
/// or with `onBadRow: .skip` is counted (``badRows``) with its first locations kept
/// (``badRowExamples``). `directory`: only `.txt` files count, as in Keras; a file's class is the
/// folder under a `train`/`test` folder when the path has one (that folder then also gives the
/// split), else its parent folder; files in folders not among `classNames` are ignored.
/// Memory: one batch of texts (512, at most 4 MiB plus one text), one record of at most
/// `maxTextBytes` per field, the label table (at most `maxClasses` labels), ~32 bytes per text.
public final class LabelledTextTokenizer {
    public let options: LabelledTextOptions
    public let standardization: TextStandardization
    let spill: SpillFile!
    let counter: ParallelTokenCounter!
    var labels: LabelTable   // internal: tests read the mapping
    var nextId: [ReviewSplit: Int] = [:]
    /// Rows skipped under `on_bad_row: skip`.
    public private(set) var badRows = 0
    /// The first few skipped rows: `file:line: why`.
    public private(set) var badRowExamples: [String] = []
    /// Texts cut to `maxTextBytes`.
    public private(set) var textsCut = 0
    /// Directory files ignored (class folder not among `classNames`, or no class folder).
    public private(set) var ignoredFiles = 0
    /// The format of each source once resolved (`auto` decided).
    public private(set) var formats: [TextFormat] = []

    /// Texts kept in memory instead of tokenized (``init(collectingWith:)``, for `evaluate`).
    public private(set) var collected: [(text: [UInt8], label: Int32, split: ReviewSplit)]?

    /// A reader that keeps the labelled texts (``collected``) instead of tokenizing them: for
    /// evaluating a trained run on held-out data with its own vocabulary. `options.classNames`
    /// should be the run's; memory: every text.
    public init(collectingWith options: LabelledTextOptions) throws {
        self.options = options; standardization = TextStandardization()
        spill = nil; counter = nil
        labels = LabelTable(classNames: options.classNames, maxClasses: options.maxClasses)
        collected = []
    }

    public init(standardization: TextStandardization, options: LabelledTextOptions, spillDirectory: String) throws {
        self.options = options; self.standardization = standardization
        try Directories.make(spillDirectory)
        spill = try SpillFile(directory: spillDirectory)
        counter = ParallelTokenCounter(standardization: standardization, spill: spill)
        labels = LabelTable(classNames: options.classNames, maxClasses: options.maxClasses)
    }

    /// A malformed row: an error, or counted under `on_bad_row: skip`.
    func bad(_ why: String, at location: SourceLocation, value: String? = nil) throws {
        guard options.onBadRow == .skip else {
            throw InputError(why, at: location, field: "row", value: value,
                             hint: "fix the row, or set text.on_bad_row: skip to drop such rows (they are counted)")
        }
        badRows += 1
        if badRowExamples.count < 5 { badRowExamples.append("\(location): \(why)") }
    }

    /// Adds one labelled text. `label` nil-mapped (not in `classNames`) is a bad row unless `ignoreUnknown`.
    func add(text: ArraySlice<UInt8>, label rawLabel: some StringProtocol, split: ReviewSplit, at location: SourceLocation,
             ignoreUnknown: Bool = false) throws {
        let label = rawLabel.trimmingASCIISpaces
        guard !label.isEmpty else { return try bad("empty label", at: location) }
        guard label.utf8.count <= LabelledTextOptions.maxLabelBytes else {
            return try bad("label longer than \(LabelledTextOptions.maxLabelBytes) bytes (is text.label_column the text?)", at: location,
                           value: String(label.prefix(40)) + "…")
        }
        guard let id = try labels.provisionalId(label, at: location) else {
            if ignoreUnknown { ignoredFiles += 1; return }
            return try bad("label \(JSONString.quote(label)) is not among text.class_names", at: location, value: label)
        }
        var bytes = Array(text)
        if bytes.count > options.maxTextBytes {
            var end = options.maxTextBytes
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }   // do not split a UTF-8 sequence
            bytes.removeSubrange(end...)
            textsCut += 1
        }
        let n = nextId[split, default: 0]
        nextId[split] = n + 1
        if collected != nil { collected!.append((bytes, id, split)); return }
        try counter.add(DataEntry(path: location.description, data: bytes),
                        AclImdbPath.Parsed(split: split, label: Int(id), id: n, rating: 0))
    }

    /// Reads a CSV, TSV or JSONL file's bytes (any chunking) as records of `split`.
    public func addRecords<S: AsyncSequence>(_ chunks: S, format: TextFormat, split: ReviewSplit, source: String,
                                             progress: ProgressReporter? = nil) async throws where S.Element == [UInt8] {
        precondition(format.isRecordFile, "addRecords reads csv, tsv or jsonl")
        formats.append(format)
        if format == .jsonl {
            var lines = JSONLineSplitter(maxLineBytes: JSONLineSplitter.lineLimit(maxTextBytes: options.maxTextBytes))
            for try await chunk in chunks {
                try lines.feed(chunk) { try addJSONLine($0, tooLong: $1, line: $2, split: split, source: source) }
                progress?.advance(bytes: chunk.count)
            }
            try lines.finish { try addJSONLine($0, tooLong: $1, line: $2, split: split, source: source) }
            return
        }
        var reader = CSVTextRecords(options: options, delimiter: format == .tsv ? 0x09 : 0x2C, source: source)
        var parser = reader.makeParser(delimiter: reader.delimiter)
        for try await chunk in chunks {
            try parser.feed(chunk) { try reader.handle($0, into: self, split: split) }
            progress?.advance(bytes: chunk.count)
        }
        try parser.finish { try reader.handle($0, into: self, split: split) }
        if !reader.sawHeaderOrRow, options.hasHeader {
            throw InputError("the file is empty (no header row)", at: SourceLocation(file: source), field: "source")
        }
    }

    func addJSONLine(_ line: ArraySlice<UInt8>, tooLong: Bool, line number: Int, split: ReviewSplit, source: String) throws {
        let at = SourceLocation(file: source, line: number)
        if tooLong { return try bad("line longer than \(JSONLineSplitter.lineLimit(maxTextBytes: options.maxTextBytes)) bytes (4 × text.max_text_bytes + 64 KiB)", at: at) }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }   // blank line
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch {
            return try bad("not a JSON value: \(error)", at: at, value: String(decoding: line.prefix(60), as: UTF8.self))
        }
        func field(_ ref: ColumnRef, _ key: String) throws -> JSONValue? {
            switch (ref, value) {
            case (.name(let n), .object(let o)):
                if let v = o[n], !v.isNull { return v }
                try bad("no \(JSONString.quote(n)) (text.\(key)) in this record; it has \(o.keys.sorted().map { JSONString.quote($0) }.joined(separator: ", "))", at: at)
            case (.index(let i), .array(let a)):
                if i < a.count, !a[i].isNull { return a[i] }
                try bad("no item \(i) (text.\(key)) in this array of \(a.count)", at: at)
            case (.name, _): try bad("not a JSON object (text.\(key) is a key)", at: at)
            case (.index, _): try bad("not a JSON array (text.\(key) is an index; name the key for objects)", at: at)
            }
            return nil
        }
        guard let t = try field(options.textColumn, "text_column"), let l = try field(options.labelColumn, "label_column") else { return }
        guard case .string(let text) = t else { return try bad("text.text_column is not a string", at: at, value: t.text) }
        let label: String
        switch l {
        case .string(let s): label = s
        case .number, .bool: label = l.text
        default: return try bad("text.label_column is not a string, number or boolean", at: at, value: String(l.text.prefix(60)))
        }
        try add(text: Array(text.utf8)[...], label: label, split: split, at: at)
    }

    /// Reads folder-per-class (`directory`) or aclImdb entries. `split`: the split of a per-split
    /// source (nil: from a `train`/`test` folder in each path, else train).
    public func addEntries<S: AsyncSequence>(_ entries: S, format: TextFormat, split: ReviewSplit?, source: String,
                                             progress: ProgressReporter? = nil) async throws where S.Element == DataEntry {
        var format = format
        var decided = format != .auto
        if decided { formats.append(format) }
        for try await entry in entries {
            progress?.advance(items: 1, bytes: entry.data.count)
            guard entry.path.hasSuffix(".txt") else { continue }
            if !decided {
                format = try AclImdbPath.parse(entry.path) == nil ? .directory : .aclimdb
                formats.append(format); decided = true
            }
            let at = SourceLocation(file: source == entry.path ? entry.path : "\(source):\(entry.path)")
            if format == .aclimdb {
                guard let p = try AclImdbPath.parse(entry.path) else { continue }
                if let split, p.split != split { continue }
                let label = options.labelFrom == .rating ? String(p.rating) : (p.label == 1 ? "pos" : "neg")
                try add(text: entry.data[...], label: label, split: p.split, at: at, ignoreUnknown: true)
                continue
            }
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
            guard parts.count >= 2 else { ignoredFiles += 1; continue }
            var fileSplit = split ?? .train
            var classFolder = parts[parts.count - 2]
            if let k = parts.dropLast().firstIndex(where: { $0 == "train" || $0 == "test" }) {
                if k + 1 >= parts.count - 1 { ignoredFiles += 1; continue }   // a file directly in train/
                if split == nil { fileSplit = parts[k] == "train" ? .train : .test }
                classFolder = parts[k + 1]
            }
            try add(text: entry.data[...], label: classFolder, split: fileSplit, at: at, ignoreUnknown: true)
        }
    }

    /// Ends pass 1: tokenizes what is pending, maps the provisional label ids to the final class
    /// ids and returns the reviews for pass 2, with ``TokenizedReviews/classNames`` set.
    /// Errors: no training texts; `label_mode: binary` with other than two classes.
    public func finish() throws -> TokenizedReviews {
        try counter.flush()
        try spill.flush()
        let (names, finalOf) = labels.finish()
        counter.relabel(finalOf)
        if options.labelMode == .binary && names.count != 2 {
            throw InputError("text.label_mode binary needs exactly 2 classes; the data has \(names.count)", field: "text.label_mode",
                             value: names.prefix(10).joined(separator: ", "), hint: "use label_mode: int (sparse_categorical_crossentropy) or categorical")
        }
        let t = TokenizedReviews(standardization: standardization, spill: spill, counter: counter)
        t.classNames = names
        t.extraMeta = [("text_format", .string(formats.first?.rawValue ?? options.format.rawValue)),
                       ("label_mode", .string(options.labelMode.rawValue)), ("bad_rows", .int(badRows)),
                       ("texts_cut", .int(textsCut)), ("max_text_bytes", .int(options.maxTextBytes))]
        return t
    }
}

/// The CSV/TSV side of ``LabelledTextTokenizer``: header, column resolution, field-count checks.
struct CSVTextRecords {
    let options: LabelledTextOptions
    let source: String
    let keep: ColumnSelection
    let delimiter: UInt8
    var textIndex = -1, labelIndex = -1, fieldCount = -1
    var sawHeaderOrRow = false

    init(options: LabelledTextOptions, delimiter: UInt8, source: String) {
        self.options = options; self.source = source; self.delimiter = delimiter
        keep = ColumnSelection(nil)
    }

    /// The parser for this file: fields up to `maxTextBytes` + 4 (add(text:) cuts at a UTF-8 boundary), the selection shared.
    func makeParser(delimiter: UInt8) -> DelimitedRecordParser {
        DelimitedRecordParser(delimiter: delimiter, maxFieldBytes: options.maxTextBytes + 4, keep: keep)
    }

    mutating func handle(_ r: DelimitedRecord, into t: LabelledTextTokenizer, split: ReviewSplit) throws {
        let at = SourceLocation(file: source, line: r.line)
        if !sawHeaderOrRow {
            sawHeaderOrRow = true
            if options.hasHeader {
                if let p = r.problem { throw InputError("the header row is malformed: \(p)", at: at) }
                let names = r.fields.map { String(decoding: $0, as: UTF8.self).trimmingASCIISpaces }
                func resolve(_ ref: ColumnRef, _ key: String) throws -> Int {
                    switch ref {
                    case .index(let i):
                        guard i < names.count else { throw InputError("text.\(key) \(i) is past the header's \(names.count) columns", at: at, field: "text.\(key)", value: String(i)) }
                        return i
                    case .name(let n):
                        guard let i = names.firstIndex(of: n) else {
                            throw InputError("no column \(JSONString.quote(n)) in the header", at: at, field: "text.\(key)", value: n,
                                             hint: "the header has \(names.prefix(20).map { JSONString.quote($0) }.joined(separator: ", ")); a file without a header takes 0-based indices and header: false")
                        }
                        return i
                    }
                }
                textIndex = try resolve(options.textColumn, "text_column")
                labelIndex = try resolve(options.labelColumn, "label_column")
                fieldCount = names.count
                keep.indices = [textIndex, labelIndex]
                return
            }
            guard case .index(let ti) = options.textColumn, case .index(let li) = options.labelColumn else {
                throw InputError("columns are named but text.header is false", field: "text.header",
                                 hint: "give 0-based indices (text_column: 1, label_column: 0) for a file without a header")
            }
            textIndex = ti; labelIndex = li
            keep.indices = [ti, li]
        }
        if let p = r.problem { return try t.bad(p, at: at) }
        if fieldCount < 0 { fieldCount = r.fields.count }
        guard r.fields.count == fieldCount else {
            return try t.bad("\(r.fields.count) field\(r.fields.count == 1 ? "" : "s"), expected \(fieldCount) (an unquoted delimiter in the text?)", at: at)
        }
        guard textIndex < r.fields.count, labelIndex < r.fields.count else {
            return try t.bad("\(r.fields.count) fields: no column \(max(textIndex, labelIndex))", at: at)
        }
        if r.cutFields.contains(labelIndex) {
            return try t.bad("label longer than \(LabelledTextOptions.maxLabelBytes) bytes (is text.label_column the text?)", at: at)
        }
        let label = String(decoding: r.fields[labelIndex], as: UTF8.self)
        try t.add(text: r.fields[textIndex][...], label: label, split: split, at: at)
    }
}

extension StringProtocol {
    /// Without leading and trailing ASCII spaces, tabs and CR/LF.
    var trimmingASCIISpaces: String {
        let u = Array(utf8)
        var a = 0, b = u.count
        while a < b, [0x20, 0x09, 0x0D, 0x0A].contains(u[a]) { a += 1 }
        while b > a, [0x20, 0x09, 0x0D, 0x0A].contains(u[b - 1]) { b -= 1 }
        return String(decoding: u[a..<b], as: UTF8.self)
    }
}
