import Foundation
import PipelineCore
import PipelineSpec
import PipelineTraining

/// Fits a model for a run folder: Keras-like progress lines, a checkpoint at the end of every
/// epoch and, with `train.checkpoint_every_steps: N`, every N steps, so `--resume` continues
/// bit-identically after a crash (even SIGKILL mid-epoch); with `train.checkpoint: best`, also
/// `best.safetensors`, the weights of the epoch with the lowest `val_loss` (`loss` without
/// validation); `none` writes no checkpoint. Early stopping from the spec; the final artifacts.
///
/// The checkpoint is one file, `checkpoint/model.safetensors`, rewritten atomically: weights,
/// optimizer state, and under the metadata key `training_state` the history, the
/// ``FitPosition`` (epoch, step, running means) and the early-stopping state, with that
/// callback's best weights as `early_stopping/best/<weight>` tensors. Weights and state can
/// therefore never disagree, whenever the process dies.
///
/// Stopping: with a raised `stop` (Ctrl-C), training ends at the next step boundary, the
/// checkpoint of that exact position is written with `history.json`, the plots, `summary.txt`
/// and `report.html` of the finished epochs, and ``RunInterrupted`` is thrown.
struct RunTrainer {
    let spec: PipelineSpec
    let dir: String
    let log: @Sendable (String) -> Void
    var stop: StopRequest? = nil
    /// `.bar`: a live Keras-style bar during each epoch (``EpochProgressBar``) before its final line.
    var progress: ProgressStyle = .lines
    /// When the trainer was made (the report's total time counts from here).
    var startedAt = ProgressReporter.now()
    /// One rank of a data-parallel job (set on the model before `fit`), or nil: one process.
    var dataParallel: (any DataParallel)? = nil

    var checkpointDir: String { dir + "/checkpoint" }
    var checkpointPath: String { checkpointDir + "/model.safetensors" }

    /// What a checkpoint holds besides the weights and optimizer state.
    struct TrainingState: Codable {
        var history: History
        var position: FitPosition
        var earlyStopping: EarlyStopping.State?
        var stopped: Bool

        static let metadataKey = "training_state"
        static let bestPrefix = "early_stopping/best/"

        func encoded() throws -> String {
            let e = JSONEncoder()
            e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return String(decoding: try e.encode(self), as: UTF8.self)
        }

        static func decode(_ text: String, path: String) throws -> TrainingState {
            let d = JSONDecoder()
            d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            do { return try d.decode(TrainingState.self, from: Data(text.utf8)) } catch {
                throw InputError("checkpoint training state is unreadable: \(error)", field: metadataKey, value: path,
                                 hint: "the checkpoint was written by another version; start the run again")
            }
        }
    }

    /// Writes the checkpoint after each epoch and every `everySteps` steps.
    final class RunCheckpoint: Callback {
        let path: String
        let everySteps: Int?
        let earlyStopping: EarlyStopping?
        var history: History

        init(path: String, everySteps: Int?, earlyStopping: EarlyStopping?, history: History) {
            self.path = path; self.everySteps = everySteps; self.earlyStopping = earlyStopping; self.history = history
        }

        func save(_ model: Sequential, position: FitPosition, stopped: Bool) throws {
            let state = TrainingState(history: history, position: position, earlyStopping: earlyStopping?.state, stopped: stopped)
            var best: [(name: String, tensor: Tensor)] = []
            if let weights = earlyStopping?.bestWeights {
                best = zip(model.parameters, weights).map { (name: TrainingState.bestPrefix + $0.name, tensor: $1) }
            }
            try ModelStore.save(model, to: path, metadata: [TrainingState.metadataKey: try state.encoded()], extraTensors: best)
        }

        func onStepEnd(position: FitPosition, model: Sequential) throws {
            guard let n = everySteps, position.step % n == 0 else { return }
            try save(model, position: position, stopped: false)
        }

