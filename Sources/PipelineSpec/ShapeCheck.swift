import PipelineCore

/// Static shape inference over a ``ModelSpec`` with Keras' rules, so that `pipeline validate`
/// catches a model whose layers do not chain before any data is read or weight allocated.
///
/// Shapes exclude the batch dimension. The error names both layers: the one that cannot take
/// the shape and the one (or the data) that produced it.
extension PipelineSpec {
    /// The model's input shape for this task: `[maxlen]` token ids, or `[lookback / step, features]`.
    public func inputShape(features: Int? = nil) -> [Int] {
        switch task {
        case .text(let t): return [t.maxlen ?? 500]
        case .timeseries(let t):
            let f = features ?? t.columns?.count ?? 14
            return [t.timesteps ?? (t.lookback + t.step - 1) / t.step, f]
        }
    }

    func validateShapes(origin: SpecOrigin) throws {
        guard let model else { return }
        var shape = inputShape()
        var producer = text != nil ? "the padded token ids (text.maxlen)" : "the timeseries windows (lookback / step, features)"
        for (i, layer) in model.layers.enumerated() {
            let here = "model.\(i) (\(layer.typeName))"
            func fail(_ why: String) -> InputError {
                InputError("\(here) cannot take input \(PipelineSpec.keras(shape)) from \(producer): \(why)",
                           at: layer.location, field: "model.\(i)")
            }
            switch layer.kind {
            case let .embedding(inputDim, outputDim):
                guard shape.count == 1 else { throw fail("Embedding needs (None, timesteps) token ids") }
                if let inputDim, let text, inputDim < text.numWords {
                    throw InputError("\(here): input_dim \(inputDim) is smaller than text.num_words \(text.numWords), so token ids would fall outside the table",
                                     at: layer.location, field: "model.\(i).embedding.input_dim", value: String(inputDim))
                }
                if timeseries != nil && inputDim == nil {
                    throw InputError("\(here): input_dim is required outside the text task", at: layer.location, field: "model.\(i).embedding.input_dim")
                }
                shape = shape + [outputDim]
            case let .recurrent(r):
                guard shape.count == 2 else { throw fail("a recurrent layer needs (None, timesteps, features); stack recurrent layers with return_sequences: true") }
                shape = r.returnSequences ? [shape[0], r.units] : [r.units]
            case let .bidirectional(r, mode):
                guard shape.count == 2 else { throw fail("a recurrent layer needs (None, timesteps, features)") }
                let u = mode == .concat ? 2 * r.units : r.units
                shape = r.returnSequences ? [shape[0], u] : [u]
            case let .dense(units, _):
                guard !shape.isEmpty else { throw fail("Dense needs at least one feature axis") }
                shape = shape.dropLast() + [units]
            case let .conv1d(filters, k, s, padding, _):
                guard shape.count == 2 else { throw fail("Conv1D needs (None, steps, channels)") }
                let t = padding == .same ? (shape[0] + s - 1) / s : (shape[0] - k) / s + 1
                guard t >= 1, padding == .same || shape[0] >= k else { throw fail("kernel_size \(k) is longer than the \(shape[0]) steps") }
                shape = [t, filters]
            case let .maxPooling1d(p, s):
                guard shape.count == 2 else { throw fail("MaxPooling1D needs (None, steps, channels)") }
                let stride = s ?? p
                guard shape[0] >= p else { throw fail("pool_size \(p) is longer than the \(shape[0]) steps") }
                shape = [(shape[0] - p) / stride + 1, shape[1]]
            case .globalMaxPooling1d:
                guard shape.count == 2 else { throw fail("GlobalMaxPooling1D needs (None, steps, channels)") }
                shape = [shape[1]]
            case .flatten:
                shape = [shape.reduce(1, *)]
            case .dropout:
                break
            }
            producer = "\(here), which outputs \(PipelineSpec.keras(shape))"
        }
        if let train {
            try validateOutput(shape, loss: train.loss, model: model)
        }
    }

