import ArgumentParser
import Foundation
import Pipeline

/// `predict --format`: a table for people, one JSON object per line, or CSV.
enum PredictFormat: String, ExpressibleByArgument, CaseIterable { case table, jsonl, csv }

/// Reading `predict`'s texts and rendering its results (the verb stays thin).
enum PredictInput {
    /// One text per line of `path` (`-`: standard input); a final newline does not add an empty
    /// text; CRLF line ends are accepted. Invalid UTF-8 is replaced (U+FFFD), as in preparation.
    static func lines(of path: String) throws -> [String] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: path) else {
                throw IOFailure("cannot read the file of texts", path: path, hint: "one text per line; - reads standard input")
            }
            data = d
        }
        // Split on the LF byte ("\r\n" is one Character in Swift, so String.split would not see it).
        var lines = Array(data).split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func render(_ predictions: [TextPrediction], format: PredictFormat) -> String {
        func p(_ d: Double) -> String { String(format: "%.4f", d) }
        func top(_ r: TextPrediction) -> String { r.top.map { "\($0.label) \(p($0.probability))" }.joined(separator: ", ") }
        switch format {
        case .jsonl:
            return predictions.map { $0.json.text + "\n" }.joined()
        case .csv:
            func q(_ s: String) -> String {
                s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            }
            return "index,label,probability,p_positive,top,text\n" + predictions.enumerated().map { i, r in
                [String(i + 1), q(r.label), p(r.probability), r.pPositive.map(p) ?? "", q(top(r)), q(r.text)].joined(separator: ",") + "\n"
            }.joined()
        case .table:
            let labelWidth = max(5, predictions.map { $0.label.count }.max() ?? 5)
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
            func clip(_ s: String) -> String {
                let one = s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
                return one.count > 60 ? String(one.prefix(59)) + "…" : one
            }
            let multi = predictions.first.map { $0.top.count > 1 && $0.pPositive == nil } ?? false
            var out = pad("#", 4) + pad("label", labelWidth + 2) + pad("prob", 8) + (multi ? pad("top", 40) : "") + "text\n"
            for (i, r) in predictions.enumerated() {
                out += pad(String(i + 1), 4) + pad(r.label, labelWidth + 2) + pad(p(r.probability), 8)
                    + (multi ? pad(top(r), 40) : "") + clip(r.text) + (r.warning == nil ? "" : "  (!)") + "\n"
            }
            return out
        }
    }
}
