import Foundation
import PipelineCore

/// Counts of (true class, predicted class) over a labelled set, with per-class precision and
/// recall; written as `confusion.json` in a run folder and shown in `report.html`.
///
/// ```swift
/// var m = ConfusionMatrix(classNames: ["neg", "pos"])
/// m.add(truth: 1, predicted: 0)
/// m.json["per_class"]    // {"neg": {"precision": 0, "recall": 0, "support": 0}, …}
/// ```
///
/// Precision of a class is 0 when nothing was predicted as it (as scikit-learn's `zero_division=0`),
/// recall 0 when it has no sample.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classNames: [String]
    /// `counts[truth][predicted]`.
    public private(set) var counts: [[Int]]

    public init(classNames: [String]) {
        self.classNames = classNames
        counts = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
    }

    public mutating func add(truth: Int, predicted: Int) { counts[truth][predicted] += 1 }

    /// The predicted class of each row of `probabilities` `[N, width]` (`width` C: softmax, the
    /// largest; `width` 1: sigmoid, class 1 when ≥ 0.5).
    public static func predictedClasses(_ probabilities: [Float], width: Int) -> [Int] {
        precondition(width >= 1 && probabilities.count % width == 0, "probabilities are [N, \(width)]")
        return stride(from: 0, to: probabilities.count, by: width).map { i in
            if width == 1 { return probabilities[i] >= 0.5 ? 1 : 0 }
            var best = 0
            for c in 1..<width where probabilities[i + c] > probabilities[i + best] { best = c }
            return best
        }
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public func precision(_ c: Int) -> Double { let p = counts.reduce(0) { $0 + $1[c] }; return p == 0 ? 0 : Double(counts[c][c]) / Double(p) }
    public func recall(_ c: Int) -> Double { let s = counts[c].reduce(0, +); return s == 0 ? 0 : Double(counts[c][c]) / Double(s) }
    public var accuracy: Double { total == 0 ? 0 : Double(classNames.indices.reduce(0) { $0 + counts[$1][$1] }) / Double(total) }

    public var json: JSONValue {
        var per: [String: JSONValue] = [:]
        for (c, name) in classNames.enumerated() {
            per[name] = .object(["precision": .number(precision(c)), "recall": .number(recall(c)), "support": .int(counts[c].reduce(0, +))])
        }
        return .object(["class_names": .array(classNames.map { .string($0) }),
                        "matrix": .array(counts.map { .array($0.map { .int($0) }) }),
                        "rows": .string("true class"), "columns": .string("predicted class"),
                        "per_class": .object(per), "accuracy": .number(accuracy)])
    }

    public static let fileName = "confusion.json"

    /// Reads `confusion.json` of a run folder (nil when absent or unreadable).
    public static func load(runDirectory: String) -> ConfusionMatrix? {
        guard let data = FileManager.default.contents(atPath: runDirectory + "/" + fileName),
              let v = try? JSONValue.parse(Array(data)), let names = v["class_names"]?.array?.compactMap(\.string),
              let rows = v["matrix"]?.array, rows.count == names.count else { return nil }
        var m = ConfusionMatrix(classNames: names)
        for (i, r) in rows.enumerated() {
            guard let cells = r.array, cells.count == names.count else { return nil }
            for (j, c) in cells.enumerated() { m.counts[i][j] = c.int ?? 0 }
        }
        return m
    }

    /// The `report.html` section: a table with rows = true class, columns = predicted class,
    /// the diagonal shaded, precision and recall per class.
    public var html: String {
        func e(_ s: String) -> String { SVGChart.escape(s) }
        var s = "<h2>Confusion matrix</h2>\n<p>\(total) samples; rows: true class, columns: predicted class.</p>\n<table class=\"confusion\"><tr><th></th>"
        s += classNames.map { "<th>\(e($0))</th>" }.joined() + "<th>recall</th></tr>"
        let peak = max(1, counts.flatMap { $0 }.max() ?? 1)
        for (i, row) in counts.enumerated() {
            s += "<tr><th>\(e(classNames[i]))</th>"
            for (j, n) in row.enumerated() {
                let alpha = Double(n) / Double(peak) * 0.6
                let color = i == j ? "rgba(40,140,60,\(String(format: "%.2f", alpha)))" : "rgba(200,60,40,\(String(format: "%.2f", alpha)))"
                s += "<td style=\"background:\(color);text-align:right\">\(n)</td>"
            }
            s += "<td>\(String(format: "%.3f", recall(i)))</td></tr>"
        }
        s += "<tr><th>precision</th>" + classNames.indices.map { "<td>\(String(format: "%.3f", precision($0)))</td>" }.joined() + "<td></td></tr></table>\n"
        return s
    }
}
