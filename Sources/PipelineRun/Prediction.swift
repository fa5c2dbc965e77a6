import Foundation
import PipelineCore
import PipelineSpec
import PipelineIO
import PipelineText
import PipelineTimeseries
import PipelineTraining

/// A trained run loaded back from its folder, for `pipeline predict` and `pipeline evaluate`.
///
/// ```swift
/// let p = try Prediction(runDirectory: "runs/imdb-lstm")
/// try p.predict(text: "A moving, brilliant film.")    // {"probability": 0.93, "label": "positive"}
/// ```
///
/// The model is rebuilt from the run's `spec.yaml`, its weights read from `model.safetensors`
/// (the last epoch's) or, with `weights: .best`, from `best.safetensors` (the epoch with the
/// lowest `val_loss`, kept by `train.checkpoint: best`, as Keras' `ModelCheckpoint(save_best_only=True)`);
/// text is encoded with the run's own `data/vocab.json` (same standardisation, same indices,
/// same padding), weather rows normalised with the run's `data/normalization.json`. So a
/// prediction here equals the model's output inside the run for the same input.
public struct Prediction {
    public let runDirectory: String
    public let spec: PipelineSpec
    public let model: Sequential

    /// Which weights of a run to load.
    public enum Weights: String, CaseIterable, Sendable {
        case last, best
        var file: String { self == .last ? "model.safetensors" : "best.safetensors" }
    }

