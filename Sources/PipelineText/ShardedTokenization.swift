import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sharded preparation of a text set: the shards of one rank (all of them in one process)
/// tokenized into one spill file, their word counts merged with the other ranks' into one
/// vocabulary, and each shard's rows written to its own files.
///
/// ```swift
/// let t = try ShardedTokenization(aclImdb: standardization, spillDirectory: dir)
/// for k in myShards { try await t.addAclImdb(entries(k)); try t.endShard(k) }   // pass 1
/// try t.exchangeCounts(collective, options: options)                            // round 1
/// let result = try t.write(collective, shardCount: n, into: dir, options: options,
///                          provenance: p, digest: sha256OfFile)                 // pass 2, rounds 2–3
/// ```
///
/// Semantics:
/// - Pass 1 is that of ``prepareImdb(source:into:options:provenance:progress:)`` (aclImdb entries)
///   or of ``LabelledTextTokenizer`` (CSV/TSV/JSONL/folders), shard after shard.
/// - ``exchangeCounts(_:options:)`` sends this rank's training word counts (words with a
///   non-zero count: their bytes and counts), label names and row counts to every rank; each
///   rank sums them into one table and ranks it (``VocabularyBuilder``: counts descending, ties
///   by bytes), which does not depend on the order of the shards or ranks: the vocabulary equals
///   that of one prepare over all the shards' texts. Labels (text sets without `class_names`)
///   are the union of every shard's, sorted as ``LabelTable`` does.
/// - ``write(_:shardCount:into:options:provenance:digest:)``: with `maxlen` unset, one more
///   exchange finds each split's longest row over all shards. Then each shard's rows of each
///   split are ordered by label then id and shuffled with `SeededRandom(seed, stage:
///   "imdb-<split>-shard-<k>")` (when `options.shuffle`), encoded and padded, and written to
///   `x_<split>-<kkkk>.npy` / `y_<split>-<kkkk>.npy` (``ShardManifest/fileName(_:split:shard:)``);
///   a split with rows in some shard has files in every shard (`[0, maxlen]` when it has none
///   there). Row counts, sizes and digests are exchanged and rank 0 writes `vocab.json`,
///   `meta.json` (totals over the shards) and `shards.json` (``ShardManifest``) last; a final
///   barrier means the folder is complete on every rank when this returns. Nothing depends on
///   the number of ranks: the files are byte-identical with 1 or N ranks.
/// Every file goes through ``AtomicFile``/``NpyStreamWriter`` (complete under its final name or
/// absent); when a step fails, the shard files this rank wrote are removed before it throws.
/// Memory: this rank's word tables, the merged table of every rank's counted words, ~32 bytes
/// per row of this rank's shards. Collective: every rank calls both methods, in order.
public final class ShardedTokenization {
    public let standardization: TextStandardization
    /// The labelled-text reader whose spill file and counter this uses (nil: aclImdb entries).
    public let labelled: LabelledTextTokenizer?
    let spill: SpillFile
    let counter: ParallelTokenCounter
    /// This rank's shards in order, with the end of each one's records.
    private(set) var shardEnds: [(index: Int, end: Int)] = []
    private var plan: Plan?

    /// What every rank knows after ``exchangeCounts(_:options:)``.
    struct Plan {
        var vocabulary: Vocabulary
        var vocabularyJSON: [UInt8]
        var vocabularyHash: String
        var distinct: Int
        var classNames: [String]?
        var finalId: [Int32]                 // this rank's spilled values → final ids
        var rows: [ReviewSplit: Int]         // over all shards
        var tokensCut = 0, badRows = 0, textsCut = 0, ignoredFiles = 0
        var badRowExamples: [String] = []
        var textFormat = ""
    }

    /// For aclImdb entries (``addAclImdb(_:progress:)``); the spill file goes to `spillDirectory`.
    public init(aclImdb standardization: TextStandardization, spillDirectory: String) throws {
        self.standardization = standardization
        labelled = nil
        try Directories.make(spillDirectory)
        spill = try SpillFile(directory: spillDirectory)
        counter = ParallelTokenCounter(standardization: standardization, spill: spill)
    }

    /// For a labelled text set: feed `tokenizer` (``LabelledTextTokenizer/addRecords(_:format:split:source:progress:)``
    /// or ``LabelledTextTokenizer/addEntries(_:format:split:source:progress:)``) and call ``endShard(_:)``
    /// after each shard; do not call its `finish()`.
    public init(labelled tokenizer: LabelledTextTokenizer) {
        standardization = tokenizer.standardization
        labelled = tokenizer
        spill = tokenizer.spill
        counter = tokenizer.counter
    }

