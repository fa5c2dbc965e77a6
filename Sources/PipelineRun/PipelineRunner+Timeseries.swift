import Foundation
import PipelineCore
import PipelineSpec
import PipelineIO
import PipelineTimeseries
import PipelineTraining

extension PipelineRunner {
    /// The CSV reader settings of the spec.
    static func csvOptions(_ t: TimeseriesSpec, source: String) -> CSVReadOptions {
        let encoding: CSVEncoding = switch t.encoding { case .auto: .auto; case .utf8: .utf8; case .latin1: .latin1 }
        return CSVReadOptions(source: source, delimiter: t.delimiter.utf8.first!, encoding: encoding,
                              missingValues: t.missingValues, missing: .keep,
                              time: t.time, columns: t.columns, categorical: t.categorical, maxCategories: t.maxCategories,
                              maxLineBytes: t.maxLineBytes)
    }

    /// What the run read as time and features, so a guess is never silent: `time: year+month+day+hour
    /// (columns, detected), step 1 h (detected); features: No, pm2.5, …`.
    static func timeSummary(_ meta: WeatherPreparation.Meta, _ t: TimeseriesSpec) -> String {
        var s: String
        if let column = meta.timeColumn {
            let detected = t.time == .auto || { if case .column(_, nil) = t.time { return true }; return false }()
            s = "time: \(column) (\(meta.timeFormat ?? "?")\(detected ? ", detected" : ""))"
            if let step = meta.timeStepSeconds {
                s += ", step \(TimeStep.describe(step))\(meta.timeStepDetected == true ? " (detected)" : "")"
            }
        } else {
            s = "time: row order (no timestamp column\(t.time == .auto ? " found" : ""); rows taken as evenly spaced)"
        }
        if t.columns == nil { s += "; features: " + meta.columns.joined(separator: ", ") }
        return s
    }

    /// The preparation settings of the spec: windows, ranges, policies.
    func weatherOptions(_ t: TimeseriesSpec) -> WeatherPreparation.Options {
        var o = WeatherPreparation.Options()
        o.lookback = t.lookback
        o.step = t.step
        o.delay = t.delay
        o.batchSize = spec.train?.batchSize ?? 128
        o.stepsPerEpoch = spec.train?.stepsPerEpoch ?? 500
        o.targetColumn = t.target
        o.timeStep = t.stepSeconds
        o.timePolicy = t.timeAxis
        o.missing = t.missing
        o.maxRepairedFraction = t.maxRepairedFraction
        o.maxTableBytes = t.maxTableBytes
        o.categorical = t.categorical
        o.durations = t.durations
        o.targetUnit = t.targetUnit
        o.calendar = t.calendar
        switch t.ranges {
        case let .rows(train, validation, test):
            o.ranges = WindowRanges(train: .init(minIndex: train.start, maxIndex: train.end),
                                    validation: .init(minIndex: validation.start, maxIndex: validation.end),
                                    test: .init(minIndex: test?.start ?? (validation.end ?? 0) + 1, maxIndex: test?.end))
        case let .fractions(train, validation):
            o.fractions = WeatherPreparation.Fractions(train: train, validation: validation)
        }
        return o
    }

    func prepareTimeseries(_ t: TimeseriesSpec, into dir: String) async throws -> (meta: WeatherPreparation.Meta, json: JSONValue, summary: String) {
        let opener = self.opener
        let reporter = opener.reporter(label: "prepare \(opener.displayName)")
        let chunks = try opener.fileContent(progress: reporter).reportingProgress(reporter) { $0.count }.csvTable(Self.csvOptions(t, source: opener.displayName))
        let meta = try await reporter.run { try await WeatherPreparation.prepare(chunks, options: weatherOptions(t), to: dir) }  // "done" only on success
        let json: JSONValue = .object([
            "output": .string(dir), "rows": .int(meta.rows), "features": .int(meta.features),
            "columns": .array(meta.columns.map { .string($0) }),
            "baseline_mae": .number(meta.baselineMAE), "baseline_mae_in_unit": .number(meta.baselineMAECelsius),
            "target_unit": meta.targetUnit.map { .string($0) } ?? .null,
            "baseline_mae_all_windows": .number(meta.baselineMAEAllWindows),
            "rows_read": .int(meta.rowsRead ?? meta.rows), "rows_inserted": .int(meta.counts.rowsInserted),
            "rows_dropped_time": .int(meta.counts.rowsDroppedTime), "rows_dropped_missing": .int(meta.counts.rowsDroppedMissing),
            "time_gaps": .int(meta.counts.gaps), "grid_gaps": .int(meta.gridGaps ?? 0),
            "missing_cells": .int(meta.counts.missingCells), "filled_cells": .int(meta.counts.filledCells),
        ].merging(TargetUnit.celsiusKeyApplies(meta.targetUnit) ? ["baseline_mae_celsius": .number(meta.baselineMAECelsius)] : [:]) { a, _ in a })
        var summary = "prepared \(meta.rows) rows × \(meta.features) features; common-sense baseline MAE \(String(format: "%.4f", meta.baselineMAE)) "
            + "(\(TargetUnit.format(meta.baselineMAECelsius, meta.targetUnit ?? "in the target's units")))"
        summary += "; " + Self.timeSummary(meta, t)
        if let repairs = RepairLimit(maxFraction: t.maxRepairedFraction, step: meta.timeStepSeconds ?? 0)
            .summary(meta.counts, rows: meta.rows, gridGaps: meta.gridGaps ?? 0) { summary += "; " + repairs }
        return (meta, json, summary)
    }

