import PipelineCore

/// The header row of a CSV file and how its columns are used: decoding of the names,
/// lookup by name with a did-you-mean hint, the role of each field.
struct CSVHeader {
    enum Role: Equatable { case skip, timestamp, value(Int) }

    let names: [String]
    let encoding: CSVEncoding          // resolved: utf8 or latin1

    /// Decodes header fields (already unquoted) with `encoding`; `auto` picks UTF-8 when every
    /// field is valid UTF-8 or the file had a byte-order mark, else Latin-1.
    init(fields: [[UInt8]], encoding: CSVEncoding, hadBOM: Bool) {
        var enc = encoding
        if enc == .auto {
            enc = hadBOM || fields.allSatisfy({ String(validating: $0, as: UTF8.self) != nil }) ? .utf8 : .latin1
        }
        self.encoding = enc
        names = fields.map { CSVHeader.decode($0, enc) }
    }

    static func decode(_ bytes: some Collection<UInt8>, _ enc: CSVEncoding) -> String {
        if enc == .latin1 {
            var s = ""; s.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) }); return s
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The 0-based index of the column called `name`, or an error naming the closest column.
    func index(of name: String, field: String, source: String) throws -> Int {
        if let i = names.firstIndex(of: name) { return i }
        var hint = "columns are " + names.map { "'\($0)'" }.joined(separator: ", ")
        if let best = CSVHeader.closest(to: name, in: names) { hint = "did you mean '\(best)'? " + hint }
        throw InputError("unknown column", at: SourceLocation(file: source, line: 1), field: field,
                         value: name, hint: hint)
    }

    /// The candidate with the smallest edit distance (case-insensitive), if it is close enough
    /// (at most half the name's length, or one contains the other).
    static func closest(to name: String, in candidates: [String]) -> String? {
        let lower = name.lowercased()
        var best: (String, Int)?
        for c in candidates {
            let d = EditDistance.levenshtein(lower, c.lowercased())
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best else { return nil }
        let contains = !lower.isEmpty && (c.lowercased().contains(lower) || lower.contains(c.lowercased()))
        guard d <= max(2, lower.unicodeScalars.count / 2) || contains else { return nil }
        return c
    }
}
