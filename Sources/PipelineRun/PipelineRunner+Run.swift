import Foundation
import PipelineCore
import PipelineSpec
import PipelineText
import PipelineTraining

extension PipelineRunner {
    /// Runs every stage the spec lists and writes the run folder: `spec.yaml`, `data.json` (the
    /// prepared arrays' entry in the cache, ``PreparedDataCache``), `data/` (vocabulary or
    /// normalisation statistics: the small JSON files), `model.safetensors` + `model.json`,
    /// `history.json` / `history.csv`, `summary.txt`, the plots (SVG), `run.json` and `report.html`.
    /// With `resume`, continues the run in that folder from its last checkpoint (a baseline-only
    /// run, which trains nothing, is recomputed into the folder: the same results).
    /// With `stop` (``StopRequest``), a raised request ends training at the next step boundary
    /// and throws ``RunInterrupted`` once the checkpoint, history and report are written.
    /// A run that fails before its first checkpoint (not resumed, not interrupted) removes what it
    /// wrote, and the folder when it held nothing before.
    public func run(resume: String? = nil, overwrite: Bool = false, stop: StopRequest? = nil) async throws -> RunResult {
        let dir = resume ?? spec.outputDir
        if let resume {
            guard FileManager.default.fileExists(atPath: resume + "/spec.yaml") else {
                throw IOFailure("not a run folder (no spec.yaml)", path: resume, hint: "pass the folder an interrupted `pipeline run` wrote")
            }
        }
        // A run that fails before its first checkpoint leaves nothing behind (OutputFolder+RunFolders.swift).
        let created = resume == nil ? OutputFolder.missingFolders(dir) : []
        let heldNothing = resume == nil && OutputFolder.holdsNothing(dir)
        // One writer per folder (OutputFolder+Lock.swift): before anything in it is touched, and
        // again once prepare has created it.
        var lock = try OutputFolder.Lock(dir)
        defer { lock.release() }
        try OutputFolder.prepare(dir, overwrite: overwrite, resuming: resume != nil,
                                 source: spec.source.url.isEmpty ? nil : opener.location, cacheDir: spec.source.expandedCacheDir)
        if !lock.isHeld { lock = try OutputFolder.Lock(dir) }
        do {
            return try await runInPreparedFolder(dir, resuming: resume != nil, stop: stop)
        } catch {
            if resume == nil, !(error is RunInterrupted) { OutputFolder.discardFailedRun(dir, removeFolder: heldNothing, created: created) }
            throw error
        }
    }

    func runInPreparedFolder(_ dir: String, resuming: Bool, stop: StopRequest?) async throws -> RunResult {
        try AtomicFile.write(spec.yaml, to: dir + "/spec.yaml")
        guard spec.model != nil, let train = spec.train else {   // a model always comes with its train: section
            if case .timeseries(let series) = spec.task { return try await runBaselineOnly(series, dir: dir) }
            // The folder is ready (and holds spec.yaml): prepare into it without clearing it again.
            return dir == spec.outputDir ? try await prepareData() : try await prepare(overwrite: true)
        }
        switch spec.task {
        case .text(let text): return try await runText(text, train: train, dir: dir, resuming: resuming, stop: stop)
        case .timeseries(let series): return try await runTimeseries(series, train: train, dir: dir, resuming: resuming, stop: stop)
        }
    }

