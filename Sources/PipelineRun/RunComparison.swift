import Foundation
import PipelineCore
import PipelineSpec

/// `pipeline compare`: the final and best metrics and time per epoch of several runs, and one
/// SVG overlaying their validation curves (the chapter is a comparison of models).
public struct RunComparison {
    public struct Row: Sendable {
        public var name: String
        public var directory: String
        public var history: [String: [Double]]
        public var baseline: Double?
    }

    public let rows: [Row]

    public init(runDirectories: [String]) throws {
        rows = try runDirectories.map { dir in
            let h = try RunArtifacts.readHistory(dir)
            var name = (dir as NSString).lastPathComponent
            var baseline: Double?
            if let data = FileManager.default.contents(atPath: dir + "/run.json"), let run = try? JSONValue.parse(data) {
                name = run["name"]?.string ?? name
                baseline = run["baseline_mae"]?.double
            }
            return Row(name: name, directory: dir, history: h, baseline: baseline)
        }
    }

    /// The validation metric compared: `val_acc`/`val_accuracy` when every run has it, else `val_mae`, else `val_loss`.
    public var metric: String {
        for m in ["val_acc", "val_accuracy", "val_mae"] where rows.allSatisfy({ $0.history[m] != nil }) { return m }
        return "val_loss"
    }

    var higherIsBetter: Bool { metric.contains("acc") }

    func stats(_ r: Row) -> (final: Double?, best: Double?, bestEpoch: Int?, finalLoss: Double?, seconds: Double?) {
        let v = r.history[metric] ?? []
        let best = higherIsBetter ? v.max() : v.min()
        let epoch = best.flatMap { b in v.firstIndex(of: b) }.map { $0 + 1 }
        let secs = r.history["epoch_seconds"].flatMap { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) }
        return (v.last, best, epoch, r.history["val_loss"]?.last, secs)
    }

    public var table: String {
        func f(_ d: Double?) -> String { d.map { String(format: "%.4f", $0) } ?? "-" }
        var lines = ["run | epochs | final \(metric) | best \(metric) (epoch) | final val_loss | s/epoch",
                     "--- | ---: | ---: | ---: | ---: | ---:"]
        for r in rows {
            let s = stats(r)
            lines.append("\(r.name) | \(r.history["epoch_seconds"]?.count ?? 0) | \(f(s.final)) | \(f(s.best)) (\(s.bestEpoch.map(String.init) ?? "-")) | \(f(s.finalLoss)) | \(s.seconds.map { String(format: "%.2f", $0) } ?? "-")")
        }
        if let b = rows.compactMap(\.baseline).first { lines.append("common-sense baseline MAE: \(f(b))") }
        return lines.joined(separator: "\n")
    }

    public var json: JSONValue {
        .object(["metric": .string(metric), "runs": .array(rows.map { r in
            let s = stats(r)
            var o: [String: JSONValue] = ["name": .string(r.name), "directory": .string(r.directory)]
            o["final"] = s.final.map { .number($0) } ?? .null
            o["best"] = s.best.map { .number($0) } ?? .null
            o["best_epoch"] = s.bestEpoch.map { .int($0) } ?? .null
            o["seconds_per_epoch"] = s.seconds.map { .number($0) } ?? .null
            return .object(o)
        })])
    }

    public func writeOverlay(to path: String) throws {
        var chart = SVGChart(title: "Validation \(metric.replacingOccurrences(of: "val_", with: "")) by model", yLabel: metric)
        for r in rows { chart.add(series: r.name, values: r.history[metric] ?? []) }
        if metric == "val_mae", let b = rows.compactMap(\.baseline).first { chart.reference = ("Common-sense baseline", b) }
        try AtomicFile.write(chart.svg, to: path)
    }
}
