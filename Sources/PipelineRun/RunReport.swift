import Foundation
import PipelineCore
import PipelineSpec

/// `report.html`: one self-contained page per run that gathers the resolved spec, the data
/// statistics, the model table, the final metrics, the time per epoch and the plots.
/// It references only files inside the run folder (the SVG plots by relative name).
public struct RunReport {
    public var title: String
    public var specYAML: String
    public var dataStats: [(String, String)]
    public var modelSummary: String
    public var finalMetrics: [(String, String)]
    public var history: [String: [Double]]
    public var historyKeys: [String]
    public var plots: [String]

    public init(title: String, specYAML: String, dataStats: [(String, String)], modelSummary: String,
                finalMetrics: [(String, String)], history: [String: [Double]], historyKeys: [String], plots: [String]) {
        self.title = title; self.specYAML = specYAML; self.dataStats = dataStats; self.modelSummary = modelSummary
        self.finalMetrics = finalMetrics; self.history = history; self.historyKeys = historyKeys; self.plots = plots
    }

    static func e(_ s: String) -> String { SVGChart.escape(s) }

    static func table(_ rows: [(String, String)]) -> String {
        "<table>" + rows.map { "<tr><th>\(e($0.0))</th><td>\(e($0.1))</td></tr>" }.joined() + "</table>"
    }

    public var html: String {
        var epochs = "<table><tr><th>epoch</th>" + historyKeys.map { "<th>\(RunReport.e($0))</th>" }.joined() + "<th>seconds</th></tr>"
        let n = history["epoch_seconds"]?.count ?? 0
        for i in 0..<n {
            epochs += "<tr><td>\(i + 1)</td>" + historyKeys.map { k in
                "<td>\((history[k].flatMap { i < $0.count ? String(format: "%.4f", $0[i]) : nil }) ?? "")</td>"
            }.joined() + "<td>\(String(format: "%.2f", history["epoch_seconds"]![i]))</td></tr>"
        }
        epochs += "</table>"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(RunReport.e(title))</title>
        <style>
        body { font-family: sans-serif; margin: 2em auto; max-width: 960px; color: #222 }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em } th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left }
        pre { background: #f6f6f6; padding: 1em; overflow-x: auto } img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0 }
        </style></head><body>
        <h1>\(RunReport.e(title))</h1>
        <h2>Final metrics</h2>
        \(RunReport.table(finalMetrics))
        <h2>Curves</h2>
        \(plots.map { "<p><img src=\"\(RunReport.e($0))\" alt=\"\(RunReport.e($0))\"></p>" }.joined(separator: "\n"))
        <h2>Epochs</h2>
        \(epochs)
        <h2>Model</h2>
        <pre>\(RunReport.e(modelSummary))</pre>
        <h2>Data</h2>
        \(RunReport.table(dataStats))
        <h2>Configuration</h2>
        <pre>\(RunReport.e(specYAML))</pre>
        <p>Files: <a href="history.json">history.json</a>, <a href="history.csv">history.csv</a>, <a href="spec.yaml">spec.yaml</a>,
        <a href="summary.txt">summary.txt</a>, <a href="run.json">run.json</a>.</p>
        </body></html>

        """
    }
}
