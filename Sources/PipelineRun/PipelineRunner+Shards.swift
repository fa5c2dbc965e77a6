import Foundation
import Crypto
import PipelineCore
import PipelineSpec
import PipelineIO
import PipelineText

/// Sharded preparation (`source.shards`, text pipelines): every shard is read with the
/// source's other keys; word counts are merged over all shards, so the vocabulary equals that
/// of one prepare over all the shards' texts; each shard's rows are written to its own files
/// (`x_train-0000.npy`, `y_train-0000.npy`, …) with one `shards.json` listing them (rows, bytes,
/// SHA-256), beside `vocab.json` and `meta.json` (see PipelineText's ``ShardedTokenization``).
///
/// With ``collective`` (`mpirun -np N pipeline prepare SPEC`), rank r reads the shards k with
/// k % N == r, and the ranks exchange their word counts, longest rows and file summaries; rank 0
/// prepares the output folder before the others write into it and writes the shared files last.
/// The output folder must be on storage every rank sees (a shared filesystem); each rank writes
/// only its own shards' files. Without ``collective`` one process reads every shard. The files
/// are byte-identical whatever N. `pipeline run` reads the manifest (``EncodedDataset``) and
/// trains on the concatenation of the shards' rows in shard order.
extension PipelineRunner {
    /// The opener of each shard: the spec's source with the shard's URL and checksums.
    var shardOpeners: [SourceOpener] {
        spec.source.shards.map { s in
            var one = spec
            one.source.shards = []
            one.source.url = s.url; one.source.sha256 = s.sha256; one.source.md5 = s.md5
            return SourceOpener(spec: one, progress: progress)
        }
    }

    /// ``prepare(overwrite:)`` of a sharded spec: rank 0 (or the only process) checks every
    /// shard is apart from the output folder, prepares the folder and lists every shard file
    /// name in its output manifest (the other ranks' files included, so `--overwrite` may
    /// remove them later), then all ranks meet and prepare.
    func prepareSharded(overwrite: Bool, lock: inout OutputFolder.Lock?) async throws -> RunResult {
        let collective = self.collective ?? SingleProcess()
        if collective.rank == 0 {
            for o in shardOpeners where !o.isRemote {
                try OutputFolder.checkApart(output: spec.outputDir, source: o.location, cacheDir: spec.source.expandedCacheDir)
            }
            try OutputFolder.prepare(spec.outputDir, overwrite: overwrite, source: opener.location, cacheDir: spec.source.expandedCacheDir)
            let names = spec.source.shards.indices.flatMap { k in
                ReviewSplit.allCases.flatMap { s in ["x", "y"].map { ShardManifest.fileName($0, split: s, shard: k) } }
            }
            try OutputManifest.adopt(root: spec.outputDir, files: (try OutputFolder.readManifest(spec.outputDir) ?? []) + names)
            if lock?.isHeld == false { lock = try OutputFolder.Lock(spec.outputDir) }   // the folder exists now
        }
        try collective.barrier()
        return try await prepareData()
    }

    /// Pass 1 of this rank's shards, the exchanges, pass 2 (see the type's comment).
    func prepareShardedText(_ t: TextSpec, options: ImdbPrepareOptions, into dir: String) async throws -> ImdbPreparationResult {
        let collective = self.collective ?? SingleProcess()
        let openers = shardOpeners
        let mine = openers.indices.filter { $0 % collective.size == collective.rank }
        let skipped = ArchiveReadReport()
        let labelledReader = t.usesLabelledReader(location: opener.location, perSplit: false)
        let tokenization: ShardedTokenization
        var lo = t.labelled
        if labelledReader {
            lo.labelMode = labelMode(t)
            try checkLabelMode(lo.labelMode)
            tokenization = ShardedTokenization(labelled: try LabelledTextTokenizer(standardization: options.standardization, options: lo, spillDirectory: dir))
        } else {
            tokenization = try ShardedTokenization(aclImdb: options.standardization, spillDirectory: dir)
        }
        for k in mine {
            let base = openers[k]
            if let tokenizer = tokenization.labelled {
                var format = lo.format
                if format == .auto { format = TextFormat.fromExtension(base.location) ?? .auto }
                let o = PipelineRunner.widened(base, for: format, spec: spec, progress: progress)
                let reporter = ProgressReporter(label: "prepare \(o.displayName) (shard \(k + 1)/\(openers.count))", style: progress)
                try await reporter.run {
                    if format.isRecordFile {
                        try await tokenizer.addRecords(try o.fileContent(report: skipped), format: format, split: .train,
                                                       source: o.displayName, progress: reporter)
                    } else {
                        try await tokenizer.addEntries(try o.entries(report: skipped), format: format, split: nil,
                                                       source: o.displayName, progress: reporter)
                    }
                }
            } else {
                let reporter = base.reporter(label: "prepare \(base.displayName) (shard \(k + 1)/\(openers.count))")
                try await reporter.run {
                    try await tokenization.addAclImdb(try base.entries(report: skipped, progress: reporter), progress: reporter)
                }
            }
            try tokenization.endShard(k)
        }
        try tokenization.exchangeCounts(collective, options: options)
        if labelledReader { try spec.validateClassCount(tokenization.classNames?.count ?? 0) }
        let checksums = spec.source.shards.map { $0.sha256 ?? "" }
        var result = try tokenization.write(collective, shardCount: openers.count, into: dir, options: options,
                                            provenance: ImdbProvenance(specHash: specHash, sourceChecksum: checksums.allSatisfy(\.isEmpty) ? "" : checksums.joined(separator: ","),
                                                                       toolVersion: ToolInfo.version),
                                            digest: PipelineRunner.sha256(ofFile:))
        result.skippedEntries = skipped.skipped
        for line in SourceOpener.skipWarnings(result.skippedEntries, source: mine.map { openers[$0].displayName }.joined(separator: ", ")) { log(line) }
        if collective.rank == 0 {
            logTextWarnings(badRows: tokenization.badRows, examples: tokenization.badRowExamples, textsCut: tokenization.textsCut,
                            maxTextBytes: lo.maxTextBytes, ignoredFiles: tokenization.ignoredFiles, result: result, maxTokenBytes: t.maxTokenBytes)
        }
        return result
    }

    /// `text.label_mode` against `train.loss` (as ``prepareLabelledText(_:options:into:)`` checks).
    func checkLabelMode(_ mode: LabelMode) throws {
        guard let loss = spec.train?.loss else { return }
        let categorical = loss == .categorical_crossentropy || loss == .categorical_crossentropy_from_logits
        if categorical != (mode == .categorical) {
            throw InputError("text.label_mode \(mode.rawValue) does not fit train.loss \(loss.rawValue)", field: "text.label_mode",
                             value: mode.rawValue,
                             hint: categorical ? "categorical_crossentropy takes one-hot rows: label_mode: categorical (or leave it out)"
                                               : "label_mode categorical needs categorical_crossentropy; sparse_categorical_crossentropy takes label_mode: int")
        }
    }

    /// The SHA-256 of a file, hex, read in 1 MiB chunks.
    static func sha256(ofFile path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { throw IOFailure("cannot read a written file", path: path) }
        defer { try? h.close() }
        var hasher = SHA256()
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().hex
    }
}
