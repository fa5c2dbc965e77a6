import Foundation
import PipelineCore
import PipelineSpec
import PipelineText
import PipelineTimeseries
import PipelineTraining

/// `pipeline evaluate RUN --split test|validation|train|all`: the run's own split of its own
/// prepared data, so the test part never has to be cut out of a file by hand.
///
/// ```swift
/// let p = try Prediction(runDirectory: "runs/jena-gru")
/// let r = try await p.evaluate(split: .test)      // {"split": "test", "windows": …, "mae_celsius": …, "baseline_mae": …}
/// ```
///
/// Semantics. Weather: every window whose target lies in the split's row range of
/// `data/windows.json` (`all`: the whole table), in order, batched as in training; results in
/// normalised units, in the target's units (``TargetUnit``), and the common-sense baseline on the
/// same windows. Text: `test` is the prepared test split (`data/x_test.npy`), `validation` and
/// `train` the two sides of `train.validation_split` of the training rows, `all` every training
/// row. Failures: ``InputError`` when the split holds no full batch, when the run has no test
/// data, or when there is no validation split; ``IOFailure`` for a missing prepared file.
/// Cost: one pass over the split.
extension Prediction {
    public enum Split: String, Sendable, CaseIterable { case train, validation, test, all }

    /// The run's `data/windows.json`: the window in rows as prepare resolved it.
    func windows() throws -> WeatherPreparation.Windows {
        try PipelineRunner.readWindows(runDirectory + "/data/windows.json")
    }

    public func evaluate(split: Split) async throws -> JSONValue {
        let dataDir = try PipelineRunner.preparedArrays(run: runDirectory)   // the cache entry data.json names, or RUN/data
        let batch = spec.train?.batchSize ?? 128
        switch spec.task {
        case .timeseries(let t):
            let (shape, values): ([Int], [Float]) = try NpyFile.read(dataDir + "/data.npy")
            let w = try windows()
            let range: WindowRanges.Range = switch split {
            case .train: w.ranges.train
            case .validation: w.ranges.validation
            case .test: w.ranges.test
            case .all: .init(minIndex: 0, maxIndex: nil)
            }
            let gen = try BookGenerator(data: values, features: shape[1], lookback: w.lookback, delay: w.delay,
                                        minIndex: range.minIndex, maxIndex: range.maxIndex, batchSize: batch, step: w.step,
                                        targetColumn: w.targetIndex)
            let steps = gen.stepsPerPass
            guard steps > 0 else {
                throw InputError("the \(split.rawValue) rows hold no full batch of \(batch) windows", at: SourceLocation(file: dataDir),
                                 field: "--split", value: split.rawValue)
            }
            let n = try Normalizer.load(from: dataDir + "/normalization.json")
            let logs = try await model.evaluate(data: gen.batches(epoch: 0, steps: steps))
            let unit = TargetUnit.resolve(column: t.target, explicit: t.targetUnit)
            let suffix = TargetUnit.celsiusKeyApplies(unit) ? "_celsius" : "_in_unit"
            var o: [String: JSONValue] = ["split": .string(split.rawValue), "windows": .int(steps * batch),
                                          "target_unit": unit.map { .string($0) } ?? .null]
            for k in logs.keys { o[k] = .number(logs[k]!) }
            if let mae = logs["mae"] ?? logs["loss"] { o["mae" + suffix] = .number(mae * n.std[w.targetIndex]) }
            let baseline = NaiveBaseline.allWindowsMAE(gen)
            o["baseline_mae"] = .number(baseline)
            o["baseline_mae" + suffix] = .number(baseline * n.std[w.targetIndex])
            return .object(o)
        case .text:
            let data: EncodedDataset
            var rows: Range<Int>
            if split == .test {
                guard try EncodedDataset.hasSplit(directory: dataDir, split: .test) else {
                    throw InputError("the run prepared no test split", at: SourceLocation(file: dataDir), field: "--split", value: "test",
                                     hint: "evaluate --source PATH on held-out data instead")
                }
                data = try EncodedDataset.load(directory: dataDir, split: .test)
                rows = 0..<data.count
            } else {
                data = try EncodedDataset.load(directory: dataDir, split: .train)
                rows = 0..<data.count
                if split != .all {
                    guard let f = spec.train?.validationSplit else {
                        throw InputError("the run has no validation split (train.validation_split)", field: "--split", value: split.rawValue)
                    }
                    let s = PipelineCore.Split.lastFraction(count: data.count, fraction: f)
                    rows = split == .train ? s.train : s.validation
                }
            }
            let logs = try await model.evaluate(data: data.rows(rows).batched(size: batch))
            var o: [String: JSONValue] = ["split": .string(split.rawValue), "samples": .int(rows.count)]
            for k in logs.keys { o[k] = .number(logs[k]!) }
            return .object(o)
        }
    }
}
