import PipelineCore

/// Pass 2 of ``prepareImdb(source:into:options:provenance:progress:)``: reads each review's
/// provisional ids back from the spill file, maps them to final ids, pads the row and streams
/// chunks of rows to `x_<split>.npy` and labels to `y_<split>.npy`.
struct RowWriter {
    let spill: SpillFile
    let finalId: [Int32]
    let startChar: Int32?
    let options: ImdbPrepareOptions
    private var ids: [Int32] = []
    private var encoded: [Int32] = []
    static let chunkRows = 1024

    init(spill: SpillFile, finalId: [Int32], startChar: Int32?, options: ImdbPrepareOptions) {
        self.spill = spill; self.finalId = finalId; self.startChar = startChar; self.options = options
    }

    /// Final ids of one review into `encoded` (start char first); returns their count.
    private mutating func encode(_ r: ReviewRecord) throws -> Int {
        try spill.read(offset: r.offset, count: Int(r.length), into: &ids)
        encoded.removeAll(keepingCapacity: true)
        if let s = startChar { encoded.append(s) }
        finalId.withUnsafeBufferPointer { map in
            for k in 0..<Int(r.length) {
                let v = map[Int(ids[k])]
                if v >= 0 { encoded.append(v) }
            }
        }
        return encoded.count
    }

    mutating func write(_ rows: [ReviewRecord], split: ReviewSplit, x: String, y: String) throws
        -> ImdbPreparationResult.SplitSummary {
        var maxlen = options.maxlen ?? 0
        if options.maxlen == nil {
            for r in rows { maxlen = max(maxlen, try encode(r)) }
        }
        let xw = try NpyStreamWriter<Int32>(path: x, rowShape: [maxlen])
        let yw = try NpyStreamWriter<Int32>(path: y, rowShape: [])
        var chunk = [Int32](repeating: 0, count: RowWriter.chunkRows * maxlen)
        var labels: [Int32] = []
        var labelCounts: [Int: Int] = [:]
        var tokens = 0, truncated = 0, inChunk = 0
        for r in rows {
            let n = try encode(r)
            tokens += Int(r.length)
            if n > maxlen { truncated += 1 }
            chunk.withUnsafeMutableBufferPointer { c in
                encoded.withUnsafeBufferPointer { e in
                    padRow(e, into: c.baseAddress! + inChunk * maxlen, maxlen: maxlen, padding: options.padding,
                           truncating: options.truncating, value: options.value)
                }
            }
            labels.append(r.label)
            labelCounts[Int(r.label), default: 0] += 1
            inChunk += 1
            if inChunk == RowWriter.chunkRows {
                try xw.append(chunk); try yw.append(labels)
                labels.removeAll(keepingCapacity: true); inChunk = 0
            }
        }
        if inChunk > 0 {
            try xw.append(Array(chunk[0..<inChunk * maxlen])); try yw.append(labels)
        }
        try xw.finish(); try yw.finish()
        return .init(split: split, count: rows.count, labelCounts: labelCounts, tokens: tokens,
                     truncated: truncated, maxlen: maxlen)
    }
}

/// The content of `meta.json`.
func imdbMetaJSON(_ splits: [ImdbPreparationResult.SplitSummary], vocabulary: Vocabulary, distinct: Int,
                  options: ImdbPrepareOptions, provenance: ImdbProvenance) -> [UInt8] {
    func q(_ s: String) -> String { var o: [UInt8] = []; appendJSONString(s, to: &o); return String(decoding: o, as: UTF8.self) }
    var lines = [
        "\"format\": \"pipeline-imdb-prepared\"", "\"version\": 1",
        "\"tool_version\": \(q(provenance.toolVersion))", "\"spec_hash\": \(q(provenance.specHash))",
        "\"source_checksum\": \(q(provenance.sourceChecksum))",
        "\"vocabulary_hash\": \(q("fnv1a64:" + vocabulary.hash))", "\"vocabulary_file\": \"vocab.json\"",
        "\"index\": \(q(options.index.name))", "\"stored_words\": \(vocabulary.words.count)",
        "\"distinct_train_words\": \(distinct)",
        "\"maxlen\": \(options.maxlen.map(String.init) ?? "null")", "\"padding\": \(q(options.padding.rawValue))",
        "\"truncating\": \(q(options.truncating.rawValue))", "\"value\": \(options.value)",
        "\"shuffle\": \(options.shuffle)", "\"seed\": \(options.seed)",
        "\"order\": \"sorted by label then id, then shuffled with SeededRandom(seed, stage: imdb-<split>) when shuffle\"",
        "\"y_shape\": \"[N] int32, 1 = pos, 0 = neg\"",
    ]
    var parts: [String] = []
    for s in splits {
        let labels = s.labelCounts.keys.sorted().map { "\"\($0)\": \(s.labelCounts[$0]!)" }.joined(separator: ", ")
        parts.append("\"\(s.split.rawValue)\": {\"count\": \(s.count), \"labels\": {\(labels)}, \"tokens\": \(s.tokens), "
                     + "\"truncated\": \(s.truncated), \"x\": \"x_\(s.split.rawValue).npy\", \"x_shape\": [\(s.count), \(s.maxlen)], "
                     + "\"y\": \"y_\(s.split.rawValue).npy\", \"y_shape\": [\(s.count)]}")
    }
    lines.append("\"splits\": {\n    " + parts.joined(separator: ",\n    ") + "\n  }")
    return Array(("{\n  " + lines.joined(separator: ",\n  ") + "\n}\n").utf8)
}