    func loadWindows(_ dataDir: String) throws -> (data: [Float], features: Int, windows: WeatherPreparation.Windows) {
        let (shape, values): ([Int], [Float]) = try NpyFile.read(dataDir + "/data.npy")
        return (values, shape[1], try Self.readWindows(dataDir + "/windows.json"))
    }

    /// A prepared `windows.json` (snake_case keys): the window in rows as prepare resolved it.
    static func readWindows(_ path: String) throws -> WeatherPreparation.Windows {
        guard let raw = FileManager.default.contents(atPath: path) else { throw IOFailure("missing windows.json", path: path) }
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        do { return try dec.decode(WeatherPreparation.Windows.self, from: raw) } catch {
            throw InputError("cannot read windows.json: \(error)", at: SourceLocation(file: path))
        }
    }

    /// Reads the `meta.json` that ``WeatherPreparation`` wrote with snake_case keys. Foundation's
    /// `.convertFromSnakeCase` turns `baseline_mae` into `baselineMae`, not the property
    /// `baselineMAE`, so acronyms are restored here (a round-trip test keeps this honest).
    static func decodeMeta(_ raw: Data, path: String) throws -> WeatherPreparation.Meta {
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .custom { keys in
            let key = keys.last!
            let parts = key.stringValue.split(separator: "_", omittingEmptySubsequences: true)
            guard let first = parts.first, key.intValue == nil else { return key }
            let acronyms: Set<Substring> = ["mae"]
            let name = String(first) + parts.dropFirst().map { acronyms.contains($0) ? $0.uppercased() : $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            return AnyCodingKey(name)
        }
        do { return try dec.decode(WeatherPreparation.Meta.self, from: raw) } catch {
            throw IOFailure("unreadable prepared-data metadata: \(error)", path: path,
                            hint: "it was written by another version or damaged; start the run again in a new folder")
        }
    }

    struct AnyCodingKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func runBaselineOnly(_ series: TimeseriesSpec, dir: String) async throws -> RunResult {
        let r = try await prepareTimeseries(series, into: dir + "/data")
        var json: [String: JSONValue] = ["name": .string(spec.name), "run_dir": .string(dir)]
        if case .object(let o) = r.json { for (k, v) in o { json[k] = v } }
        try AtomicFile.write(JSONValue.object(json).text + "\n", to: dir + "/run.json")
        let finalRows = [("common-sense baseline MAE (normalised)", String(format: "%.4f", r.meta.baselineMAE)),
                         ("common-sense baseline MAE (\(r.meta.targetUnit ?? "target units"))", String(format: "%.3f", r.meta.baselineMAECelsius)),
                         ("baseline MAE over all validation windows", String(format: "%.4f", r.meta.baselineMAEAllWindows))]
        try AtomicFile.write("(no model: the common-sense baseline predicts the target's value 'delay' rows later as its current value)\n",
                             to: dir + "/summary.txt")
        try AtomicFile.write("{\"epoch\": [], \"epoch_seconds\": []}\n", to: dir + "/history.json")
        try AtomicFile.write("epoch,seconds\n", to: dir + "/history.csv")
        let report = RunReport(title: "\(spec.name): common-sense baseline", specYAML: spec.yaml,
                               dataStats: [("rows", "\(r.meta.rows)"), ("features", "\(r.meta.features)"), ("source", opener.displayName)],
                               modelSummary: "no model", finalMetrics: finalRows, history: [:], historyKeys: [], plots: [])
        try AtomicFile.write(report.html, to: dir + "/report.html")
        return RunResult(json: .object(json), summary: "\(spec.name): " + r.summary + " → \(dir)")
    }

    func runTimeseries(_ series: TimeseriesSpec, train t: TrainSpec, dir: String, resuming: Bool, stop: StopRequest? = nil) async throws -> RunResult {
        let start = ProgressReporter.now()
        var meta: WeatherPreparation.Meta
        // The arrays live once in the prepared-data cache (PipelineRunner+DataCache.swift); data.json names the entry.
        let (dataDir, prepared) = try await preparedData(runDir: dir, resuming: resuming) { try await prepareTimeseries(series, into: $0) }
        if prepared == nil, let raw = FileManager.default.contents(atPath: dataDir + "/meta.json") {
            meta = try Self.decodeMeta(raw, path: dataDir + "/meta.json")
        } else {
            guard let prepared else { throw IOFailure("missing meta.json", path: dataDir) }
            meta = prepared.meta
            log("data: \(meta.rows) rows × \(meta.features) features, common-sense baseline MAE \(String(format: "%.4f", meta.baselineMAE)); "
                + Self.timeSummary(meta, series))
        }
        let prepSeconds = ProgressReporter.now() - start
        let (data, features, w) = try loadWindows(dataDir)
        let shuffle = series.shuffle
        let seed = spec.seed
        let trainGen = try BookGenerator(data: data, features: features, lookback: w.lookback, delay: w.delay,
                                         minIndex: w.ranges.train.minIndex, maxIndex: w.ranges.train.maxIndex, shuffle: shuffle,
                                         batchSize: t.batchSize, step: w.step, targetColumn: w.targetIndex, seed: seed)
        let valGen = try BookGenerator(data: data, features: features, lookback: w.lookback, delay: w.delay,
                                       minIndex: w.ranges.validation.minIndex, maxIndex: w.ranges.validation.maxIndex,
                                       batchSize: t.batchSize, step: w.step, targetColumn: w.targetIndex)
        let steps = t.stepsPerEpoch ?? trainGen.stepsPerPass
        let valSteps = t.validationSteps ?? valGen.stepsPerPass
        guard steps > 0, valSteps > 0 else {
            throw InputError("the ranges leave no full batch of windows (train \(trainGen.stepsPerPass), validation \(valGen.stepsPerPass) batches)",
                             field: "timeseries.ranges", hint: "use a smaller lookback or batch_size, or larger ranges")
        }
        let model = try ModelBuilder.build(spec: spec, inputShape: [trainGen.timesteps, features])
        let trainer = RunTrainer(spec: spec, dir: dir, log: log, stop: stop, progress: progress, dataParallel: dataParallel)
        let (history, fitSeconds) = try await trainer.fit(
            model, train: t, trainData: { epoch in trainGen.batches(epoch: epoch, steps: steps) },
            validationData: { epoch in valGen.batches(epoch: epoch, steps: valSteps) }, resuming: resuming)
        let stats: [(String, String)] = [
            ("source", opener.displayName), ("rows", "\(meta.rows)"), ("features", "\(features)"),
            ("window", "lookback \(w.lookback), step \(w.step) (\(trainGen.timesteps) timesteps), delay \(w.delay)"),
            ("train rows", "\(w.ranges.train.minIndex)–\(w.ranges.train.maxIndex.map(String.init) ?? "end")"),
            ("validation rows", "\(w.ranges.validation.minIndex)–\(w.ranges.validation.maxIndex.map(String.init) ?? "end")"),
            ("steps per epoch", "\(steps)"), ("validation steps", "\(valSteps)"),
            ("common-sense baseline MAE", String(format: "%.4f", meta.baselineMAE)
                + " (\(TargetUnit.format(meta.baselineMAECelsius, meta.targetUnit ?? "in the target's units", decimals: 3)))"),
            ("data preparation", String(format: "%.2f s", prepSeconds)),
        ]
        return try trainer.finish(model: model, history: history, fitSeconds: fitSeconds, stats: stats,
                                  extra: TargetUnit.celsiusKeyApplies(meta.targetUnit)
                                      ? ["baseline_mae_celsius": .number(meta.baselineMAECelsius)]
                                      : ["baseline_mae_in_unit": .number(meta.baselineMAECelsius),
                                         "target_unit": meta.targetUnit.map { .string($0) } ?? .null],
                                  baseline: meta.baselineMAE)
    }
}