        func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
            history.append(epoch: epoch, logs: logs, seconds: seconds)
            try save(model, position: FitPosition(epochStart: epoch + 1), stopped: model.stopTraining)
        }
    }

    /// One warning line per batch skipped under `on_non_finite: skip_batch`, and at the end of an
    /// epoch that skipped any, how many of its batches were skipped.
    final class SkippedBatchLogger: Callback {
        let log: @Sendable (String) -> Void
        var steps = 0
        init(log: @escaping @Sendable (String) -> Void) { self.log = log }
        func onBatchSkipped(_ error: NonFiniteError, model: Sequential) throws {
            log("warning: skipped a batch: \(error.description)")
        }
        func onStepEnd(position: FitPosition, model: Sequential) throws { steps = position.step }
        func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
            if let n = logs[Logs.skippedBatchesKey], n > 0 {
                log("warning: epoch \(epoch + 1) skipped \(Int(n)) of \(steps) batches (non-finite loss or gradients; on_non_finite: skip_batch)")
            }
        }
    }

    func fit(_ model: Sequential, train t: TrainSpec, trainData: @escaping EpochBatches, validationData: EpochBatches?,
             resuming: Bool) async throws -> (History, Double) {
        model.dataParallel = dataParallel   // also splits the evaluations after fit
        try FileManager.default.createDirectory(atPath: checkpointDir, withIntermediateDirectories: true)
        var callbacks: [any Callback] = [ProgressLogger(sink: { [log] line in log(line.hasSuffix("\n") ? String(line.dropLast()) : line) }),
                                         SkippedBatchLogger(log: log)]
        var earlyStopping: EarlyStopping?
        if let e = t.earlyStopping {
            earlyStopping = EarlyStopping(monitor: e.monitor, patience: e.patience, mode: e.mode,
                                          restoreBestWeights: e.restoreBestWeights)
            callbacks.append(earlyStopping!)
        }
        var previous = History()
        var position = FitPosition(epochStart: 0)
        var epochs = t.epochs
        if resuming, FileManager.default.fileExists(atPath: checkpointPath) {
            let (metadata, extra) = try ModelStore.restore(model, from: checkpointPath, optimizer: true)
            guard let text = metadata[TrainingState.metadataKey] else {
                throw InputError("the checkpoint holds no training state", field: TrainingState.metadataKey, value: checkpointPath,
                                 hint: "it was written by an older version; start the run again")
            }
            let state = try TrainingState.decode(text, path: checkpointPath)
            previous = state.history
            position = state.position
            if let es = state.earlyStopping, let earlyStopping {
                let best = model.parameters.map { extra[TrainingState.bestPrefix + $0.name] }
                earlyStopping.resume(from: es, bestWeights: best.contains { $0 == nil } ? nil : best.map { $0! })
            }
            if state.stopped { epochs = position.epoch }   // early stopping had ended it: only finish
            log("resuming at epoch \(position.epoch + 1) of \(t.epochs), after step \(position.step)")
        }
        if let dataParallel { try Self.checkSameStart(model, position: position, resuming: resuming, parallel: dataParallel) }
        if progress == .bar {   // first, so it is erased before the epoch's final line
            let steps = EpochProgressBar.knownSteps(trainData(position.epoch), stepsPerEpoch: t.stepsPerEpoch)
            callbacks.insert(EpochProgressBar(steps: steps), at: 0)
        }
        if t.checkpoint == .best {   // also keep the weights of the best epoch, as Keras' save_best_only
            let monitor = validationData != nil ? "val_loss" : "loss"
            let best = ModelCheckpoint(path: dir + "/best.safetensors", monitor: monitor, saveBestOnly: true)
            best.resume(best: previous[monitor]?.min())
            callbacks.append(best)
        }
        callbacks.append(RunLiveReport(trainer: self, epochs: t.epochs, history: previous))
        // Last, so it saves the early-stopping state of the epoch it checkpoints.
        if t.checkpoint != .none {
            callbacks.append(RunCheckpoint(path: checkpointPath, everySteps: t.checkpointEverySteps,
                                           earlyStopping: earlyStopping, history: previous))
        }
        let start = ProgressReporter.now()
        let h: History
        do {
            h = try await model.fit(trainData: trainData, epochs: epochs, stepsPerEpoch: t.stepsPerEpoch,
                                    validationData: validationData, validationSteps: t.validationSteps,
                                    resumeFrom: position, onNonFinite: t.onNonFinite,
                                    callbacks: callbacks, prefetch: t.prefetch, stop: stop)
        } catch let interrupted as FitInterrupted {
            let checkpoint = callbacks.lazy.compactMap { $0 as? RunCheckpoint }.first
            try checkpoint?.save(model, position: interrupted.position, stopped: false)
            let history = Self.merge(previous, interrupted.history)
            var files = checkpoint == nil ? [] : ["checkpoint/model.safetensors"]
            files += try writeInterrupted(model: model, history: history, position: interrupted.position, epochs: t.epochs)
            throw RunInterrupted(runDir: dir, epoch: interrupted.position.epoch, step: interrupted.position.step, epochs: t.epochs,
                                 checkpointWritten: checkpoint != nil, files: files, signal: interrupted.signal)
        }
        return (Self.merge(previous, h), ProgressReporter.now() - start)
    }

    /// Before the first step of a data-parallel fit: every rank must start from the same weights
    /// and the same position (epoch, step, optimizer iterations), else their collective calls
    /// would pair different steps (a hang, or a crash inside MPI). Throws ``InputError`` naming
    /// the likely cause: a resumed job whose ranks read different checkpoints (e.g. ranks of the
    /// killed job still writing the run folder) or different data. One collective call.
    static func checkSameStart(_ model: Sequential, position: FitPosition, resuming: Bool, parallel: any DataParallel) throws {
        guard try parallel.agree(startHash(model, position: position)) else {
            throw InputError("the ranks of this job start from different weights or positions (this rank: epoch \(position.epoch + 1), "
                             + "after step \(position.step))", field: resuming ? "--resume" : "model",
                             hint: resuming ? "every rank must read the same checkpoint: make sure no process of the killed job still runs "
                                              + "(they are in their own process groups: `pkill -f RUN_FOLDER`), then resume again"
                                            : "every rank must build the same model from the same spec and seed")
        }
    }

    /// The weights' hash mixed with the position and the optimizer's iteration count.
    static func startHash(_ model: Sequential, position: FitPosition) -> UInt64 {
        var h = model.weightsHash()
        for v in [UInt64(position.epoch), UInt64(position.step), UInt64(model.optimizer?.iterations ?? 0)] {
            h = (h ^ v) &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// `previous` (restored from a checkpoint) followed by the epochs of `h`.
    static func merge(_ previous: History, _ h: History) -> History {
        var merged = previous
        for (i, e) in h.epochs.enumerated() {
            var logs = Logs()
            for k in h.keys { if let v = h[k]?[i] { logs[k] = v } }
            merged.append(epoch: e, logs: logs, seconds: h.epochSeconds[i])
        }
        return merged
    }

    /// The artefacts of an interrupted run (the finished epochs): history, plots, summary,
    /// report. Returns the file names written.
    func writeInterrupted(model: Sequential, history: History, position: FitPosition, epochs: Int) throws -> [String] {
        try RunArtifacts.write(history, into: dir)
        let plots = try RunArtifacts.writePlots(history, into: dir)
        let summary = model.summary()
        try AtomicFile.write(summary + "\n", to: dir + "/summary.txt")
        var finalRows: [(String, String)] = []
        for k in history.keys { if let v = history[k]?.last { finalRows.append((k, String(format: "%.4f", v))) } }
        let state = "interrupted at epoch \(position.epoch + 1) of \(epochs), after step \(position.step) of the epoch"
        let report = self.report(title: "\(spec.name): \(state)", summary: summary, finalRows: finalRows, history: history,
                                 plots: plots, stats: [("state", state + "; continue with pipeline run --resume \(dir)")])
        try AtomicFile.write(report.html, to: dir + "/report.html")
        return ["history.json", "history.csv"] + plots + ["summary.txt", "report.html"]
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
        if let loss = spec.train?.loss { json["loss"] = .string(loss.rawValue) }
        for key in history.keys where key.hasPrefix("val_") {
            let v = history[key] ?? []
            let best = key.contains("acc") ? v.max() : v.min()
            if let best { json["best_" + key] = .number(best) }
        }
        if let baseline { json["baseline_mae"] = .number(baseline) }
        if let dataParallel { json["mpi_ranks"] = .int(dataParallel.size) }   // data-parallel over this many ranks
        json["data"] = .object(Dictionary(uniqueKeysWithValues: stats.map { ($0.0, JSONOutput.typed($0.1)) }))
        try AtomicFile.write(JSONValue.object(json).text + "\n", to: dir + "/run.json")
        var finalRows = final.keys.sorted().map { ($0, String(format: "%.4f", final[$0]?.double ?? .nan)) }
        finalRows.append(("seconds per epoch", String(format: "%.2f", perEpoch)))
        if let baseline { finalRows.append(("common-sense baseline MAE", String(format: "%.4f", baseline))) }
        let report = self.report(title: "\(spec.name): \(spec.model.map { "\($0.layers.count)-layer model" } ?? "baseline")",
                                 summary: summary, finalRows: finalRows, history: history, plots: plots, stats: stats)
        try AtomicFile.write(report.html, to: dir + "/report.html")
        let headline = final.keys.sorted().filter { $0.hasPrefix("val_") || $0.hasPrefix("test_") }
            .map { "\($0) \(String(format: "%.4f", final[$0]!.double!))" }.joined(separator: ", ")
        return RunResult(json: .object(json),
                         summary: "\(spec.name): \(history.epochs.count) epochs, \(String(format: "%.2f", perEpoch)) s/epoch; \(headline) → \(dir)")
    }

    /// The report of this run: its date, total time since the trainer started, and links to
    /// the files the folder holds now.
    func report(title: String, summary: String, finalRows: [(String, String)], history: History, plots: [String],
                stats: [(String, String)]) -> RunReport {
        var r = RunReport(title: title, specYAML: spec.yaml, dataStats: stats, modelSummary: summary, finalMetrics: finalRows,
                          history: RunArtifacts.historySeries(history), historyKeys: history.keys, plots: plots)
        r.written = RunReport.timestamp()
        r.totalSeconds = ProgressReporter.now() - startedAt
        r.confusion = ConfusionMatrix.load(runDirectory: dir)
        r.files = ["model.safetensors", "best.safetensors", "model.json", "run.json", "history.json", "history.csv",
                   "summary.txt", "spec.yaml"].filter { FileManager.default.fileExists(atPath: dir + "/" + $0) }
        return r
    }
}