    /// Pass 1 of one shard's aclImdb entries (as ``AsyncAclImdbSequence/tokenized(_:spillDirectory:progress:)``).
    public func addAclImdb<S: AsyncSequence>(_ entries: S, progress: ProgressReporter? = nil) async throws where S.Element == DataEntry {
        precondition(labelled == nil, "addAclImdb is for a tokenization made with init(aclImdb:spillDirectory:)")
        for try await entry in entries {
            guard let p = try AclImdbPath.parse(entry.path) else { continue }
            try counter.add(entry, p)
            progress?.advance(items: 1, bytes: entry.data.count)
        }
    }

    /// Ends shard `index` (shard indices in increasing order): what was added since the previous call is its rows.
    public func endShard(_ index: Int) throws {
        precondition(shardEnds.last.map { $0.index < index } ?? true, "shards end in increasing order")
        try counter.flush()
        shardEnds.append((index, counter.records.count))
    }

    /// Class names in id order after ``exchangeCounts(_:options:)`` (nil: aclImdb's neg, pos).
    public var classNames: [String]? { plan?.classNames }
    /// Rows of `split` over every shard of every rank, after ``exchangeCounts(_:options:)``.
    public func rows(_ split: ReviewSplit) -> Int { plan?.rows[split] ?? 0 }
    /// Totals over every rank after ``exchangeCounts(_:options:)``: bad rows skipped, texts cut,
    /// files ignored, and the first few bad rows (labelled text sets).
    public var badRows: Int { plan?.badRows ?? 0 }
    public var textsCut: Int { plan?.textsCut ?? 0 }
    public var ignoredFiles: Int { plan?.ignoredFiles ?? 0 }
    public var badRowExamples: [String] { plan?.badRowExamples ?? [] }

    private func records(ofShardAt i: Int) -> ArraySlice<ReviewRecord> {
        counter.records[(i == 0 ? 0 : shardEnds[i - 1].end)..<shardEnds[i].end]
    }

    /// Round 1 (collective): every rank's training word counts, labels and row counts merged
    /// into the vocabulary (`options.index`) and class ids; this rank's rows relabelled.
    /// Errors (the same on every rank): no training rows in any shard, more distinct labels
    /// than `text.max_classes`, `label_mode: binary` without exactly two classes.
    public func exchangeCounts(_ collective: any Collective, options: ImdbPrepareOptions) throws {
        precondition(plan == nil, "exchangeCounts runs once")
        try counter.flush()
        try spill.flush()
        let (table, globalOfSpilled) = counter.merge()
        var w = ShardPayloadWriter()
        w.int(shardEnds.count)
        for i in shardEnds.indices {
            let recs = records(ofShardAt: i)
            w.int(shardEnds[i].index)
            for split in ReviewSplit.allCases { w.int(recs.reduce(0) { $0 + ($1.split == split ? 1 : 0) }) }
        }
        let myLabels = labelled?.labels.labels ?? []
        w.int(myLabels.count)
        for l in myLabels { w.string(l) }
        w.int(counter.cutTokens); w.int(labelled?.badRows ?? 0); w.int(labelled?.textsCut ?? 0); w.int(labelled?.ignoredFiles ?? 0)
        w.string(labelled?.formats.first?.rawValue ?? "")
        let examples = labelled?.badRowExamples ?? []
        w.int(examples.count)
        for e in examples { w.string(e) }
        var counted = 0
        for id in 0..<table.count where table.counts[id] > 0 { counted += 1 }
        w.int(counted)
        for id in 0..<table.count where table.counts[id] > 0 { w.data(table.key(id)); w.int(Int(table.counts[id])) }

        let all = try collective.allGather(w.bytes)
        let merged = TokenTable(capacity: 1 << 16)
        var rows: [ReviewSplit: Int] = [:]
        var labelNames: [String] = []
        var seenLabels = Set<String>()
        var plan = Plan(vocabulary: try Vocabulary(words: [], standardization: options.standardization, index: options.index),
                        vocabularyJSON: [], vocabularyHash: "", distinct: 0, classNames: nil, finalId: [], rows: [:])
        for (rank, bytes) in all.enumerated() {
            var r = ShardPayloadReader(bytes, rank: rank)
            for _ in 0..<(try r.int()) {
                _ = try r.int()
                for split in ReviewSplit.allCases { rows[split, default: 0] += try r.int() }
            }
            for _ in 0..<(try r.int()) { let l = try r.string(); if seenLabels.insert(l).inserted { labelNames.append(l) } }
            plan.tokensCut += try r.int(); plan.badRows += try r.int(); plan.textsCut += try r.int(); plan.ignoredFiles += try r.int()
            let format = try r.string()
            if rank == 0 { plan.textFormat = format }
            for _ in 0..<(try r.int()) {
                let e = try r.string()
                if plan.badRowExamples.count < 5 { plan.badRowExamples.append(e) }
            }
            for _ in 0..<(try r.int()) {
                let range = try r.dataRange()
                let id = bytes.withUnsafeBufferPointer { merged.insert(UnsafeBufferPointer(rebasing: $0[range])) }
                merged.counts[Int(id)] += Int64(try r.int())
            }
        }
        plan.rows = rows
        guard rows[.train, default: 0] > 0 else {
            throw InputError("no training rows in any shard", field: "source.shards",
                             hint: labelled == nil ? "expected entries like aclImdb/train/pos/123_9.txt and aclImdb/train/neg/…"
                                                   : "check text.format, the columns and source.include")
        }

        // Class ids over the union of the shards' labels; this rank's provisional ids → them.
        if let labelled {
            var union = LabelTable(classNames: labelled.options.classNames, maxClasses: labelled.options.maxClasses)
            for l in labelNames { _ = try union.provisionalId(l, at: SourceLocation(file: "source.shards")) }
            let (names, finalOfUnion) = union.finish()
            var finalOfName: [String: Int32] = [:]
            for (i, l) in (labelled.options.classNames ?? labelNames).enumerated() { finalOfName[l] = finalOfUnion[i] }
            counter.relabel(myLabels.map { finalOfName[$0]! })
            if labelled.options.labelMode == .binary && names.count != 2 {
                throw InputError("text.label_mode binary needs exactly 2 classes; the data has \(names.count)", field: "text.label_mode",
                                 value: names.prefix(10).joined(separator: ", "), hint: "use label_mode: int (sparse_categorical_crossentropy) or categorical")
            }
            plan.classNames = names
        }

        // The vocabulary of the merged counts, and this rank's spilled ids → final ids.
        let order = VocabularyBuilder.rank(merged, limit: options.index.storedWords)
        let oov = options.index.id(forRank: -1)
        var finalOfMerged = [Int32](repeating: oov, count: merged.count)
        for (r, id) in order.enumerated() { finalOfMerged[Int(id)] = options.index.id(forRank: r) }
        let finalOfLocal = (0..<table.count).map { l -> Int32 in
            let m = merged.find(table.key(l))
            return m < 0 ? oov : finalOfMerged[Int(m)]
        }
        plan.finalId = globalOfSpilled.map { finalOfLocal[Int($0)] }
        plan.distinct = merged.count   // only counted words were exchanged
        plan.vocabulary = try Vocabulary(words: order.map { merged.keyString(Int($0)) }, counts: order.map { Int(merged.counts[Int($0)]) },
                                         standardization: options.standardization, index: options.index)
        plan.vocabularyJSON = plan.vocabulary.jsonBytes()
        plan.vocabularyHash = plan.vocabulary.hash
        self.plan = plan
    }

