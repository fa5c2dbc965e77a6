import PipelineCore

/// Pass 2 of ``prepareImdb(source:into:options:provenance:progress:)``: reads each review's
/// provisional ids back from the spill file, maps them to final ids, pads the row and streams
/// chunks of rows to `x_<split>.npy` and labels to `y_<split>.npy`. Chunks of 1,024 rows are
/// encoded two at a time, the second on a ``WorkerThread``, and written in order.
struct RowWriter {
    private let encoders: (RowEncoder, RowEncoder)       // this thread's, the helper's
    let options: ImdbPrepareOptions
    static let chunkRows = 1024
    private let helper = WorkerThread(name: "imdb-rows")

    init(spill: SpillFile, finalId: [Int32], startChar: Int32?, options: ImdbPrepareOptions) {
        encoders = (RowEncoder(spill: spill, finalId: finalId, startChar: startChar, options: options),
                    RowEncoder(spill: spill, finalId: finalId, startChar: startChar, options: options))
        self.options = options
    }

    /// Ends the helper thread (call once when done with the writer).
    func close() { helper.stop() }

    func write(_ rows: [ReviewRecord], split: ReviewSplit, x: String, y: String) throws
        -> ImdbPreparationResult.SplitSummary {
        var maxlen = options.maxlen ?? 0
        if options.maxlen == nil {
            for r in rows { maxlen = max(maxlen, try encoders.0.encode(r)) }
        }
        let xw = try NpyStreamWriter<Int32>(path: x, rowShape: [maxlen])
        let yw = try NpyStreamWriter<Int32>(path: y, rowShape: [])
        let bufferCount = RowWriter.chunkRows * max(maxlen, 1)
        let b0 = UnsafeMutablePointer<Int32>.allocate(capacity: bufferCount)
        let b1 = UnsafeMutablePointer<Int32>.allocate(capacity: bufferCount)
        defer { b0.deallocate(); b1.deallocate() }
        var labelCounts: [Int: Int] = [:]
        var tokens = 0, truncated = 0
        for r in rows { labelCounts[Int(r.label), default: 0] += 1 }
        let chunks = stride(from: 0, to: rows.count, by: RowWriter.chunkRows).map {
            $0..<min(rows.count, $0 + RowWriter.chunkRows)
        }
        for pair in stride(from: 0, to: chunks.count, by: 2) {
            let second = pair + 1 < chunks.count ? chunks[pair + 1] : nil
            // Each thread writes only its own variable (one array written from both threads at
            // once lost counts: copy-on-write is not thread-safe); read after `wait()`.
            var stats = [(tokens: 0, truncated: 0), (tokens: 0, truncated: 0)]
            var helperStats = (tokens: 0, truncated: 0)
            var failure: (any Error)?
            let (mine, helpers) = encoders
            if let second {
                helper.submit {
                    do { helperStats = try helpers.fill(rows[second], into: b1, maxlen: maxlen) } catch { failure = error }
                }
            }
            do {
                defer { helper.wait() }
                stats[0] = try mine.fill(rows[chunks[pair]], into: b0, maxlen: maxlen)
            }
            stats[1] = helperStats
            if let failure { throw failure }
            for (k, range) in [chunks[pair], second].enumerated() {
                guard let range else { continue }
                tokens += stats[k].tokens; truncated += stats[k].truncated
                try xw.append(UnsafeBufferPointer(start: k == 0 ? b0 : b1, count: range.count * maxlen))
                try yw.append(rows[range].map(\.label))
            }
        }
        try xw.finish(); try yw.finish()
        return .init(split: split, count: rows.count, labelCounts: labelCounts, tokens: tokens,
                     truncated: truncated, maxlen: maxlen)
    }
}

/// Encodes and pads rows of one chunk; each thread of ``RowWriter`` has its own (scratch buffers).
final class RowEncoder {
    let spill: SpillFile
    let finalId: [Int32]
    let startChar: Int32?
    let options: ImdbPrepareOptions
    private var ids: [Int32] = []
    private var encoded: [Int32] = []