    public init(runDirectory: String, weights: Weights = .last) throws {
        self.runDirectory = runDirectory
        let specPath = runDirectory + "/spec.yaml"
        guard FileManager.default.fileExists(atPath: specPath) else {
            throw IOFailure("not a run folder (no spec.yaml)", path: runDirectory, hint: "pass a folder written by `pipeline run`")
        }
        spec = try PipelineSpec.load(path: specPath)
        guard spec.model != nil else {
            throw InputError("this run has no model (a baseline or data-only pipeline)", at: SourceLocation(file: specPath), field: "model")
        }
        let inputShape: [Int]
        if case .text(let t) = spec.task {
            guard let maxlen = t.maxlen else {
                throw InputError("prediction needs a fixed text.maxlen", at: SourceLocation(file: specPath), field: "text.maxlen")
            }
            inputShape = [maxlen]
        } else {
            let n = try Normalizer.load(from: runDirectory + "/data/normalization.json")
            inputShape = spec.inputShape(features: n.columns.count)
        }
        model = try ModelBuilder.build(spec: spec, inputShape: inputShape)
        let weightsPath = runDirectory + "/" + weights.file
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            throw IOFailure("this run has no \(weights.file)", path: weightsPath,
                            hint: weights == .best ? "run the pipeline with `train.checkpoint: best` (or --set train.checkpoint=best)"
                                                   : "the run did not finish; resume it with --resume")
        }
        try ModelStore.restore(model, from: weightsPath, optimizer: false)
    }

    var vocabulary: Vocabulary { get throws { try Vocabulary.load(from: runDirectory + "/data/vocab.json") } }

    /// The padded id row of one review, exactly as the run's preparation encodes it.
    public func encode(text: String) throws -> [Int32] {
        guard case .text(let t) = spec.task else { throw InputError("--text needs an IMDB (text) run", field: "--text") }
        let ids = try vocabulary.encode(text: text)
        let padded = padSequences([ids], maxlen: t.maxlen, padding: t.padding,
                                  truncating: t.truncating, value: Int32(t.value))
        return padded.row(0)
    }

    public func probability(text: String) throws -> Double {
        let row = try encode(text: text)
        let y = model.predict(Tensor(shape: [1, row.count], data: row.map(Float.init)), batchSize: 1)
        return Double(y.data[0])
    }

    /// The predicted class with its own probability, the top classes and, for a binary model,
    /// `p_positive` (see ``predict(texts:topK:)``).
    public func predict(text: String) throws -> JSONValue {
        guard case .text = spec.task else { throw InputError("--text needs an IMDB (text) run", field: "--text") }
        return try predict(texts: [text])[0].json
    }

    public func predict(file: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw IOFailure("cannot read the review file", path: file)
        }
        return try predict(text: String(decoding: data, as: UTF8.self))
    }

    /// Reads a weather CSV with the run's reader settings, normalised with the run's statistics.
    func readCSV(_ path: String, _ t: TimeseriesSpec) async throws -> (values: [Float], rows: Int, normalizer: Normalizer) {
        var options = PipelineRunner.csvOptions(t, source: path)
        options.missing = t.missing
        let n = try Normalizer.load(from: runDirectory + "/data/normalization.json")
        let expansion = try FeatureExpansion.load(directory: runDirectory + "/data")
        options.columns = expansion?.sourceColumns ?? n.columns
        options.categorical = expansion.map { Array($0.categories.keys).sorted() } ?? []
        options.missing = t.missing == .error ? .error : .keep
        let read = try await CSVFile.read(path: path, options: options, maxTableBytes: t.maxTableBytes,
                                          limitKey: WeatherPreparation.maxTableBytesKey)
        // Missing cells filled as prepare did (category ids stepwise), so no NaN reaches the model.
        var filler = MissingValueFiller(policy: t.missing)
        filler.stepwiseColumns = Set(read.columns.indices.filter { options.categorical.contains(read.columns[$0]) })
        var table = read.emptyCopy()
        if let c = try filler.push(read) { table.append(c) }
        if let c = try filler.finish() { table.append(c) }
        var values = table.values
        if let expansion, !expansion.isIdentity { values = try expansion.apply(table, maxBytes: t.maxTableBytes).values }
        n.apply(to: &values)
        return (values, table.rowCount, n)
    }

    /// The forecast from the last `lookback` rows of a CSV, in the target's units.
    public func predict(csv path: String) async throws -> JSONValue {
        guard case .timeseries(let t) = spec.task else { throw InputError("--csv needs a weather (timeseries) run", field: "--csv") }
        let (values, rows, n) = try await readCSV(path, t)
        let f = n.columns.count
        // The window in rows as prepare resolved it (durations such as 10d become rows there).
        let w = try windows()
        guard rows >= w.lookback else {
            throw InputError("the CSV has \(rows) rows, fewer than lookback \(w.lookback)", at: SourceLocation(file: path))
        }
        var x: [Float] = []
        for r in Swift.stride(from: rows - w.lookback, to: rows, by: w.step) { x += values[r * f..<(r + 1) * f] }
        let steps = x.count / f
        let y = model.predict(Tensor(shape: [1, steps, f], data: x), batchSize: 1)
        guard let target = n.columns.firstIndex(of: t.target) else { throw InputError("target column missing", value: t.target) }
        let value = n.denormalize(Double(y.data[0]), column: target)
        return .object(["target": .string(t.target), "normalized": .number(Double(y.data[0])), "forecast": .number(value),
                        "delay_rows": .int(w.delay), "last_row": .int(rows - 1)])
    }

    /// Loss and metrics on held-out data: the `test` reviews of an archive or folder (IMDB),
    /// or every window of a CSV (weather).
    public func evaluate(source: String, progress: ProgressStyle = .quiet) async throws -> JSONValue {
        var s = spec
        s.source.url = source
        s.source.sha256 = nil; s.source.md5 = nil
        let opener = SourceOpener(spec: s, progress: progress)
        switch spec.task {
        case .text(let t):
            var reviews: [Review] = []
            var names = ["neg", "pos"]
            if t.usesLabelledReader(location: opener.location, perSplit: false) || PipelineRunner.classNames(dataDir: runDirectory + "/data").map({ $0 != names }) == true {
                (reviews, names) = try await labelledTexts(source: opener.location, spec: s, text: t, progress: progress)
            } else {
                for try await r in try opener.entries().aclImdbReviews(splits: [.test]) { reviews.append(r) }
            }
            if reviews.isEmpty {
                throw InputError("no test reviews in the source (expected aclImdb/test/{pos,neg}/ID_RATING.txt)", at: SourceLocation(file: source))
            }
            reviews.sort { ($0.label, $0.id) < ($1.label, $1.id) }
            let ds = EncodedDataset(reviews: reviews, vocabulary: try vocabulary, maxlen: t.maxlen ?? 500,
                                    padding: t.padding, truncating: t.truncating)
            let batch = spec.train?.batchSize ?? 128
            let oneHot = spec.train?.loss == .categorical_crossentropy || spec.train?.loss == .categorical_crossentropy_from_logits
            let logs = try await model.evaluate(data: oneHot ? OneHotBatches(base: ds.rows().batched(size: batch), classes: names.count) as BatchSequence
                                                             : ds.rows().batched(size: batch))
            var o: [String: JSONValue] = ["samples": .int(ds.count), "source": .string(source)]
            for k in logs.keys { o[k] = .number(logs[k]!) }
            let m = try await confusion(ds, classNames: names, batch: batch)
            o["class_names"] = .array(names.map { .string($0) })
            o["confusion_matrix"] = .array(m.counts.map { .array($0.map { .int($0) }) })
            o["per_class"] = m.json["per_class"]
            return .object(o)
        case .timeseries(let t):
            let (values, rows, n) = try await readCSV(source, t)
            guard let target = n.columns.firstIndex(of: t.target) else { throw InputError("target column missing", value: t.target) }
            let batch = spec.train?.batchSize ?? 128
            let w = try windows()
            let gen = try BookGenerator(data: values, features: n.columns.count, lookback: w.lookback, delay: w.delay,
                                        minIndex: 0, maxIndex: nil, batchSize: batch, step: w.step, targetColumn: target)
            let steps = gen.stepsPerPass
            guard steps > 0 else { throw InputError("the CSV has \(rows) rows: not one full batch of windows", at: SourceLocation(file: source)) }
            let logs = try await model.evaluate(data: gen.batches(epoch: 0, steps: steps))
            var o: [String: JSONValue] = ["windows": .int(steps * batch), "source": .string(source)]
            for k in logs.keys { o[k] = .number(logs[k]!) }
            // In the target's units (TargetUnit); the older `_celsius` keys only when that is °C.
            let unit = TargetUnit.resolve(column: t.target, explicit: t.targetUnit)
            let suffix = TargetUnit.celsiusKeyApplies(unit) ? "_celsius" : "_in_unit"
            o["target_unit"] = unit.map { .string($0) } ?? .null
            if let mae = logs["mae"] ?? logs["loss"] { o["mae" + suffix] = .number(mae * n.std[target]) }
            // The book's yardstick on the same file: "the target in `delay` rows equals the
            // target now", over every window (normalised units, then the target's units).
            let baseline = NaiveBaseline.allWindowsMAE(gen)
            o["baseline_mae"] = .number(baseline)
            o["baseline_mae" + suffix] = .number(baseline * n.std[target])
            return .object(o)
        }
    }

    /// One line for the terminal.
    public static func describe(_ v: JSONValue) -> String {
        guard case .object(let o) = v else { return v.text }
        return o.keys.sorted().map { k in
            let s = o[k]!
            if let d = s.double, !s.isIntegerNumber { return "\(k): \(String(format: "%.4f", d))" }
            return "\(k): \(s.string ?? s.text)"
        }.joined(separator: ", ")
    }
}
