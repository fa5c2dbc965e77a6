import PipelineCore

extension Loss {
    /// Checks one batch's targets against the model's predictions before the loss runs, so that
    /// a bad label is an error that names it rather than a trap, a NaN or a silently wrong loss.
    ///
    /// ```swift
    /// try loss.validateTargets(batch.y, shape: batch.yShape, prediction: y, sampleOffset: batch.sampleOffset)
    /// ```
    ///
    /// Rules: the number of target values must be ``targetCount(for:)`` (`sparse_categorical_crossentropy`:
    /// one class id per row, so `[B]` or `[B, 1]` for `[B, C]` predictions; every other loss: the
    /// prediction's size, e.g. one-hot `[B, C]`). Sparse class ids must be integers in `[0, C)`.
    /// Categorical targets must be finite (soft labels are allowed, as in Keras).
    /// Cost: one pass over the targets (categorical losses only; others check the size).
    /// Throws ``InputError`` naming the sample (`sampleOffset` + its row in the batch, 0-based, in
    /// the epoch's order), the value and the number of classes.
    public func validateTargets(_ target: [Float], shape: [Int], prediction: Tensor, sampleOffset: Int = 0) throws {
        let expected = targetCount(for: prediction)
        guard target.count == expected else {
            let what = isSparse ? "one class id per sample (\(expected) values)" : "\(expected) values"
            throw InputError("batch targets of shape \(shape) do not match the model output \(prediction.shape): \(name) needs \(what)",
                             hint: isCategorical ? "sparse_categorical_crossentropy takes class ids [B] or [B, 1]; categorical_crossentropy takes one-hot rows [B, C]"
                                                 : "the last layer's units must match the targets")
        }
        guard isCategorical else { return }
        let classes = prediction.shape.last ?? 1
        let batch = max(shape.first ?? 1, 1), perSample = max(expected / batch, 1)
        let width = isSparse ? 1 : classes
        for (i, v) in target.enumerated() {
            let sample = sampleOffset + (i / width) / perSample
            if isSparse {
                guard v >= 0, v < Float(classes), v == v.rounded(.down) else {
                    throw InputError("\(name): sample \(sample) has label \(v), but the model outputs \(classes) classes; labels must be integer class ids in 0..<\(classes)",
                                     field: "labels", value: "\(v)",
                                     hint: v >= Float(classes) && v < 1e9 && v == v.rounded(.down) ? "set the last Dense's units to the number of classes (at least \(Int(v) + 1))"
                                                                             : "check the label column: class ids are 0, 1, …, \(classes - 1)")
                }
            } else if !v.isFinite {
                throw InputError("\(name): sample \(sample) has a non-finite target \(v) for class \(i % classes)",
                                 field: "labels", value: "\(v)", hint: "categorical targets are one-hot rows of \(classes) values")
            }
        }
    }

    var isSparse: Bool {
        if case .sparseCategoricalCrossentropy = self { return true }
        return false
    }
}