    /// Pass 2 (collective): writes this rank's shard files into `directory`; rank 0 then writes
    /// `vocab.json`, `meta.json` and `shards.json`. `shardCount` is the number of shards of the
    /// whole job; `digest` returns a file's SHA-256 (hex). Returns the totals (every rank).
    public func write(_ collective: any Collective, shardCount: Int, into directory: String, options: ImdbPrepareOptions,
                      provenance: ImdbProvenance = .init(), digest: (String) throws -> String) throws -> ImdbPreparationResult {
        guard var plan else { preconditionFailure("exchangeCounts(_:options:) first") }
        let splits = ReviewSplit.allCases.filter { plan.rows[$0, default: 0] > 0 }

        // Round 2: the longest row of each split over every shard, when maxlen is unset.
        var maxlen: [ReviewSplit: Int] = [:]
        if let m = options.maxlen {
            for s in splits { maxlen[s] = m }
        } else {
            let encoder = RowEncoder(spill: spill, finalId: plan.finalId, startChar: options.index.startChar, options: options)
            var mine: [ReviewSplit: Int] = [:]
            for r in counter.records { mine[r.split] = max(mine[r.split] ?? 0, try encoder.encode(r)) }
            var w = ShardPayloadWriter()
            for s in ReviewSplit.allCases { w.int(mine[s] ?? 0) }
            for (rank, bytes) in try collective.allGather(w.bytes).enumerated() {
                var r = ShardPayloadReader(bytes, rank: rank)
                for s in ReviewSplit.allCases { maxlen[s] = max(maxlen[s] ?? 0, try r.int()) }
            }
        }

        // This rank's shards: order, shuffle, encode, pad, write; their summaries for round 3.
        var written: [String] = []
        var w = ShardPayloadWriter()
        var writers: [ReviewSplit: RowWriter] = [:]   // one per split (its maxlen), each with a worker thread
        for split in splits {
            var o = options
            o.maxlen = maxlen[split] ?? 0
            writers[split] = RowWriter(spill: spill, finalId: plan.finalId, startChar: options.index.startChar, options: o)
        }
        defer { for writer in writers.values { writer.close() } }
        do {
            w.int(shardEnds.count)
            for i in shardEnds.indices {
                let k = shardEnds[i].index
                let shardRows = records(ofShardAt: i)
                w.int(k)
                for split in splits {
                    let rows = ReviewRecord.ordered(shardRows.filter { $0.split == split }, options: options,
                                                    stage: "imdb-\(split.rawValue)-shard-\(k)")
                    let x = directory + "/" + ShardManifest.fileName("x", split: split, shard: k)
                    let y = directory + "/" + ShardManifest.fileName("y", split: split, shard: k)
                    written += [x, y]
                    let s = try writers[split]!.write(rows, split: split, x: x, y: y)
                    w.int(s.count); w.int(s.tokens); w.int(s.truncated); w.int(s.maxlen)
                    w.int(s.labelCounts.count)
                    for (label, n) in s.labelCounts.sorted(by: { $0.key < $1.key }) { w.int(label); w.int(n) }
                    for path in [x, y] { w.int(try Self.fileSize(path)); w.string(try digest(path)) }
                }
            }
        } catch {
            Self.remove(written)
            throw error
        }

        // Round 3: every shard's summary; rank 0 writes the shared files.
        var files: [ReviewSplit: [ShardManifest.File]] = [:]
        var totals: [ReviewSplit: ImdbPreparationResult.SplitSummary] = [:]
        for s in splits { totals[s] = .init(split: s, count: 0, labelCounts: [:], tokens: 0, truncated: 0, maxlen: maxlen[s] ?? 0) }
        let all = try collective.allGather(w.bytes)
        for (rank, bytes) in all.enumerated() {
            var r = ShardPayloadReader(bytes, rank: rank)
            for _ in 0..<(try r.int()) {
                let k = try r.int()
                for split in splits {
                    let count = try r.int(), tokens = try r.int(), truncated = try r.int()
                    _ = try r.int()
                    totals[split]!.count += count; totals[split]!.tokens += tokens; totals[split]!.truncated += truncated
                    for _ in 0..<(try r.int()) { let label = try r.int(); totals[split]!.labelCounts[label, default: 0] += try r.int() }
                    let xBytes = try r.int(), xSHA = try r.string(), yBytes = try r.int(), ySHA = try r.string()
                    files[split, default: []].append(.init(shard: k, rows: count, x: ShardManifest.fileName("x", split: split, shard: k),
                                                           xBytes: xBytes, xSHA256: xSHA, y: ShardManifest.fileName("y", split: split, shard: k),
                                                           yBytes: yBytes, ySHA256: ySHA))
                }
            }
        }
        for s in splits { files[s]!.sort { $0.shard < $1.shard } }
        let manifest = ShardManifest(shardCount: shardCount, splits: files)
        let summaries = splits.map { totals[$0]! }
        var extra: [(String, JSONValue)] = []
        if let labelled {
            extra = [("text_format", .string(plan.textFormat.isEmpty ? labelled.options.format.rawValue : plan.textFormat)),
                     ("label_mode", .string(labelled.options.labelMode.rawValue)), ("bad_rows", .int(plan.badRows)),
                     ("texts_cut", .int(plan.textsCut)), ("max_text_bytes", .int(labelled.options.maxTextBytes))]
        }
        extra += [("shards", .int(shardCount)), ("shard_manifest", .string(ShardManifest.fileName))]
        let vocabPath = directory + "/vocab.json", metaPath = directory + "/meta.json", manifestPath = directory + "/" + ShardManifest.fileName
        if collective.rank == 0 {
            do {
                try AtomicFile.write(plan.vocabularyJSON, to: vocabPath)
                try AtomicFile.write(imdbMetaJSON(summaries, vocabulary: plan.vocabulary, vocabularyHash: plan.vocabularyHash,
                                                  distinct: plan.distinct, tokensCut: plan.tokensCut, options: options, provenance: provenance,
                                                  classNames: plan.classNames, extra: extra, sharded: true), to: metaPath)
                try AtomicFile.write(Array(manifest.json.utf8), to: manifestPath)
            } catch {
                Self.remove(written + [vocabPath, metaPath])
                throw error
            }
        }
        try collective.barrier()
        plan.finalId = []
        var result = ImdbPreparationResult(splits: summaries, vocabulary: plan.vocabulary, distinctWords: plan.distinct,
                                           files: splits.flatMap { s in files[s]!.flatMap { [directory + "/" + $0.x, directory + "/" + $0.y] } }
                                               + [vocabPath, metaPath, manifestPath],
                                           tokensCut: plan.tokensCut)
        if let names = plan.classNames { result.classNames = names }
        return result
    }

    static func fileSize(_ path: String) throws -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { throw IOFailure("cannot stat a written shard file: \(String(cString: strerror(errno)))", path: path) }
        return Int(st.st_size)
    }

    static func remove(_ paths: [String]) { for p in paths { unlink(p) } }
}
