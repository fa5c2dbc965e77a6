/// The values logged at the end of one epoch, in the order they were logged
/// (`loss`, the metrics, then `val_loss` and the validation metrics).
///
/// ```swift
/// logs["val_loss"]                 // Double?
/// logs.description                 // "loss: 0.4012 - acc: 0.8231 - val_loss: 0.4410 - val_acc: 0.8050"
/// ```
public struct Logs: Sendable, Equatable, Codable, CustomStringConvertible {
    public private(set) var keys: [String] = []
    private var values: [String: Double] = [:]

    public init() {}

    public subscript(key: String) -> Double? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    /// The number of training batches skipped in the epoch, logged under `on_non_finite: skip_batch`.
    public static let skippedBatchesKey = "skipped_batches"
    /// Keys that hold counts, not means: shown as integers and not plotted.
    public static let countKeys: Set<String> = [skippedBatchesKey]

    public var description: String {
        keys.map { key in
            let v = values[key]!
            let text = Self.countKeys.contains(key) && v.isFinite ? String(Int(v)) : TrainingFormat.fixed(v, digits: 4)
            return "\(key): \(text)"
        }.joined(separator: " - ")
    }
}

/// What `fit` returns, as Keras' `History`: one value per epoch for every logged key.
///
/// ```swift
/// let history = try await model.fit(trainData: train, epochs: 10, validationData: val)
/// history["val_acc"]            // [0.81, 0.84, …]; keys exactly Keras': loss, acc, val_loss, val_acc, mae…
/// history.epochSeconds          // wall time of each epoch, validation included
/// ```
/// `epochs` holds the 0-based epoch indices (they start at `initialEpoch` when resuming).
public struct History: Sendable, Equatable, Codable {
    public private(set) var epochs: [Int] = []
    /// Keys in first-logged order.
    public private(set) var keys: [String] = []
    public private(set) var values: [String: [Double]] = [:]
    public private(set) var epochSeconds: [Double] = []

    public init() {}

    public subscript(key: String) -> [Double]? { values[key] }

    public mutating func append(epoch: Int, logs: Logs, seconds: Double) {
        epochs.append(epoch)
        epochSeconds.append(seconds)
        for key in logs.keys {
            if values[key] == nil { keys.append(key) }
            values[key, default: []].append(logs[key]!)
        }
    }
}
