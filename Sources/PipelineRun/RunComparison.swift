import Foundation
import PipelineCore
import PipelineSpec

/// `pipeline compare`: the final and best metrics and time per epoch of several runs, and one
/// SVG with a panel per validation metric overlaying the runs' curves.
///
/// ```swift
/// let c = try RunComparison(runDirectories: ["runs/jena-gru", "runs/jena-dense"])
/// print(c.table)                      // run | epochs | final val_loss (mae) | best … | s/epoch
/// try c.writeOverlay(to: "compare.svg")
/// ```
/// Metrics: every validation key the runs logged (`val_loss`, `val_acc`, `val_mae`, …). A
/// `val_loss` means the run's loss (`train.loss`, read from `run.json`, else `model.json`), so
/// runs trained with different losses (cross-entropy and MAE) never share a `val_loss` panel or
/// column: each loss gets its own, named after it, and ``notes`` says so. Each metric appears
/// once, as `final` and `best (epoch)` (a `val_loss` that equals a logged metric, as loss `mae`
/// with metric `mae`, only under the metric's name); best is the highest for accuracies, else the lowest.
/// Failures: ``IOFailure`` for a folder without `history.json`.
public struct RunComparison {
    public struct Row: Sendable {
        public var name: String
        public var directory: String
        public var history: [String: [Double]]
        public var baseline: Double?
        /// The loss the run was trained with (nil when the folder does not say).
        public var loss: String?
    }

    /// One compared quantity: a history key, and for `val_loss` the loss it measures.
    public struct Metric: Sendable, Hashable {
        public var key: String
        public var loss: String?
        /// `val_loss (binary_crossentropy)`, `val_acc`.
        public var label: String { loss.map { "\(key) (\($0))" } ?? key }
        var higherIsBetter: Bool { key.contains("acc") || key.contains("auc") }
    }

    public let rows: [Row]

    public init(runDirectories: [String]) throws {
        rows = try runDirectories.map { dir in
            let h = try RunArtifacts.readHistory(dir)
            var name = (dir as NSString).lastPathComponent
            var baseline: Double?
            var loss: String?
            if let data = FileManager.default.contents(atPath: dir + "/run.json"), let run = try? JSONValue.parse(data) {
                name = run["name"]?.string ?? name
                baseline = run["baseline_mae"]?.double
                loss = run["loss"]?.string
            }
            if loss == nil, let data = FileManager.default.contents(atPath: dir + "/model.json"),
               let model = try? JSONValue.parse(data), let l = model["compile_config"]?["loss"] {
                loss = l.string ?? l["class_name"]?.string ?? l["config"]?["name"]?.string
            }
            return Row(name: name, directory: dir, history: h, baseline: baseline, loss: loss)
        }
    }

    /// The compared metrics, in order: `val_loss` per distinct loss, then the other validation
    /// keys (`val_acc`, `val_mae`, …) in first-seen order.
    public var metrics: [Metric] {
        var out: [Metric] = []
        let losses = rows.filter { $0.history["val_loss"] != nil }.map(\.loss)
        var seen = Set<String?>()
        let mixed = Set(losses).count > 1
        for l in losses where seen.insert(l).inserted {
            // A loss that is also a logged metric (loss mae, metrics [mae]) is that metric's column already.
            let group = rows.filter { $0.history["val_loss"] != nil && $0.loss == l }
            if let l, group.allSatisfy({ $0.history["val_" + l] != nil }) { continue }
            out.append(Metric(key: "val_loss", loss: mixed ? (l ?? "unknown loss") : l))
        }
        for r in rows {
            for k in r.history.keys.sorted() where k.hasPrefix("val_") && k != "val_loss" && k != "val_skipped_batches"
                && !out.contains(where: { $0.key == k }) {
                out.append(Metric(key: k, loss: nil))
            }
        }
        return out
    }

    /// The headline metric (JSON's `metric`): `val_acc`/`val_accuracy` when every run has it, else
    /// `val_mae`, else `val_loss`.
    public var metric: String {
        for m in ["val_acc", "val_accuracy", "val_mae"] where rows.allSatisfy({ $0.history[m] != nil }) { return m }
        return "val_loss"
    }

