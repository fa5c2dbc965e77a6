import Foundation
import PipelineCore
import PipelineSpec
import PipelineIO
import PipelineText
import PipelineTraining

extension PipelineRunner {
    /// The sources to read, with the split each one is for (nil: the single source, whose paths
    /// or records decide).
    var splitOpeners: [(split: ReviewSplit?, opener: SourceOpener)] {
        if spec.source.splits.isEmpty { return [(nil, opener)] }
        return ReviewSplit.allCases.compactMap { split in
            spec.source.splits[split.rawValue].map { s in
                var one = spec
                one.source = s
                return (split, SourceOpener(spec: one, progress: progress))
            }
        }
    }

    /// `text.label_mode`, or the one `train.loss` implies.
    func labelMode(_ t: TextSpec) -> LabelMode {
        if let m = t.labelMode { return m }
        switch spec.train?.loss {
        case .categorical_crossentropy?, .categorical_crossentropy_from_logits?: return .categorical
        case .binary_crossentropy?, .binary_crossentropy_from_logits?: return .binary
        default: return .int
        }
    }

    /// Whether batches carry one-hot rows (`label_mode: categorical`).
    func oneHotTargets(_ t: TextSpec) -> Bool {
        t.usesLabelledReader(location: opener.location, perSplit: !spec.source.splits.isEmpty) && labelMode(t) == .categorical
    }

    /// `opener` with the aclImdb include/exclude defaults widened for another format.
    static func widened(_ o: SourceOpener, for format: TextFormat, spec: PipelineSpec, progress: ProgressStyle) -> SourceOpener {
        guard format != .aclimdb, format != .auto, o.source.include == ["aclImdb/{train,test}/{pos,neg}/*.txt"],
              o.source.exclude == ["**/unsup/**"] else { return o }
        var s = spec
        s.source = o.source
        s.source.include = format == .directory ? ["**/*.txt"] : []
        s.source.exclude = []
        s.source.url = o.location   // already resolved against the spec's folder
        return SourceOpener(spec: s, progress: progress)
    }

    /// Pass 1 through ``LabelledTextTokenizer`` for every source, then the IMDB path's pass 2.
    func prepareLabelledText(_ t: TextSpec, options: ImdbPrepareOptions, into dir: String) async throws -> ImdbPreparationResult {
        var lo = t.labelled
        lo.labelMode = labelMode(t)
        if let loss = spec.train?.loss {
            let categorical = loss == .categorical_crossentropy || loss == .categorical_crossentropy_from_logits
            if categorical != (lo.labelMode == .categorical) {
                throw InputError("text.label_mode \(lo.labelMode.rawValue) does not fit train.loss \(loss.rawValue)", field: "text.label_mode",
                                 value: lo.labelMode.rawValue,
                                 hint: categorical ? "categorical_crossentropy takes one-hot rows: label_mode: categorical (or leave it out)"
                                                   : "label_mode categorical needs categorical_crossentropy; sparse_categorical_crossentropy takes label_mode: int")
            }
        }
        let tokenizer = try LabelledTextTokenizer(standardization: options.standardization, options: lo, spillDirectory: dir)
        let skipped = ArchiveReadReport()
        var names: [String] = []
        for (split, base) in splitOpeners {
            var format = lo.format
            if format == .auto { format = TextFormat.fromExtension(base.location) ?? .auto }
            let o = PipelineRunner.widened(base, for: format, spec: spec, progress: progress)
            names.append(o.displayName)
            let reporter = ProgressReporter(label: "prepare \(o.displayName)", style: progress)
            try await reporter.run {
                if format.isRecordFile {
                    try await tokenizer.addRecords(try o.fileContent(report: skipped), format: format, split: split ?? .train,
                                                   source: o.displayName, progress: reporter)
                } else {
                    try await tokenizer.addEntries(try o.entries(report: skipped), format: format, split: split,
                                                   source: o.displayName, progress: reporter)
                }
            }
        }
        let tokenized = try tokenizer.finish()
        let classes = tokenized.classNames ?? []
        guard tokenized.count(.train) > 0 else {
            throw InputError("no training texts in \(names.joined(separator: ", "))", field: "source",
                             hint: "check text.format (\(lo.format.rawValue)), the columns and source.include; a folder per class needs .txt files")
        }
        try spec.validateClassCount(classes.count)
        var result = try tokenized.prepare(into: dir, options: options,
                                           provenance: ImdbProvenance(specHash: specHash, sourceChecksum: spec.source.sha256 ?? "",
                                                                      toolVersion: ToolInfo.version))
        result.skippedEntries = skipped.skipped
        for line in SourceOpener.skipWarnings(result.skippedEntries, source: names.joined(separator: ", ")) { log(line) }
        logTextWarnings(badRows: tokenizer.badRows, examples: tokenizer.badRowExamples, textsCut: tokenizer.textsCut,
                        maxTextBytes: lo.maxTextBytes, ignoredFiles: tokenizer.ignoredFiles, result: result, maxTokenBytes: t.maxTokenBytes)
        return result
    }

    /// The warnings of a labelled-text preparation: bad rows skipped (with examples), texts cut
    /// to `text.max_text_bytes`, files outside the class folders, words cut.
    func logTextWarnings(badRows: Int, examples: [String], textsCut: Int, maxTextBytes: Int, ignoredFiles: Int,
                         result: ImdbPreparationResult, maxTokenBytes: Int) {
        if badRows > 0 {
            log("warning: skipped \(badRows) bad row\(badRows == 1 ? "" : "s") (text.on_bad_row: skip), e.g.")
            for e in examples { log("  \(e)") }
        }
        if textsCut > 0 {
            log("warning: \(textsCut) text\(textsCut == 1 ? "" : "s") longer than text.max_text_bytes \(maxTextBytes) cut to it")
        }
        if ignoredFiles > 0 {
            log("note: \(ignoredFiles) file\(ignoredFiles == 1 ? "" : "s") outside the class folders ignored")
        }
        if result.tokensCut > 0 { log("warning: " + result.dataWarnings(maxTokenBytes: maxTokenBytes)[0]) }
    }
}

/// One-hot rows `[B, C]` from class-id batches `[B, 1]` (`label_mode: categorical`).
struct OneHotBatches: AsyncSequence, Sendable {
    typealias Element = Batch
    let base: BatchSequence
    let classes: Int

    struct Iterator: AsyncIteratorProtocol {
        var base: any AsyncIteratorProtocol<Batch, any Error>
        let classes: Int
        mutating func next() async throws -> Batch? {
            guard var b = try await base.next() else { return nil }
            var y = [Float](repeating: 0, count: b.y.count * classes)
            for (i, v) in b.y.enumerated() {
                let c = Int(v)
                guard c >= 0, c < classes else {
                    throw InputError("sample \(b.sampleOffset + i) has class id \(c), outside 0..<\(classes)", field: "labels", value: String(c))
                }
                y[i * classes + c] = 1
            }
            b.y = y
            b.yShape = [b.y.count / classes, classes]
            return b
        }
    }

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), classes: classes) }
}

extension PipelineRunner {
    /// `class_names` of a prepared folder's `meta.json` (nil when absent: data prepared before they were recorded).
    public static func classNames(dataDir: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: dataDir + "/meta.json"),
              let v = try? JSONValue.parse(Array(data)), let a = v["class_names"]?.array else { return nil }
        let names = a.compactMap(\.string)
        return names.count == a.count ? names : nil
    }
}
