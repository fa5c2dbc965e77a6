import Foundation
import PipelineCore
import PipelineSpec

/// `report.html`: one self-contained page per run that gathers the resolved spec, the data
/// statistics, the model table, the final metrics, the time per epoch and the plots.
/// It references only files inside the run folder (the SVG plots by relative name).
///
/// The header gives the tool and version (``ToolInfo``), when the report was written
/// (`written`, when set), the total time (`totalSeconds`) and the best epoch (the lowest
/// `val_loss`, else `loss`: ``RunArtifacts/bestEpoch(_:)``), whose row in the epoch table is
/// highlighted; the footer links the run's files (`files`: names inside the folder). With
/// `refreshSeconds`, the page reloads itself (a run in progress rewrites it after each epoch).
public struct RunReport {
    public var title: String
    public var specYAML: String
    public var dataStats: [(String, String)]
    public var modelSummary: String
    public var finalMetrics: [(String, String)]
    public var history: [String: [Double]]
    public var historyKeys: [String]
    public var plots: [String]
    /// When the report was written, e.g. `2025-06-01 14:03:12 UTC` (nil: not shown, so that
    /// reruns give identical bytes).
    public var written: String?
    /// Wall time of the whole run so far, in seconds (nil: not shown).
    public var totalSeconds: Double?
    /// The files of the run folder to link to (relative names, in order).
    public var files: [String] = ["history.json", "history.csv", "spec.yaml", "summary.txt", "run.json"]
    /// Reload the page every this many seconds (a report written during training).
    public var refreshSeconds: Int?
    /// A classifier's confusion matrix on the test (else validation) set, shown after the final metrics.
    public var confusion: ConfusionMatrix?

    public init(title: String, specYAML: String, dataStats: [(String, String)], modelSummary: String,
                finalMetrics: [(String, String)], history: [String: [Double]], historyKeys: [String], plots: [String]) {
        self.title = title; self.specYAML = specYAML; self.dataStats = dataStats; self.modelSummary = modelSummary
        self.finalMetrics = finalMetrics; self.history = history; self.historyKeys = historyKeys; self.plots = plots
    }

    static func e(_ s: String) -> String { SVGChart.escape(s) }

    static func table(_ rows: [(String, String)]) -> String {
        "<table>" + rows.map { "<tr><th>\(e($0.0))</th><td>\(e($0.1))</td></tr>" }.joined() + "</table>"
    }

    /// `2025-06-01 14:03:12 UTC`.
    public static func timestamp(_ date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return f.string(from: date)
    }

    public var html: String {
        let best = RunArtifacts.bestEpoch(history)
        var epochs = "<table><tr><th>epoch</th>" + historyKeys.map { "<th>\(RunReport.e($0))</th>" }.joined() + "<th>seconds</th></tr>"
        let n = history["epoch_seconds"]?.count ?? 0
        for i in 0..<n {
            epochs += (best?.epoch == i + 1 ? "<tr class=\"best\"><td>\(i + 1) (best)</td>" : "<tr><td>\(i + 1)</td>") + historyKeys.map { k in
                "<td>\((history[k].flatMap { i < $0.count ? String(format: "%.4f", $0[i]) : nil }) ?? "")</td>"
            }.joined() + "<td>\(String(format: "%.2f", history["epoch_seconds"]![i]))</td></tr>"
        }
        epochs += "</table>"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">\(refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")<title>\(RunReport.e(title))</title>
        <style>
        body { font-family: sans-serif; margin: 2em auto; max-width: 960px; color: #222 }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em } th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left }
        pre { background: #f6f6f6; padding: 1em; overflow-x: auto } img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0 }
        tr.best td { background: #fff4c2; font-weight: bold } p.meta { color: #555 }
        </style></head><body>
        <h1>\(RunReport.e(title))</h1>
        <p class="meta">\(RunReport.e(meta(best: best)))</p>
        <h2>Final metrics</h2>
        \(RunReport.table(finalMetrics))
        \(confusion?.html ?? "")<h2>Curves</h2>
        \(plots.map { "<p><img src=\"\(RunReport.e($0))\" alt=\"\(RunReport.e($0))\"></p>" }.joined(separator: "\n"))
        <h2>Epochs</h2>
        \(epochs)
        <h2>Model</h2>
        <pre>\(RunReport.e(modelSummary))</pre>
        <h2>Data</h2>
        \(RunReport.table(dataStats))
        <h2>Configuration</h2>
        <pre>\(RunReport.e(specYAML))</pre>
        <h2>Files</h2>
        <p>\(files.map { "<a href=\"\(RunReport.e($0))\">\(RunReport.e($0))</a>" }.joined(separator: ", ")).</p>
        </body></html>

        """
    }

    /// `swift-rnn-pipeline 0.1.0 · written 2025-06-01 14:03:12 UTC · total 1:02:05 · best epoch 7 (val_loss 0.3120)`.
    func meta(best: (epoch: Int, key: String, value: Double)?) -> String {
        var parts = ["\(ToolInfo.name) \(ToolInfo.version)"]
        if let written { parts.append("written \(written)") }
        if let totalSeconds { parts.append("total \(ProgressReporter.clock(totalSeconds))") }
        if let best { parts.append("best epoch \(best.epoch) (\(best.key) \(String(format: "%.4f", best.value)))") }
        return parts.joined(separator: " · ")
    }
}
