import Foundation
import PipelineCore
import PipelineSpec
import PipelineIO
import PipelineText
import PipelineTraining

/// One text's prediction: the predicted class with its own probability, the top classes, and
/// for a binary (sigmoid) model the probability of class 1 (`p_positive`).
public struct TextPrediction: Sendable {
    public var text: String
    public var label: String
    public var probability: Double
    public var top: [(label: String, probability: Double)]
    public var pPositive: Double?
    /// Why the prediction says little: an empty text, or no word in the vocabulary.
    public var warning: String?

    public var json: JSONValue {
        var o: [String: JSONValue] = ["label": .string(label), "probability": .number(probability),
                                      "top": .array(top.map { .object(["label": .string($0.label), "probability": .number($0.probability)]) })]
        if let pPositive { o["p_positive"] = .number(pPositive) }
        if let warning { o["warning"] = .string(warning) }
        return .object(o)
    }
}

extension Prediction {
    /// The run's class names (`data/meta.json`), with aclImdb's `neg`/`pos` shown as
    /// `negative`/`positive` (what `predict` always printed).
    public var classNames: [String] {
        let names = PipelineRunner.classNames(dataDir: runDirectory + "/data") ?? ["neg", "pos"]
        return names == ["neg", "pos"] ? ["negative", "positive"] : names
    }

    /// Predicts every text in one pass (batches of 128): each text encoded exactly as the run's
    /// preparation did. `topK` (≥ 1) classes are listed, most probable first. A sigmoid model
    /// gives `P(class 1)`; its label is the class it is ≥ 0.5 for, with that class's probability.
    /// Errors: not a text run; a model whose output does not match the class names.
    public func predict(texts: [String], topK: Int = 1) throws -> [TextPrediction] {
        guard case .text(let t) = spec.task, let maxlen = t.maxlen else { throw InputError("--text needs a text run", field: "--text") }
        let v = try vocabulary
        let names = classNames
        var start: Int32?, oov: Int32?
        switch v.index {
        case let .imdb(_, _, s, o, _): start = s; oov = o
        case .textVectorization: oov = 1
        }
        var out: [TextPrediction] = []
        out.reserveCapacity(texts.count)
        for first in stride(from: 0, to: texts.count, by: 128) {
            let chunk = texts[first..<min(texts.count, first + 128)]
            var rows: [[Int32]] = []
            var warnings: [String?] = []
            for text in chunk {
                var ids = v.encode(text: text)
                if start != nil, !ids.isEmpty { ids.removeFirst() }
                let known = ids.reduce(0) { $0 + ($1 == oov ? 0 : 1) }
                if text.allSatisfy(\.isWhitespace) { warnings.append("empty text: the prediction is the model's answer to padding alone") }
                else if known == 0 { warnings.append("no word of this text is in the run's vocabulary: the prediction says little") }
                else { warnings.append(nil) }
                // As encode(text:), with the vocabulary loaded once (not once per text).
                rows.append(padSequences([v.encode(text: text)], maxlen: maxlen, padding: t.padding,
                                         truncating: t.truncating, value: Int32(t.value)).row(0))
            }
            let x = Tensor(shape: [rows.count, maxlen], data: rows.flatMap { $0.map(Float.init) })
            let y = model.predict(x, batchSize: rows.count)
            let width = y.count / max(rows.count, 1)
            guard width == 1 ? names.count == 2 : width == names.count else {
                throw InputError("the model outputs \(width) value\(width == 1 ? "" : "s") per text, but the run has \(names.count) classes",
                                 at: SourceLocation(file: runDirectory + "/data/meta.json"), field: "class_names")
            }
            for (k, text) in chunk.enumerated() {
                var probs: [(String, Double)]
                var pPositive: Double?
                if width == 1 {
                    let p = Double(y.data[k])
                    pPositive = p
                    probs = [(names[0], 1 - p), (names[1], p)]
                } else {
                    probs = (0..<width).map { (names[$0], Double(y.data[k * width + $0])) }
                }
                let ranked = probs.enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }.map(\.element)
                out.append(TextPrediction(text: text, label: ranked[0].0, probability: ranked[0].1,
                                          top: Array(ranked.prefix(max(1, topK))).map { (label: $0.0, probability: $0.1) },
                                          pPositive: pPositive, warning: warnings[k]))
            }
        }
        return out
    }

    /// Labelled texts of `source` for `evaluate`, read with the run's text settings and class
    /// names: the `test` split when the source has one (aclImdb or `test/` folders), else every
    /// record. Rows whose label is not among the run's classes are errors (or skipped with
    /// `text.on_bad_row: skip`).
    func labelledTexts(source: String, spec s: PipelineSpec, text t: TextSpec, progress: ProgressStyle) async throws -> (texts: [Review], classNames: [String]) {
        let names = PipelineRunner.classNames(dataDir: runDirectory + "/data") ?? ["neg", "pos"]
        var options = t.labelled
        options.classNames = names
        options.labelMode = .int
        let collector = try LabelledTextTokenizer(collectingWith: options)
        var format = options.format
        if format == .auto { format = TextFormat.fromExtension(source) ?? .auto }
        let opener = PipelineRunner.widened(SourceOpener(spec: s, progress: progress), for: format, spec: s, progress: progress)
        if format.isRecordFile {
            try await collector.addRecords(try opener.fileContent(), format: format, split: .test, source: opener.displayName)
        } else {
            try await collector.addEntries(try opener.entries(), format: format, split: nil, source: opener.displayName)
        }
        var rows = collector.collected ?? []
        if rows.contains(where: { $0.split == .test }) { rows.removeAll { $0.split != .test } }
        let reviews = rows.enumerated().map { i, r in
            Review(text: String(decoding: r.text, as: UTF8.self), label: Int(r.label), split: .test, id: i, rating: 0)
        }
        return (reviews, names)
    }

    /// The confusion matrix of `dataset` (rows in order), for `evaluate --json`.
    func confusion(_ dataset: EncodedDataset, classNames: [String], batch: Int) async throws -> ConfusionMatrix {
        let p = try await model.predict(data: dataset.rows().batched(size: batch))
        var m = ConfusionMatrix(classNames: classNames)
        for (i, c) in ConfusionMatrix.predictedClasses(p.data, width: p.shape.last ?? 1).enumerated()
            where Int(dataset.y[i]) < classNames.count && c < classNames.count {
            m.add(truth: Int(dataset.y[i]), predicted: c)
        }
        return m
    }
}