    /// The last layer against the loss: a categorical loss needs `(None, C)` from a last `dense`
    /// with `units` = C ≥ 2 and `softmax` (linear with `_from_logits`); every other loss needs
    /// `(None, 1)`. Softmax over one unit (always 1.0) is rejected whatever the loss.
    /// Throws ``InputError`` naming the layer (`model.N`) and its line.
    func validateOutput(_ shape: [Int], loss: TrainSpec.Loss, model: ModelSpec) throws {
        let i = model.layers.count - 1
        guard i >= 0 else { return }
        let layer = model.layers[i], here = "model.\(i) (\(layer.typeName))"
        func fail(_ why: String, field: String? = nil) -> InputError {
            InputError("\(here): \(why)", at: layer.location, field: field ?? "model.\(i)")
        }
        if case let .dense(units, activation) = layer.kind, units == 1, activation.rawValue == "softmax" {
            throw fail("softmax over 1 unit always outputs 1.0, so nothing can be learned; use activation: sigmoid with binary_crossentropy, or units: <classes> with sparse_categorical_crossentropy",
                       field: "model.\(i).dense.activation")
        }
        if loss.isCategorical {
            let want = loss.fromLogits ? "linear" : "softmax"
            guard case let .dense(units, activation) = layer.kind, shape.count == 1 else {
                throw fail("\(loss.rawValue) needs the model to end with dense: {units: <number of classes>, activation: \(want)}, but it outputs \(PipelineSpec.keras(shape))")
            }
            guard units >= 2 else {
                throw fail("units: \(units), but \(loss.rawValue) needs one unit per class (at least 2); for two classes with one unit use binary_crossentropy",
                           field: "model.\(i).dense.units")
            }
            guard activation.rawValue == want else {
                let other = loss.fromLogits ? String(loss.rawValue.dropLast("_from_logits".count)) : loss.rawValue + "_from_logits"
                throw fail("activation: \(activation.rawValue), but \(loss.rawValue) needs activation: \(want) (or loss: \(other) with activation: \(want == "softmax" ? "linear" : "softmax"))",
                           field: "model.\(i).dense.activation")
            }
            return
        }
        if case let .dense(units, _) = layer.kind, units > 1, shape.count == 1 {
            let hint = loss == .mse || loss == .mae ? "" : "; for \(units) classes use loss: sparse_categorical_crossentropy with activation: softmax"
            throw fail("units: \(units), so the model outputs \(PipelineSpec.keras(shape)), but \(loss.rawValue) needs (None, 1), one value per sample (units: 1)\(hint)", field: "model.\(i).dense.units")
        }
        guard shape == [1] else {
            throw InputError("the model outputs \(PipelineSpec.keras(shape)) but \(loss.rawValue) needs (None, 1): end with dense: {units: 1} after a layer that returns one vector per sample",
                             at: layer.location, field: "model.\(i)")
        }
    }

    /// Checks the number of classes found in the data against the model: with a categorical loss
    /// the last `dense` must have exactly `classes` units (≥ 2). For the data stages, once the class
    /// names are known. Throws ``InputError`` naming the layer.
    public func validateClassCount(_ classes: Int) throws {
        guard let model, let train, train.loss.isCategorical, let i = model.layers.indices.last,
              case let .dense(units, _) = model.layers[i].kind else { return }
        guard classes >= 2 else {
            throw InputError("the data has \(classes) class\(classes == 1 ? "" : "es"), but \(train.loss.rawValue) needs at least 2",
                             at: model.layers[i].location, field: "model.\(i)", hint: "check the label column or class_names")
        }
        guard units == classes else {
            throw InputError("model.\(i) (\(model.layers[i].typeName)): units: \(units), but the data has \(classes) classes",
                             at: model.layers[i].location, field: "model.\(i).dense.units", value: String(units),
                             hint: "set units: \(classes)")
        }
    }

    /// Keras' shape notation: `(None, 500, 32)`.
    public static func keras(_ shape: [Int]) -> String {
        "(None" + shape.map { ", \($0)" }.joined() + ")"
    }
}
