#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PipelineCore

/// A training loss with Keras' semantics and names.
///
/// ```swift
/// let loss = try Loss(keras: "binary_crossentropy")          // or .binaryCrossentropy()
/// let (value, dPred) = loss.evaluate(prediction: yPred, target: batch.y)
/// ```
///
/// Semantics, per element with prediction `p` and target `t` (Keras 3, float32):
/// - `binaryCrossentropy(fromLogits: false)`: `p` is clipped to `[ε, 1−ε]` (ε = 1e-7), then
///   `−(t·log p + (1−t)·log(1−p))`; the gradient is zero where `p` was clipped.
/// - `binaryCrossentropy(fromLogits: true)`: `max(p,0) − p·t + log(1 + e^−|p|)`, gradient `σ(p) − t`.
/// - `meanSquaredError` `(p−t)²`; `meanAbsoluteError` `|p−t|` (gradient 0 at 0).
/// - `sparseCategoricalCrossentropy` / `categoricalCrossentropy`: several classes on the last
///   axis (`C`), integer class ids or one-hot rows as targets; see `LossCategorical.swift`.
/// Reduction as Keras' `sum_over_batch_size`: the element-wise losses are averaged over the last
/// axis, then over the batch, which is the mean over all elements; the categorical losses sum
/// over the classes and average over the rows. Cost: one pass; the sum runs in `Double`.
/// `init(keras:)` throws ``InputError`` for an unknown name. ``evaluate(prediction:target:)``
/// expects targets that passed ``validateTargets(_:shape:prediction:sampleOffset:)`` (the
/// trainer checks each batch first); a size mismatch there is a programming error (trap).
public enum Loss: Sendable, Equatable, Codable {
    case binaryCrossentropy(fromLogits: Bool = false)
    case meanSquaredError
    case meanAbsoluteError
    /// Integer class ids in `[0, C)` (one per row, stored as `Float`) against `C` probabilities
    /// (or logits) per row: Keras' `sparse_categorical_crossentropy`.
    case sparseCategoricalCrossentropy(fromLogits: Bool = false)
    /// One-hot (or any distribution) rows of `C` values against `C` probabilities (or logits):
    /// Keras' `categorical_crossentropy`.
    case categoricalCrossentropy(fromLogits: Bool = false)

    /// Keras' clipping epsilon (`keras.config.epsilon()`).
    public static let epsilon: Float = 1e-7

    public init(keras name: String, fromLogits: Bool = false) throws {
        switch name {
        case "binary_crossentropy", "bce": self = .binaryCrossentropy(fromLogits: fromLogits)
        case "mse", "mean_squared_error": self = .meanSquaredError
        case "mae", "mean_absolute_error": self = .meanAbsoluteError
        case "sparse_categorical_crossentropy": self = .sparseCategoricalCrossentropy(fromLogits: fromLogits)
        case "categorical_crossentropy": self = .categoricalCrossentropy(fromLogits: fromLogits)
        default:
            throw InputError("unknown loss", field: "loss", value: name,
                             hint: "use binary_crossentropy, sparse_categorical_crossentropy, categorical_crossentropy, mse (mean_squared_error) or mae (mean_absolute_error)")
        }
    }

    /// Keras' name of the loss, as in `model.json`.
    public var name: String {
        switch self {
        case .binaryCrossentropy: "binary_crossentropy"
        case .meanSquaredError: "mean_squared_error"
        case .meanAbsoluteError: "mean_absolute_error"
        case .sparseCategoricalCrossentropy: "sparse_categorical_crossentropy"
        case .categoricalCrossentropy: "categorical_crossentropy"
        }
    }

    /// Whether the predictions are taken as logits (Keras' `from_logits`); false for mse/mae.
    public var fromLogits: Bool {
        switch self {
        case .binaryCrossentropy(let l), .sparseCategoricalCrossentropy(let l), .categoricalCrossentropy(let l): l
        case .meanSquaredError, .meanAbsoluteError: false
        }
    }

    /// Whether the loss reads several classes on the last axis (softmax outputs, class ids).
    public var isCategorical: Bool {
        switch self {
        case .sparseCategoricalCrossentropy, .categoricalCrossentropy: true
        default: false
        }
    }

    /// How many target values one prediction of `prediction.count` values needs: a class id
    /// per row for the sparse loss, as many as the predictions otherwise.
    public func targetCount(for prediction: Tensor) -> Int {
        guard case .sparseCategoricalCrossentropy = self else { return prediction.count }
        let c = prediction.shape.last ?? 1
        return c > 0 ? prediction.count / c : 0
    }

    /// The mean loss over the batch and dL/dprediction (same shape as `prediction`).
    public func evaluate(prediction: Tensor, target: [Float]) -> (loss: Float, gradient: Tensor) {
        precondition(targetCount(for: prediction) == target.count,
                     "loss: prediction \(prediction.shape) and target (\(target.count) values) differ in size")
        switch self {
        case .sparseCategoricalCrossentropy(let logits): return Self.sparseCategorical(prediction, target, fromLogits: logits)
        case .categoricalCrossentropy(let logits): return Self.categorical(prediction, target, fromLogits: logits)
        default: break
        }
        let n = prediction.count
        var grad = Tensor(shape: prediction.shape)
        var sum: Double = 0
        let invN = 1 / Float(max(n, 1))
        prediction.data.withUnsafeBufferPointer { pb in
            target.withUnsafeBufferPointer { tb in
                grad.data.withUnsafeMutableBufferPointer { gb in
                    switch self {
                    case .binaryCrossentropy(fromLogits: false):
                        let eps = Loss.epsilon, hi = 1 - eps
                        for i in 0..<n {
                            let t = tb[i], raw = pb[i], p = min(max(raw, eps), hi)
                            sum += Double(-(t * logf(p) + (1 - t) * logf(1 - p)))
                            gb[i] = (raw >= eps && raw <= hi) ? (-(t / p) + (1 - t) / (1 - p)) * invN : 0
                        }
                    case .binaryCrossentropy(fromLogits: true):
                        for i in 0..<n {
                            let x = pb[i], t = tb[i]
                            sum += Double(max(x, 0) - x * t + log1pf(expf(-abs(x))))
                            gb[i] = (1 / (1 + expf(-x)) - t) * invN
                        }
                    case .meanSquaredError:
                        for i in 0..<n { let d = pb[i] - tb[i]; sum += Double(d * d); gb[i] = 2 * d * invN }
                    case .meanAbsoluteError:
                        for i in 0..<n {
                            let d = pb[i] - tb[i]; sum += Double(abs(d))
                            gb[i] = (d > 0 ? 1 : d < 0 ? -1 : 0) * invN
                        }
                    case .sparseCategoricalCrossentropy, .categoricalCrossentropy:
                        preconditionFailure("handled above")
                    }
                }
            }
        }
        return (Float(sum / Double(max(n, 1))), grad)
    }
}
