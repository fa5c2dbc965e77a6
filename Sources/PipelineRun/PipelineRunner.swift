import Foundation
import PipelineCore
import PipelineSpec
import PipelineIO
import PipelineText
import PipelineTimeseries
import PipelineTraining

/// Runs what a spec lists: the data stages (`prepare`), and with a model, training and the run
/// folder (`run`). This is the library behind the CLI's `prepare` and `run`.
///
/// ```swift
/// let spec = try PipelineSpec.load(path: "pipelines/fixtures/imdb-lstm.yaml")
/// let result = try await PipelineRunner(spec: spec).run()
/// print(result.summary)        // val_acc …, run folder runs/imdb-lstm-fixture
/// ```
///
/// Outputs are written under the spec's `output.dir` through atomic renames. An existing,
/// non-empty output folder is refused unless `overwrite` (or `resume`) says otherwise.
/// Errors: ``InputError`` (spec or data mistakes), ``IOFailure`` and PipelineIO's download and
/// archive errors, training's non-finite-loss error.
public struct PipelineRunner: Sendable {
    public let spec: PipelineSpec
    public let progress: ProgressStyle
    public let log: @Sendable (String) -> Void
    /// One rank of a data-parallel job (`mpirun`): training and evaluation split each batch over
    /// the ranks (``DataParallel``); nil (the default) runs in one process.
    public var dataParallel: (any DataParallel)? = nil
    /// The ranks of a sharded `pipeline prepare` under `mpirun` (PipelineRunner+Shards.swift):
    /// each prepares its share of `source.shards`; nil (the default) prepares every shard here.
    public var collective: (any Collective)? = nil

    public init(spec: PipelineSpec, progress: ProgressStyle = .automatic, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.spec = spec; self.progress = progress; self.log = log
    }

    var opener: SourceOpener { SourceOpener(spec: spec, progress: progress) }

    /// A stable hash of the spec's data sections (``dataSections``), recorded as `spec_hash` in
    /// prepared data's `meta.json`: two prepares of the same data into different folders, or
    /// specs that differ only in `name`, `model`, `output` or the training keys preparation does
    /// not read, write the same bytes.
    public var specHash: String {
        String(SeededRandom.stableHash(dataSections.joined(separator: "\n")), radix: 16)
    }

    /// Runs the data stages only and writes NumPy files and JSON metadata into the output folder.
    /// The output folder is locked while it is written (``OutputFolder/Lock``; under `mpirun`,
    /// by rank 0 for the whole job).
    public func prepare(overwrite: Bool = false) async throws -> RunResult {
        var lock = (collective?.rank ?? 0) == 0 ? try OutputFolder.Lock(spec.outputDir) : nil
        defer { lock?.release() }
        if !spec.source.shards.isEmpty { return try await prepareSharded(overwrite: overwrite, lock: &lock) }
        try OutputFolder.prepare(spec.outputDir, overwrite: overwrite, source: spec.source.url.isEmpty ? nil : opener.location,
                                 cacheDir: spec.source.expandedCacheDir)
        if lock?.isHeld == false { lock = try OutputFolder.Lock(spec.outputDir) }
        return try await prepareData()
    }