    /// Sentences about what cannot be compared directly (runs trained with different losses).
    public var notes: [String] {
        var losses: [String] = []
        for r in rows where r.history["val_loss"] != nil && !losses.contains(r.loss ?? "unknown loss") { losses.append(r.loss ?? "unknown loss") }
        guard losses.count > 1 else { return [] }
        let groups = losses.map { l in "\(l): " + rows.filter { $0.history["val_loss"] != nil && ($0.loss ?? "unknown loss") == l }.map(\.name).joined(separator: ", ") }
        return ["the runs were trained with different losses (\(groups.joined(separator: "; "))): val_loss is compared only within each"]
    }

    /// The values of `m` in run `r`, nil when the run has no such curve.
    func values(_ r: Row, _ m: Metric) -> [Double]? {
        if m.key == "val_loss", let loss = m.loss, (r.loss ?? "unknown loss") != loss { return nil }
        return r.history[m.key]
    }

    func stats(_ v: [Double], _ m: Metric) -> (final: Double?, best: Double?, epoch: Int?) {
        let best = m.higherIsBetter ? v.max() : v.min()
        return (v.last, best, best.flatMap { b in v.firstIndex(of: b) }.map { $0 + 1 })
    }

    func secondsPerEpoch(_ r: Row) -> Double? {
        r.history["epoch_seconds"].flatMap { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) }
    }

    public var table: String {
        func f(_ d: Double?) -> String { d.map { String(format: "%.4f", $0) } ?? "-" }
        let ms = metrics
        var header = ["run", "epochs"], align = ["---", "---:"]
        for m in ms { header += ["final \(m.label)", "best \(m.label) (epoch)"]; align += ["---:", "---:"] }
        header.append("s/epoch"); align.append("---:")
        var lines = [header.joined(separator: " | "), align.joined(separator: " | ")]
        for r in rows {
            var cells = [r.name, "\(r.history["epoch_seconds"]?.count ?? 0)"]
            for m in ms {
                guard let v = values(r, m) else { cells += ["-", "-"]; continue }
                let s = stats(v, m)
                cells += [f(s.final), "\(f(s.best)) (\(s.epoch.map(String.init) ?? "-"))"]
            }
            cells.append(secondsPerEpoch(r).map { String(format: "%.2f", $0) } ?? "-")
            lines.append(cells.joined(separator: " | "))
        }
        if let b = rows.compactMap(\.baseline).first { lines.append("common-sense baseline MAE: \(f(b))") }
        for n in notes { lines.append("note: " + n) }
        return lines.joined(separator: "\n")
    }

    public var json: JSONValue {
        let headline = metrics.first { $0.key == metric } ?? Metric(key: metric, loss: nil)
        return .object(["metric": .string(metric), "metrics": .array(metrics.map { .string($0.label) }),
                        "notes": .array(notes.map { .string($0) }), "runs": .array(rows.map { r in
            let s = stats(values(r, headline) ?? [], headline)
            var o: [String: JSONValue] = ["name": .string(r.name), "directory": .string(r.directory)]
            o["loss"] = r.loss.map { .string($0) } ?? .null
            o["final"] = s.final.map { .number($0) } ?? .null
            o["best"] = s.best.map { .number($0) } ?? .null
            o["best_epoch"] = s.epoch.map { .int($0) } ?? .null
            o["seconds_per_epoch"] = secondsPerEpoch(r).map { .number($0) } ?? .null
            return .object(o)
        })])
    }

    /// The charts of ``writeOverlay(to:)``: one per metric, a line per run that has it.
    public var charts: [SVGChart] {
        metrics.map { m in
            var chart = SVGChart(title: "Validation \(m.label.replacingOccurrences(of: "val_", with: "")) by run", yLabel: m.label)
            for r in rows { if let v = values(r, m) { chart.add(series: r.name, values: v) } }
            let isMAE = m.key == "val_mae" || (m.key == "val_loss" && (m.loss == "mae" || (m.loss == nil && rows.allSatisfy { $0.loss == "mae" })))
            if isMAE, let b = rows.compactMap(\.baseline).first { chart.reference = ("Common-sense baseline", b) }
            return chart
        }
    }

    public func writeOverlay(to path: String) throws {
        try AtomicFile.write(SVGChart.panels(charts), to: path)
    }
}