    func runText(_ text: TextSpec, train t: TrainSpec, dir: String, resuming: Bool, stop: StopRequest? = nil) async throws -> RunResult {
        let start = ProgressReporter.now()
        var classNames = ["neg", "pos"]
        // The arrays live once in the prepared-data cache (PipelineRunner+DataCache.swift); data.json names the entry.
        let (dataDir, prepared) = try await preparedData(runDir: dir, resuming: resuming) { try await prepareText(text, into: $0) }
        if let r = prepared {
            classNames = r.classNames
            log("data: " + r.splits.map { "\($0.split.rawValue) \($0.count)" }.joined(separator: ", ") + ", vocabulary \(r.vocabulary.words.count)")
        } else if let names = PipelineRunner.classNames(dataDir: dataDir) {
            classNames = names
        }
        let prepSeconds = ProgressReporter.now() - start
        let train = try EncodedDataset.load(directory: dataDir, split: .train)
        let test = try EncodedDataset.hasSplit(directory: dataDir, split: .test) ? try EncodedDataset.load(directory: dataDir, split: .test) : nil
        var trainRange = 0..<train.count
        var valRange: Range<Int>?
        if let f = t.validationSplit {
            let s = Split.lastFraction(count: train.count, fraction: f)
            trainRange = s.train; valRange = s.validation
            if valRange!.isEmpty || trainRange.isEmpty {
                throw InputError("validation_split \(f) leaves an empty side with \(train.count) samples", field: "train.validation_split")
            }
        }
        let model = try ModelBuilder.build(spec: spec, inputShape: [train.maxlen])
        let seed = spec.seed, batch = t.batchSize, shuffle = t.shuffle
        let fitRange = trainRange
        if resuming, let names = PipelineRunner.classNames(dataDir: dataDir) { classNames = names }
        let oneHot: Int? = oneHotTargets(text) ? classNames.count : nil
        // The README's stages: rows, a per-epoch seeded permutation (train.shuffle), batches
        // (one-hot rows for label_mode: categorical).
        let trainData: EpochBatches = { epoch in
            let rows = train.rows(fitRange)
            let batches = (shuffle ? rows.shuffled(seed: seed, epoch: epoch) : rows).batched(size: batch)
            if let oneHot { return OneHotBatches(base: batches, classes: oneHot) }
            return batches
        }
        var valData: EpochBatches?
        if let r = valRange {
            valData = { _ in
                if let oneHot { return OneHotBatches(base: train.rows(r).batched(size: batch), classes: oneHot) }
                return train.rows(r).batched(size: batch)
            }
        }
        let trainer = RunTrainer(spec: spec, dir: dir, log: log, stop: stop, progress: progress, dataParallel: dataParallel)
        let (history, fitSeconds) = try await trainer.fit(model, train: t, trainData: trainData, validationData: valData, resuming: resuming)

        var extra: [String: JSONValue] = [:]
        if let test {
            let testBatches: BatchSequence = oneHot.map { OneHotBatches(base: test.rows().batched(size: batch), classes: $0) as BatchSequence } ?? test.rows().batched(size: batch)
            let logs = try await model.evaluate(data: testBatches)
            for k in logs.keys { extra["test_" + k] = .number(logs[k]!) }
        }
        // A classifier's confusion matrix on the test set (else validation): confusion.json, shown in report.html.
        if t.loss.isCategorical || t.loss == .binary_crossentropy || t.loss == .binary_crossentropy_from_logits,
           let (set, range, name) = test.map({ ($0, 0..<$0.count, "test") }) ?? valRange.map({ (train, $0, "validation") }) {
            let probabilities = try await model.predict(data: set.rows(range).batched(size: batch))
            var m = ConfusionMatrix(classNames: classNames)
            let predicted = ConfusionMatrix.predictedClasses(probabilities.data, width: probabilities.shape.last ?? 1)
            for (k, row) in range.enumerated() where Int(set.y[row]) < classNames.count && predicted[k] < classNames.count { m.add(truth: Int(set.y[row]), predicted: predicted[k]) }
            var json = m.json
            if case .object(var o) = json { o["set"] = .string(name); json = .object(o) }
            try AtomicFile.write(json.text + "\n", to: dir + "/" + ConfusionMatrix.fileName)
        }
        var stats: [(String, String)] = [("source", opener.displayName), ("train samples", "\(trainRange.count)"),
                                         ("validation samples", "\(valRange?.count ?? 0)"), ("maxlen", "\(train.maxlen)"),
                                         ("data preparation", String(format: "%.2f s", prepSeconds))]
        if let test { stats.append(("test samples", "\(test.count)")) }
        if classNames == ["neg", "pos"] {
            let positives = train.y[trainRange].reduce(0) { $0 + Int($1) }
            stats.append(("train positives", "\(positives) of \(trainRange.count)"))
        } else {
            stats.append(("classes", classNames.joined(separator: ", ")))
        }
        return try trainer.finish(model: model, history: history, fitSeconds: fitSeconds, stats: stats, extra: extra)
    }
}