    /// The data stages of ``prepare(overwrite:)`` into the output folder, which must be ready.
    func prepareData() async throws -> RunResult {
        let start = ProgressReporter.now()
        switch spec.task {
        case .text(let text):
            let r = try await prepareText(text, into: spec.outputDir)
            let seconds = ProgressReporter.now() - start
            let sentiment = r.classNames == ["neg", "pos"]
            let splits = r.splits.map { s -> JSONValue in
                var o: [String: JSONValue] = ["split": .string(s.split.rawValue), "count": .int(s.count), "maxlen": .int(s.maxlen)]
                if sentiment { o["positive"] = .int(s.labelCounts[1] ?? 0); o["negative"] = .int(s.labelCounts[0] ?? 0) }
                o["classes"] = .object(Dictionary(uniqueKeysWithValues: r.classNames.enumerated().map { ($0.element, .int(s.labelCounts[$0.offset] ?? 0)) }))
                return .object(o)
            }
            let counts = r.splits.map { s in
                sentiment ? "\(s.split.rawValue) \(s.count) (\(s.labelCounts[1] ?? 0) pos / \(s.labelCounts[0] ?? 0) neg)"
                          : "\(s.split.rawValue) \(s.count) (\(r.classNames.count) classes)"
            }
            return RunResult(
                json: .object(["output": .string(spec.outputDir), "splits": .array(splits), "files": .array(r.files.map { .string($0) }),
                               "vocabulary": .int(r.vocabulary.words.count), "distinct_words": .int(r.distinctWords),
                               "tokens_cut": .int(r.tokensCut), "max_token_bytes": .int(text.maxTokenBytes),
                               "class_names": .array(r.classNames.map { .string($0) }),
                               "skipped_entries": .array(r.skippedEntries.map { .string($0) }),
                               "seconds": .number(seconds)]),
                summary: "prepared \(counts.joined(separator: ", ")); vocabulary \(r.vocabulary.words.count) of \(r.distinctWords) words; "
                    + r.dataWarnings(maxTokenBytes: text.maxTokenBytes).map { $0 + "; " }.joined()
                    + "\(String(format: "%.2f", seconds)) s → \(spec.outputDir)")
        case .timeseries(let series):
            let r = try await prepareTimeseries(series, into: spec.outputDir)
            return RunResult(json: r.json, summary: r.summary + " → \(spec.outputDir)")
        }
    }

    func prepareText(_ t: TextSpec, into dir: String) async throws -> ImdbPreparationResult {
        var options = ImdbPrepareOptions()
        options.standardization = TextStandardization(
            standardize: t.standardize, html: t.html, maxTokenBytes: t.maxTokenBytes)
        options.index = t.index == .imdb ? .imdb(numWords: t.numWords, indexFrom: Int32(t.indexFrom))
                                         : .textVectorization(maxTokens: t.numWords)
        options.maxlen = t.maxlen
        options.padding = t.padding
        options.truncating = t.truncating
        options.value = Int32(t.value)
        options.seed = spec.seed
        if !spec.source.shards.isEmpty { return try await prepareShardedText(t, options: options, into: dir) }
        if t.usesLabelledReader(location: opener.location, perSplit: !spec.source.splits.isEmpty) {
            return try await prepareLabelledText(t, options: options, into: dir)
        }
        let reporter = opener.reporter(label: "prepare \(opener.displayName)")
        let skipped = ArchiveReadReport()
        var result = try await reporter.run {   // "done" only on success
            try await prepareImdb(source: try opener.entries(report: skipped, progress: reporter), into: dir, options: options,
                                  provenance: ImdbProvenance(specHash: specHash, sourceChecksum: spec.source.sha256 ?? "",
                                                             toolVersion: ToolInfo.version),
                                  progress: reporter)
        }
        result.skippedEntries = skipped.skipped
        for line in SourceOpener.skipWarnings(result.skippedEntries, source: opener.displayName) { log(line) }
        if result.tokensCut > 0 { log("warning: " + result.dataWarnings(maxTokenBytes: t.maxTokenBytes)[0]) }
        return result
    }
}

extension ImdbPreparationResult {
    /// Summary phrases for words cut and damaged members skipped (none when nothing was).
    func dataWarnings(maxTokenBytes: Int) -> [String] {
        var out: [String] = []
        if tokensCut > 0 { out.append("\(tokensCut) word\(tokensCut == 1 ? "" : "s") longer than text.max_token_bytes \(maxTokenBytes) cut to it") }
        if !skippedEntries.isEmpty { out.append("\(skippedEntries.count) damaged archive member\(skippedEntries.count == 1 ? "" : "s") skipped") }
        return out
    }
}
