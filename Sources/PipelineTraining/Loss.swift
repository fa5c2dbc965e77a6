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
/// Reduction as Keras' `sum_over_batch_size`: the mean over the last axis, then over the batch,
/// which is the mean over all elements. Cost: one pass; the sum runs in `Double`.
/// `init(keras:)` throws ``InputError`` for an unknown name.
public enum Loss: Sendable, Equatable, Codable {
    case binaryCrossentropy(fromLogits: Bool = false)
    case meanSquaredError
    case meanAbsoluteError

    /// Keras' clipping epsilon (`keras.config.epsilon()`).
    public static let epsilon: Float = 1e-7

    public init(keras name: String, fromLogits: Bool = false) throws {
        switch name {
        case "binary_crossentropy", "bce": self = .binaryCrossentropy(fromLogits: fromLogits)
        case "mse", "mean_squared_error": self = .meanSquaredError
        case "mae", "mean_absolute_error": self = .meanAbsoluteError
        default:
            throw InputError("unknown loss", field: "loss", value: name,
                             hint: "use binary_crossentropy, mse (mean_squared_error) or mae (mean_absolute_error)")
        }
    }

    /// Keras' name of the loss, as in `model.json`.
    public var name: String {
        switch self {
        case .binaryCrossentropy: "binary_crossentropy"
        case .meanSquaredError: "mean_squared_error"
        case .meanAbsoluteError: "mean_absolute_error"
        }
    }

    /// The mean loss over the batch and dL/dprediction (same shape as `prediction`).
    public func evaluate(prediction: Tensor, target: [Float]) -> (loss: Float, gradient: Tensor) {
        precondition(prediction.count == target.count,
                     "loss: prediction \(prediction.shape) and target (\(target.count) values) differ in size")
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
                    }
                }
            }
        }
        return (Float(sum / Double(max(n, 1))), grad)
    }
}
