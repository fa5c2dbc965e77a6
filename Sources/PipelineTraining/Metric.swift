import PipelineCore

/// A metric reported per epoch, named exactly as it was asked for (Keras 3 keeps the
/// identifier: `metrics=['acc']` logs `acc` and `val_acc`, `['accuracy']` logs `accuracy`).
///
/// ```swift
/// let metrics = try ["acc", "mae"].map(Metric.init(keras:))
/// ```
///
/// Kinds: `binary_accuracy` → binary accuracy (prediction `> 0.5` compared with the target, as
/// Keras' `BinaryAccuracy`, which thresholds raw outputs even for logits);
/// `sparse_categorical_accuracy` → the row's argmax equals the class id (`[B]` or `[B, 1]` targets);
/// `categorical_accuracy` → the row's argmax equals the argmax of the one-hot target row (ties:
/// the first maximum, as `tf.argmax`; logits work as well as probabilities);
/// `mae`, `mean_absolute_error` → mean |p − t|; `mse`, `mean_squared_error` → mean (p − t)².
/// `acc` / `accuracy` are resolved from the loss by ``init(keras:for:)``: sparse categorical
/// crossentropy → sparse categorical accuracy, categorical crossentropy → categorical accuracy,
/// anything else → binary accuracy (Keras 3 decides from the shapes, which gives the same kind for
/// every output shape the spec's shape check allows); ``init(keras:)`` alone takes binary.
/// Accumulation as Keras' `MeanMetricWrapper`: each sample's value is the mean over the last axis
/// (the accuracies: one value per row of classes), and the epoch value is the mean over all samples
/// seen (so batches weigh by their size). A class id outside `[0, C)` counts as a miss (the trainer
/// rejects it earlier, ``Loss/validateTargets(_:shape:prediction:sampleOffset:)``).
/// Cost: one pass per batch. `init(keras:)` throws ``InputError`` for an unknown name.
public struct Metric: Sendable, Equatable, Codable {
    /// What is measured (several Keras names map to one kind).
    public enum Kind: String, Sendable, Codable {
        case binaryAccuracy, sparseCategoricalAccuracy, categoricalAccuracy, meanAbsoluteError, meanSquaredError
    }
    public let name: String
    public let kind: Kind

    public init(keras name: String) throws {
        try self.init(keras: name, for: .binaryCrossentropy())
    }

    /// The metric named `name`, with `acc` / `accuracy` resolved from `loss` as Keras does.
    public init(keras name: String, for loss: Loss) throws {
        switch name {
        case "acc", "accuracy":
            switch loss {
            case .sparseCategoricalCrossentropy: kind = .sparseCategoricalAccuracy
            case .categoricalCrossentropy: kind = .categoricalAccuracy
            default: kind = .binaryAccuracy
            }
        case "binary_accuracy": kind = .binaryAccuracy
        case "sparse_categorical_accuracy": kind = .sparseCategoricalAccuracy
        case "categorical_accuracy": kind = .categoricalAccuracy
        case "mae", "mean_absolute_error": kind = .meanAbsoluteError
        case "mse", "mean_squared_error": kind = .meanSquaredError
        default:
            throw InputError("unknown metric", field: "metrics", value: name,
                             hint: "use acc (accuracy), binary_accuracy, sparse_categorical_accuracy, categorical_accuracy, mae or mse")
        }
        self.name = name
    }

    /// The sum of the per-sample values over the batch and the number of samples.
    public func accumulate(prediction: Tensor, target: [Float]) -> (sum: Double, count: Int) {
        let width = max(prediction.shape.last ?? 1, 1), n = prediction.count
        if kind == .sparseCategoricalAccuracy || kind == .categoricalAccuracy {
            let rows = n / width
            let sparse = kind == .sparseCategoricalAccuracy
            precondition(target.count == (sparse ? rows : n), "metric '\(name)': prediction \(prediction.shape) and target (\(target.count) values) differ in size")
            var hits = 0
            prediction.data.withUnsafeBufferPointer { pb in
                target.withUnsafeBufferPointer { tb in
                    for r in 0..<rows {
                        let predicted = Self.argmax(pb.baseAddress! + r * width, width)
                        let expected = sparse ? (Int(exactly: tb[r]) ?? -1) : Self.argmax(tb.baseAddress! + r * width, width)
                        if predicted == expected { hits += 1 }
                    }
                }
            }
            return (Double(hits), rows)
        }
        precondition(prediction.count == target.count, "metric '\(name)': prediction and target differ in size")
        var total: Double = 0
        for i in 0..<n {
            let p = prediction.data[i], t = target[i]
            switch kind {
            case .binaryAccuracy: total += ((p > 0.5 ? 1 : 0) == t) ? 1 : 0
            case .meanAbsoluteError: total += Double(abs(p - t))
            case .meanSquaredError: total += Double((p - t) * (p - t))
            case .sparseCategoricalAccuracy, .categoricalAccuracy: break
            }
        }
        return (total / Double(width), n / width)
    }

    /// The index of the first maximum of `count` values (NaN never wins, as in `tf.argmax` on
    /// finite rows); 0 for an all-NaN row.
    static func argmax(_ v: UnsafePointer<Float>, _ count: Int) -> Int {
        var best = 0
        for j in 1..<max(count, 1) where v[j] > v[best] || v[best].isNaN { best = j }
        return best
    }
}
