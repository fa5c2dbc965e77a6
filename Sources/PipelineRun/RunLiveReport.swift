import Foundation
import PipelineCore
import PipelineSpec
import PipelineTraining

/// Rewrites the run folder's `history.json` / `history.csv`, plots and `report.html` after
/// every epoch, so the report can be watched while a run trains (the page reloads itself every
/// 10 s until the final report replaces it).
///
/// ```swift
/// callbacks.append(RunLiveReport(trainer: trainer, epochs: 10, history: restored))
/// ```
/// Every file goes through ``AtomicFile`` (a reader never sees half a page; the run folder's
/// manifest lists them), so an interruption at any moment leaves the last finished epoch's
/// report. Cost per epoch: the history (a few kB), one SVG per metric and the page. Failures
/// (a full disk) stop `fit` with the I/O error, as a checkpoint's would.
final class RunLiveReport: Callback {
    let trainer: RunTrainer
    let epochs: Int
    var history: History

    init(trainer: RunTrainer, epochs: Int, history: History) {
        self.trainer = trainer; self.epochs = epochs; self.history = history
    }

    func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
        history.append(epoch: epoch, logs: logs, seconds: seconds)
        let dir = trainer.dir
        try RunArtifacts.write(history, into: dir)
        let plots = try RunArtifacts.writePlots(history, into: dir)
        var rows: [(String, String)] = []
        for k in history.keys { if let v = history[k]?.last { rows.append((k, String(format: "%.4f", v))) } }
        let state = "training, epoch \(epoch + 1) of \(epochs) done"
        var report = trainer.report(title: "\(trainer.spec.name): \(state)", summary: model.summary(), finalRows: rows,
                                    history: history, plots: plots, stats: [("state", state + "; this page reloads every 10 s")])
        report.refreshSeconds = 10
        try AtomicFile.write(report.html, to: dir + "/report.html")
    }
}
