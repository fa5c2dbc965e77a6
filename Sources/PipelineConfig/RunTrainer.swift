import Foundation
import PipelineCore
import PipelineTraining

/// Fits a model for a run folder: Keras-like progress lines, a checkpoint at the end of every
/// epoch (weights, optimizer state and history, written atomically) so `--resume` continues
/// bit-identically, early stopping from the spec, and the final artifacts.
struct RunTrainer {
    let spec: PipelineSpec
    let dir: String
    let log: @Sendable (String) -> Void

    var checkpointDir: String { dir + "/checkpoint" }

    /// Saves weights + optimizer state + history after each epoch (atomic files).
    final class EpochCheckpoint: Callback {
        let dir: String
        var history: History
        init(dir: String, history: History) { self.dir = dir; self.history = history }
        func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
            history.append(epoch: epoch, logs: logs, seconds: seconds)
            try ModelStore.save(model, to: dir + "/model.safetensors")
            let data = try JSONEncoder().encode(history)
            try AtomicFile.write([UInt8](data), to: dir + "/history.json")
        }
    }

    func fit(_ model: Sequential, trainData: @escaping EpochBatches, validationData: EpochBatches?,
             resuming: Bool) async throws -> (History, Double) {
        let t = spec.train!
        try FileManager.default.createDirectory(atPath: checkpointDir, withIntermediateDirectories: true)
        var previous = History()
        if resuming, FileManager.default.fileExists(atPath: checkpointDir + "/model.safetensors") {
            try ModelStore.restore(model, from: checkpointDir + "/model.safetensors", optimizer: true)
            if let data = FileManager.default.contents(atPath: checkpointDir + "/history.json") {
                previous = try JSONDecoder().decode(History.self, from: data)
            }
            log("resuming after epoch \(previous.epochs.count) of \(t.epochs)")
        }
        let checkpoint = EpochCheckpoint(dir: checkpointDir, history: previous)
        var callbacks: [any Callback] = [ProgressLogger(sink: { [log] line in log(line.hasSuffix("\n") ? String(line.dropLast()) : line) })]
        if t.checkpoint != "none" { callbacks.append(checkpoint) }
        if let e = t.earlyStopping {
            callbacks.append(EarlyStopping(monitor: e.monitor, patience: e.patience, mode: MonitorMode(rawValue: e.mode.rawValue) ?? .auto,
                                           restoreBestWeights: e.restoreBestWeights))
        }
        let start = ProgressReporter.now()
        let h = try await model.fit(trainData: trainData, epochs: t.epochs, stepsPerEpoch: t.stepsPerEpoch,
                                    validationData: validationData, validationSteps: t.validationSteps,
                                    initialEpoch: previous.epochs.count, callbacks: callbacks, prefetch: t.prefetch)
        var merged = previous
        for (i, e) in h.epochs.enumerated() {
            var logs = Logs()
            for k in h.keys { if let v = h[k]?[i] { logs[k] = v } }
            merged.append(epoch: e, logs: logs, seconds: h.epochSeconds[i])
        }
        return (merged, ProgressReporter.now() - start)
    }

    /// Writes the final model, history, plots, summary, run.json and report.html.
    func finish(model: Sequential, history: History, fitSeconds: Double, stats: [(String, String)],
                extra: [String: JSONValue], baseline: Double? = nil) throws -> RunResult {
        try ModelStore.save(model, to: dir + "/model.safetensors")
        try RunArtifacts.write(history, into: dir)
        let plots = try RunArtifacts.writePlots(history, into: dir, baseline: baseline)
        let summary = model.summary()
        try AtomicFile.write(summary + "\n", to: dir + "/summary.txt")
        var final: [String: JSONValue] = extra
        for k in history.keys { if let v = history[k]?.last { final[k] = .number(v) } }
        let perEpoch = history.epochSeconds.isEmpty ? 0 : history.epochSeconds.reduce(0, +) / Double(history.epochSeconds.count)
        var json: [String: JSONValue] = [
            "name": .string(spec.name), "run_dir": .string(dir), "epochs": .int(history.epochs.count),
            "final": .object(final), "seconds_per_epoch": .number(perEpoch), "fit_seconds": .number(fitSeconds),
            "parameters": .int(model.parameterCount), "seed": .int(Int(truncatingIfNeeded: spec.seed)),
            "tool_version": .string(ToolInfo.version),
        ]
        for key in history.keys where key.hasPrefix("val_") {
            let v = history[key] ?? []
            let best = key.contains("acc") ? v.max() : v.min()
            if let best { json["best_" + key] = .number(best) }
        }
        if let baseline { json["baseline_mae"] = .number(baseline) }
        json["data"] = .object(Dictionary(uniqueKeysWithValues: stats.map { ($0.0, JSONValue.string($0.1)) }))
        try AtomicFile.write(JSONValue.object(json).text + "\n", to: dir + "/run.json")
        var finalRows = final.keys.sorted().map { ($0, String(format: "%.4f", final[$0]?.double ?? .nan)) }
        finalRows.append(("seconds per epoch", String(format: "%.2f", perEpoch)))
        if let baseline { finalRows.append(("common-sense baseline MAE", String(format: "%.4f", baseline))) }
        let hist = try RunArtifacts.readHistory(dir)
        let report = RunReport(title: "\(spec.name): \(spec.model.map { "\($0.layers.count)-layer model" } ?? "baseline")",
                               specYAML: spec.yaml, dataStats: stats, modelSummary: summary, finalMetrics: finalRows,
                               history: hist, historyKeys: history.keys, plots: plots)
        try AtomicFile.write(report.html, to: dir + "/report.html")
        let headline = final.keys.sorted().filter { $0.hasPrefix("val_") || $0.hasPrefix("test_") }
            .map { "\($0) \(String(format: "%.4f", final[$0]!.double!))" }.joined(separator: ", ")
        return RunResult(json: .object(json),
                         summary: "\(spec.name): \(history.epochs.count) epochs, \(String(format: "%.2f", perEpoch)) s/epoch; \(headline) → \(dir)")
    }
}
