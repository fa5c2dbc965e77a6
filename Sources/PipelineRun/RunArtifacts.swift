import Foundation
import PipelineCore
import PipelineSpec
import PipelineTraining

/// The files of a run folder that describe a training run: `history.json` / `history.csv` with
/// Keras' key names, the loss and metric plots (SVG, the book's figures), and `run.json`.
public enum RunArtifacts {
    /// `{"loss": [...], "val_loss": [...], "acc": [...], …, "epoch_seconds": [...]}` (Keras' `history.history`).
    public static func historyJSON(_ h: History) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for k in h.keys { o[k] = .array((h[k] ?? []).map { .number($0) }) }
        o["epoch_seconds"] = .array(h.epochSeconds.map { .number($0) })
        o["epoch"] = .array(h.epochs.map { .int($0 + 1) })
        return .object(o)
    }

    public static func historyCSV(_ h: History) -> String {
        var s = (["epoch"] + h.keys + ["seconds"]).joined(separator: ",") + "\n"
        for (i, e) in h.epochs.enumerated() {
            let row = [String(e + 1)] + h.keys.map { k in (h[k]?[i]).map { String($0) } ?? "" } + [String(h.epochSeconds[i])]
            s += row.joined(separator: ",") + "\n"
        }
        return s
    }

    /// The best epoch of a history (1-based) and the key that says so: the lowest `val_loss`, or
    /// the lowest `loss` without validation (Keras' `ModelCheckpoint` default); nil when none is finite.
    public static func bestEpoch(_ h: [String: [Double]]) -> (epoch: Int, key: String, value: Double)? {
        let key = h["val_loss"].map { !$0.isEmpty } == true ? "val_loss" : "loss"
        guard let values = h[key] else { return nil }
        var best: (Int, Double)?
        for (i, v) in values.enumerated() where v.isFinite && v < (best?.1 ?? .infinity) { best = (i + 1, v) }
        return best.map { ($0.0, key, $0.1) }
    }

    /// The plots of a history: `loss.svg`, and `acc.svg` / `mae.svg` for each metric, each with
    /// the best epoch (``bestEpoch(_:)``) marked; returns the file names.
    public static func writePlots(_ h: History, into dir: String, baseline: Double? = nil, baselineName: String = "Common-sense baseline") throws -> [String] {
        var files: [String] = []
        let metrics = h.keys.filter { !$0.hasPrefix("val_") && !Logs.countKeys.contains($0) }
        let best = bestEpoch(Dictionary(uniqueKeysWithValues: h.keys.map { ($0, h[$0] ?? []) }))
        for key in metrics {
            var chart = SVGChart(title: "Training and validation \(key)", yLabel: key)
            chart.add(series: "Training \(key)", values: h[key] ?? [], style: .dots)
            if let v = h["val_" + key] { chart.add(series: "Validation \(key)", values: v) }
            if let best {
                chart.best = SVGChart.Best(epoch: best.epoch, series: chart.series.count - 1,
                                           label: "best epoch \(best.epoch) (lowest \(best.key))")
            }
            if let baseline, key == "mae" || (key == "loss" && h.keys.contains("mae")) { chart.reference = (baselineName, baseline) }
            let name = "\(key).svg"
            try AtomicFile.write(chart.svg, to: dir + "/" + name)
            files.append(name)
        }
        return files
    }

    public static func write(_ h: History, into dir: String) throws {
        try AtomicFile.write(historyJSON(h).text + "\n", to: dir + "/history.json")
        try AtomicFile.write(historyCSV(h), to: dir + "/history.csv")
    }

    /// Reads a `history.json` written by ``write(_:into:)`` back as key → values.
    public static func readHistory(_ dir: String) throws -> [String: [Double]] {
        guard let data = FileManager.default.contents(atPath: dir + "/history.json") else {
            throw IOFailure("no history.json", path: dir, hint: "is this a run folder written by `pipeline run`?")
        }
        let json = try JSONValue.parse(data)
        guard case .object = json else { throw IOFailure("history.json is not an object", path: dir) }
        return series(json)
    }

    /// What ``readHistory(_:)`` would read back after ``write(_:into:)``, without the disk: the
    /// report's key → values (`epoch`, `epoch_seconds` and every logged key; non-finite values,
    /// written as `null`, left out).
    public static func historySeries(_ h: History) -> [String: [Double]] { series(historyJSON(h)) }

    static func series(_ json: JSONValue) -> [String: [Double]] {
        guard case .object(let o) = json else { return [:] }
        var out: [String: [Double]] = [:]
        for (k, v) in o { out[k] = v.array?.compactMap(\.double).filter(\.isFinite) ?? [] }
        return out
    }
}
