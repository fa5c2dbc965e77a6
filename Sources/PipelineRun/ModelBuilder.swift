import PipelineCore
import PipelineSpec
import PipelineTraining

/// Turns a ``ModelSpec`` and ``TrainSpec`` into a compiled `Sequential` model (Keras' defaults).
///
/// `build(spec:inputShape:)` creates the layers in order, builds them for the task's input shape
/// with weights drawn from the run seed, and compiles the optimizer, loss and metrics. Layer names
/// are assigned as Keras does (`simple_rnn`, `simple_rnn_1`, …). Fails with ``InputError`` when
/// shapes do not chain (after the static check in ``PipelineSpec``, this only happens for shapes
/// known from the data, such as the number of CSV columns).
public enum ModelBuilder {
    public static func layers(_ model: ModelSpec, vocabularySize: Int?) -> [any Layer] {
        model.layers.map { layer(for: $0.kind, vocabularySize: vocabularySize) }
    }

    static func recurrent(_ r: LayerSpec.Recurrent) -> RecurrentLayer {
        switch r.kind {
        case .simple_rnn:
            return SimpleRNN(units: r.units, activation: r.activation, dropout: Float(r.dropout),
                             recurrentDropout: Float(r.recurrentDropout), returnSequences: r.returnSequences,
                             goBackwards: r.goBackwards, name: "")
        case .lstm:
            return LSTM(units: r.units, activation: r.activation, recurrentActivation: r.recurrentActivation,
                        unitForgetBias: r.unitForgetBias, dropout: Float(r.dropout), recurrentDropout: Float(r.recurrentDropout),
                        returnSequences: r.returnSequences, goBackwards: r.goBackwards, name: "")
        case .gru:
            return GRU(units: r.units, activation: r.activation, recurrentActivation: r.recurrentActivation,
                       dropout: Float(r.dropout), recurrentDropout: Float(r.recurrentDropout),
                       returnSequences: r.returnSequences, goBackwards: r.goBackwards, resetAfter: r.resetAfter, name: "")
        }
    }

    static func layer(for kind: LayerSpec.Kind, vocabularySize: Int?) -> any Layer {
        switch kind {
        case let .embedding(inputDim, outputDim):
            return Embedding(inputDim: inputDim ?? vocabularySize ?? 10_000, outputDim: outputDim)
        case let .recurrent(r):
            return recurrent(r)
        case let .bidirectional(r, mode):
            return Bidirectional(recurrent(r), mergeMode: mode, name: "")
        case let .dense(units, a):
            return Dense(units: units, activation: a)
        case let .conv1d(filters, k, s, p, a):
            return Conv1D(filters: filters, kernelSize: k, strides: s, padding: p, activation: a)
        case let .maxPooling1d(p, s):
            return MaxPooling1D(poolSize: p, strides: s)
        case .globalMaxPooling1d:
            return GlobalMaxPooling1D()
        case .flatten:
            return Flatten()
        case let .dropout(rate):
            return Dropout(rate: Float(rate))
        }
    }

    public static func optimizer(_ o: TrainSpec.Optimizer) -> any Optimizer {
        let clip: GradientClipping = o.clipnorm.map { .clipnorm(Float($0)) } ?? .none
        switch o.name {
        case .rmsprop:
            return RMSprop(learningRate: Float(o.learningRate), rho: o.rho, momentum: o.momentum, epsilon: o.epsilon,
                           centered: o.centered, clipping: clip)
        case .adam:
            return Adam(learningRate: Float(o.learningRate), beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, clipping: clip)
        case .sgd:
            return SGD(learningRate: Float(o.learningRate), momentum: o.momentum, clipping: clip)
        }
    }

    /// A built and compiled model for `spec` with the given input shape (no batch dimension).
    public static func build(spec: PipelineSpec, inputShape: [Int], vocabularySize: Int? = nil) throws -> Sequential {
        guard let modelSpec = spec.model, let train = spec.train else {
            throw InputError("the spec has no model", at: SourceLocation(file: spec.file), field: "model")
        }
        let model = Sequential(layers(modelSpec, vocabularySize: vocabularySize), name: spec.name)
        try model.build(inputShape: inputShape, seed: spec.seed)
        let loss: Loss = switch train.loss {
        case .binary_crossentropy: .binaryCrossentropy(fromLogits: false)
        case .binary_crossentropy_from_logits: .binaryCrossentropy(fromLogits: true)
        case .mse: .meanSquaredError
        case .mae: .meanAbsoluteError
        case .sparse_categorical_crossentropy: .sparseCategoricalCrossentropy(fromLogits: false)
        case .sparse_categorical_crossentropy_from_logits: .sparseCategoricalCrossentropy(fromLogits: true)
        case .categorical_crossentropy: .categoricalCrossentropy(fromLogits: false)
        case .categorical_crossentropy_from_logits: .categoricalCrossentropy(fromLogits: true)
        }
        model.compile(optimizer: optimizer(train.optimizer), loss: loss,
                      metrics: try train.metrics.map { try Metric(keras: $0.rawValue, for: loss) })
        return model
    }
}
