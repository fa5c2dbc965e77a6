import PipelineCore

/// Training stopped because the loss or a gradient became NaN or infinite.
///
/// ```
/// training diverged at epoch 3, step 17: loss is nan; first non-finite output: layer 'dense_1' (Dense)
/// (lower the learning rate, clip gradients with clipnorm, or check the input data)
/// ```
/// `epoch` and `step` are 1-based, as shown to people. `layer` names the first layer (in forward
/// order for outputs, backward order for gradients) whose values went non-finite; `nil` when
/// every layer output was finite (then the targets or the loss itself are at fault).
public struct NonFiniteError: Error, Sendable, CustomStringConvertible {
    /// Where the first non-finite value was found: the input batch, a layer output, only the
    /// loss (targets), or a parameter gradient.
    public enum Place: String, Sendable { case input, output, loss, gradient }
    public var epoch: Int
    public var step: Int
    public var loss: Float
    public var place: Place
    public var layer: String?

    public var description: String {
        var s = "training diverged at epoch \(epoch), step \(step): loss is \(loss)"
        switch place {
        case .input: s += "; the input batch holds NaN or infinite values"
        case .loss: s += "; every layer output is finite: the targets hold NaN/inf or the loss overflowed"
        case .output: s += "; first non-finite output: layer \(layer ?? "?")"
        case .gradient: s += "; first non-finite gradient (backward order): layer \(layer ?? "?")"
        }
        return s + " (lower the learning rate, clip gradients with clipnorm, or check the input data)"
    }
}

/// Every batch of an epoch was skipped under `on_non_finite: skip_batch`: nothing was learnt,
/// so the run is an error rather than a history of NaN means.
///
/// ```
/// every batch of epoch 1 was skipped (6 of 6 batches had a non-finite loss or gradient); the last:
/// training diverged at epoch 1, step 6: loss is inf; … (lower the learning rate, …)
/// ```
/// `epoch` is 1-based; `skipped` and `batches` count the epoch's training batches (they are
/// equal); `last` is the last skipped batch's diagnosis (nil only after a resume at the epoch's end).
public struct SkippedEpochError: Error, Sendable, CustomStringConvertible {
    public var epoch: Int
    public var skipped: Int
    public var batches: Int
    public var last: NonFiniteError?

    public var description: String {
        var s = "every batch of epoch \(epoch) was skipped (\(skipped) of \(batches) batches had a non-finite loss or gradient)"
        if let last { s += "; the last: \(last.description)" }
        else { s += " (lower the learning rate, clip gradients with clipnorm, or check the input data)" }
        return s
    }
}

/// Evaluation (validation after an epoch, a test set, `pipeline evaluate`) gave a NaN or
/// infinite loss or metric: the model's outputs are not finite on that data, so there is no
/// result to report.
///
/// ```
/// validation loss is nan after epoch 2: the model's outputs are not finite on the validation data
/// (the weights diverged: lower the learning rate, clip gradients with clipnorm, or check the input data)
/// ```
/// `epoch` is 1-based and set during `fit`; `split` names the data when known.
public struct NonFiniteEvaluationError: Error, Sendable, CustomStringConvertible {
    public var key: String
    public var value: Double
    public var epoch: Int?
    public var split: String?

    public init(key: String, value: Double, epoch: Int? = nil, split: String? = nil) {
        self.key = key; self.value = value; self.epoch = epoch; self.split = split
    }

    public var description: String {
        var s = (split.map { "\($0) " } ?? "evaluation ") + "\(key) is \(value)"
        if let epoch { s += " after epoch \(epoch)" }
        return s + ": the model's outputs are not finite on the \(split ?? "evaluation") data "
            + "(the weights diverged: lower the learning rate, clip gradients with clipnorm, or check the input data)"
    }
}

extension Sequential {
    /// Re-runs the forward pass of a step whose loss was not finite, layer by layer, with the
    /// same dropout masks (`start`: the step's context before its forward), and names the first
    /// layer whose output holds NaN or infinity.
    func diagnoseNonFiniteLoss(_ x: Tensor, context start: ForwardContext, loss: Float, epoch: Int, step: Int) -> NonFiniteError {
        var error = NonFiniteError(epoch: epoch + 1, step: step + 1, loss: loss, place: .loss, layer: nil)
        if !Self.allFinite(x.data) { error.place = .input; return error }
        var context = start
        var h = x
        for layer in layers {
            h = layer.forward(h, context: &context)
            if !Self.allFinite(h.data) { error.place = .output; error.layer = "'\(layer.name)' (\(layer.kind))"; break }
        }
        return error
    }

    /// The first layer, in backward order, with a parameter gradient holding NaN or infinity.
    func firstNonFiniteGradientLayer() -> (any Layer)? {
        for layer in layers.reversed() where layer.parameters.contains(where: { !Self.allFinite($0.grad.data) }) {
            return layer
        }
        return nil
    }

    /// True when no value is NaN or ±infinity (an exponent-bits test that vectorises).
    static func allFinite(_ values: [Float]) -> Bool {
        values.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: UInt32.self) { u in
                var worst: UInt32 = 0
                for bits in u { worst = Swift.max(worst, bits & 0x7F80_0000) }
                return worst != 0x7F80_0000
            }
        }
    }
}
