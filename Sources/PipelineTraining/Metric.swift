import PipelineCore

/// A metric reported per epoch, named exactly as it was asked for (Keras 3 keeps the
/// identifier: `metrics=['acc']` logs `acc` and `val_acc`, `['accuracy']` logs `accuracy`).
///
/// ```swift
/// let metrics = try ["acc", "mae"].map(Metric.init(keras:))
/// ```
///
/// Kinds: `acc`, `accuracy`, `binary_accuracy` → binary accuracy (prediction `> 0.5` compared with
/// the target, as Keras' `BinaryAccuracy`, which thresholds raw outputs even for logits);
/// `mae`, `mean_absolute_error` → mean |p − t|; `mse`, `mean_squared_error` → mean (p − t)².
/// Accumulation as Keras' `MeanMetricWrapper`: each sample's value is the mean over the last axis,
/// and the epoch value is the mean over all samples seen (so batches weigh by their size).
/// Cost: one pass per batch. `init(keras:)` throws ``InputError`` for an unknown name.
public struct Metric: Sendable, Equatable, Codable {
    /// What is measured (several Keras names map to one kind).
    public enum Kind: String, Sendable, Codable { case binaryAccuracy, meanAbsoluteError, meanSquaredError }
    public let name: String
    public let kind: Kind

    public init(keras name: String) throws {
        switch name {
        case "acc", "accuracy", "binary_accuracy": kind = .binaryAccuracy
        case "mae", "mean_absolute_error": kind = .meanAbsoluteError
        case "mse", "mean_squared_error": kind = .meanSquaredError
        default:
            throw InputError("unknown metric", field: "metrics", value: name,
                             hint: "use acc (accuracy, binary_accuracy), mae or mse")
        }
        self.name = name
    }

    /// The sum of the per-sample values over the batch and the number of samples.
    public func accumulate(prediction: Tensor, target: [Float]) -> (sum: Double, count: Int) {
        precondition(prediction.count == target.count, "metric '\(name)': prediction and target differ in size")
        let width = max(prediction.shape.last ?? 1, 1), n = prediction.count
        var total: Double = 0
        for i in 0..<n {
            let p = prediction.data[i], t = target[i]
            switch kind {
            case .binaryAccuracy: total += ((p > 0.5 ? 1 : 0) == t) ? 1 : 0
            case .meanAbsoluteError: total += Double(abs(p - t))
            case .meanSquaredError: total += Double((p - t) * (p - t))
            }
        }
        return (total / Double(width), n / width)
    }
}