    init(spill: SpillFile, finalId: [Int32], startChar: Int32?, options: ImdbPrepareOptions) {
        self.spill = spill; self.finalId = finalId; self.startChar = startChar; self.options = options
    }

    /// Final ids of one review into `encoded` (start char first); returns their count.
    func encode(_ r: ReviewRecord) throws -> Int {
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

    /// Rows `rows` padded to `maxlen` into `out` (row-major); the chunk's token and truncation counts.
    func fill(_ rows: ArraySlice<ReviewRecord>, into out: UnsafeMutablePointer<Int32>, maxlen: Int) throws
        -> (tokens: Int, truncated: Int) {
        var tokens = 0, truncated = 0
        for (i, r) in rows.enumerated() {
            let n = try encode(r)
            tokens += Int(r.length)
            if n > maxlen { truncated += 1 }
            encoded.withUnsafeBufferPointer { e in
                padRow(e, into: out + i * maxlen, maxlen: maxlen, padding: options.padding,
                       truncating: options.truncating, value: options.value)
            }
        }
        return (tokens, truncated)
    }
}

/// The content of `meta.json`.
func imdbMetaJSON(_ splits: [ImdbPreparationResult.SplitSummary], vocabulary: Vocabulary, vocabularyHash: String, distinct: Int,
                  tokensCut: Int = 0, options: ImdbPrepareOptions, provenance: ImdbProvenance,
                  classNames: [String]? = nil, extra: [(String, JSONValue)] = [], sharded: Bool = false) -> [UInt8] {
    func q(_ s: String) -> String { JSONString.quote(s) }
    var lines = [
        "\"format\": \"pipeline-imdb-prepared\"", "\"version\": 1",
        "\"tool_version\": \(q(provenance.toolVersion))", "\"spec_hash\": \(q(provenance.specHash))",
        "\"source_checksum\": \(q(provenance.sourceChecksum))",
        "\"vocabulary_hash\": \(q("fnv1a64:" + vocabularyHash))", "\"vocabulary_file\": \"vocab.json\"",
        "\"index\": \(q(options.index.name))", "\"stored_words\": \(vocabulary.words.count)",
        "\"distinct_train_words\": \(distinct)",
        "\"max_token_bytes\": \(options.standardization.maxTokenBytes)", "\"tokens_cut\": \(tokensCut)",
        "\"maxlen\": \(options.maxlen.map(String.init) ?? "null")", "\"padding\": \(q(options.padding.rawValue))",
        "\"truncating\": \(q(options.truncating.rawValue))", "\"value\": \(options.value)",
        "\"shuffle\": \(options.shuffle)", "\"seed\": \(options.seed)",
        "\"order\": \"sorted by label then id, then shuffled with SeededRandom(seed, stage: imdb-<split>) when shuffle\"",
        classNames == nil ? "\"y_shape\": \"[N] int32, 1 = pos, 0 = neg\"" : "\"y_shape\": \"[N] int32 class ids, see class_names\"",
        "\"class_names\": [" + (classNames ?? ["neg", "pos"]).map(q).joined(separator: ", ") + "]",
    ] + extra.map { "\(q($0.0)): \($0.1.text)" }
    var parts: [String] = []
    let shard = sharded ? "-*" : ""   // sharded: x_train-0000.npy … (shards.json lists them), shapes of the concatenation
    for s in splits {
        let labels = s.labelCounts.keys.sorted().map { "\"\($0)\": \(s.labelCounts[$0]!)" }.joined(separator: ", ")
        parts.append("\"\(s.split.rawValue)\": {\"count\": \(s.count), \"labels\": {\(labels)}, \"tokens\": \(s.tokens), "
                     + "\"truncated\": \(s.truncated), \"x\": \"x_\(s.split.rawValue)\(shard).npy\", \"x_shape\": [\(s.count), \(s.maxlen)], "
                     + "\"y\": \"y_\(s.split.rawValue)\(shard).npy\", \"y_shape\": [\(s.count)]}")
    }
    lines.append("\"splits\": {\n    " + parts.joined(separator: ",\n    ") + "\n  }")
    return Array(("{\n  " + lines.joined(separator: ",\n  ") + "\n}\n").utf8)
}
