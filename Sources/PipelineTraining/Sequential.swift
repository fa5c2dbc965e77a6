import PipelineCore

/// A linear stack of layers, as Keras' `Sequential`: shapes inferred at ``build(inputShape:seed:)``,
/// forward and backward run over the layer list.
///
/// ```swift
/// let model = Sequential([Embedding(inputDim: 10_000, outputDim: 32), GlobalMaxPooling1D(),
///                         Dense(units: 1, activation: .sigmoid)])
/// try model.build(inputShape: [500], seed: 42)          // no batch dimension, as keras.Input
/// print(model.summary())                                 // Keras' table; 320,033 params
/// model.compile(optimizer: RMSprop(), loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
/// let history = try await model.fit(trainData: { epoch in batches(epoch) }, epochs: 10)
/// ```
///
/// Semantics: unnamed layers get Keras' names at build (`dense`, `dense_1`, `simple_rnn`, …:
/// the snake-cased class name, numbered from the second one on). Each layer's weights come from
/// its own stream `SeededRandom(seed:, stage: "init/<layer name>")`, so the same seed gives the
/// same weights and adding a layer does not change the others'. `backward` stops at the first
/// layer with parameters: nothing before it needs a gradient (and that layer skips dL/dx when
/// it can, see ``InputGradientOptional``). Not thread-safe: one training loop owns a model.
/// Failures: ``build(inputShape:seed:)`` throws ``InputError`` naming both layers when one's
/// output does not fit the next one's input, or when two layers share a name.
public final class Sequential {
    public var name: String
    public private(set) var layers: [any Layer]
    /// The input shape without batch, set by `build`.
    public private(set) var inputShape: [Int]?
    /// Each layer's output shape without batch, set by `build`.
    public private(set) var outputShapes: [[Int]] = []
    /// The run seed: weights at build, dropout streams in training (restored with a checkpoint).
    public internal(set) var seed: UInt64 = 0
    /// Set by a callback (EarlyStopping) to end `fit` after the current epoch.
    public var stopTraining = false
    public internal(set) var optimizer: (any Optimizer)?
    public internal(set) var loss: Loss = .meanSquaredError
    public internal(set) var metrics: [Metric] = []
    var firstTrainable = 0
    /// Runs an `Embedding` and the recurrent layer after it as one (RecurrentEmbedded.swift)
    /// whenever the batch allows it. Same maths, summed in another order; tests set `false` to
    /// compare (internal: not a user option).
    var fusesEmbeddings = true
    /// Indices of the consumers fused with the embedding before them in the last training forward.
    private var fusedConsumers: Set<Int> = []
    /// `parameters`, cached at build (the list never changes afterwards).
    var trainable: [Parameter] = []
    /// With a ``DataParallel`` runtime (one rank of an MPI job), `fit` and `evaluate` work on this
    /// rank's share of every batch and sum gradients and metrics across ranks (DataParallel.swift);
    /// `nil` (the default): one process, the single-process path untouched.
    public var dataParallel: (any DataParallel)?
    /// The flat gradient buffer summed across ranks, kept between steps.
    var dataParallelBuffer: [Float] = []
    /// Under ``dataParallel``: some rank asked to stop (its ``StopRequest``) before the last
    /// step's allreduce, which carried the request to every rank (DataParallel.swift), so all
    /// stop at the same step boundary.
    var dataParallelStopAgreed = false

    public init(_ layers: [any Layer] = [], name: String = "sequential") {
        self.layers = layers; self.name = name
    }

    public func add(_ layer: any Layer) {
        precondition(inputShape == nil, "Sequential '\(name)': add(\(layer.kind)) after build")
        layers.append(layer)
    }

    public var isBuilt: Bool { inputShape != nil }
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    public var outputShape: [Int]? { outputShapes.last ?? inputShape }

    public func build(inputShape: [Int], seed: UInt64) throws {
        precondition(!isBuilt, "Sequential '\(name)' is already built")
        guard !layers.isEmpty else { throw InputError("model '\(name)' has no layers", hint: "add at least one layer") }
        try assignNames()
        self.seed = seed
        var shape = inputShape
        var shapes: [[Int]] = []
        for (i, layer) in layers.enumerated() {
            var rng = SeededRandom(seed: seed, stage: "init/\(layer.name)")
            do {
                shape = try layer.build(inputShape: shape, rng: &rng)
            } catch {
                let from = i == 0 ? "the model input" : "the output of '\(layers[i - 1].name)' (\(layers[i - 1].kind))"
                throw InputError("layer '\(layer.name)' (\(layer.kind)) cannot take \(from) of shape \(Self.kerasShape(shape)): \(error)",
                                 hint: "check the layer order and input_shape")
            }
            shapes.append(shape)
        }
        outputShapes = shapes
        self.inputShape = inputShape
        firstTrainable = layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
        trainable = parameters
        for (i, layer) in layers.enumerated() {
            (layer as? any InputGradientOptional)?.computesInputGradient = i > firstTrainable
        }
    }

    private func assignNames() throws {
        var used = Set(layers.map(\.name).filter { !$0.isEmpty })
        var seen = Set<String>()
        for layer in layers where !layer.name.isEmpty {
            guard seen.insert(layer.name).inserted else {
                throw InputError("two layers are named '\(layer.name)'", field: "name", value: layer.name,
                                 hint: "layer names must be unique in a model")
            }
        }
        for layer in layers where layer.name.isEmpty {
            let base = Self.snakeCase(layer.kind)
            var candidate = base, n = 0
            while used.contains(candidate) { n += 1; candidate = "\(base)_\(n)" }
            used.insert(candidate)
            layer.name = candidate
        }
    }

    /// Keras' `to_snake_case`: `SimpleRNN` → `simple_rnn`, `GlobalMaxPooling1D` → `global_max_pooling1d`.
    public static func snakeCase(_ s: String) -> String {
        let c = Array(s)
        var out = ""
        for i in c.indices {
            let ch = c[i]
            if i > 0, ch.isUppercase {
                let prev = c[i - 1], next = i + 1 < c.count ? c[i + 1] : nil
                // "(.)([A-Z][a-z]+)" and "([a-z])([A-Z])"
                if (next?.isLowercase ?? false) || prev.isLowercase { out.append("_") }
            }
            out.append(ch)
        }
        return out.lowercased()
    }

    /// `[500, 32]` → `(None, 500, 32)`.
    public static func kerasShape(_ shape: [Int]) -> String {
        "(" + (["None"] + shape.map(String.init)).joined(separator: ", ") + ")"
    }

    /// Runs every layer; `context.training` turns dropout on and keeps what backward needs.
    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        precondition(isBuilt, "Sequential '\(name)' used before build")
        var h = x, i = 0
        fusedConsumers = []
        while i < layers.count {
            if fusesEmbeddings, i + 1 < layers.count, let e = layers[i] as? Embedding,
               let consumer = layers[i + 1] as? any EmbeddingConsumer,
               consumer.canConsume(e, tokens: h.count, training: context.training) {
                h = consumer.forward(ids: h, embedding: e, context: &context)
                if context.training { fusedConsumers.insert(i + 1) }
                i += 2
                continue
            }
            h = layers[i].forward(h, context: &context)
            i += 1
        }
        return h
    }

    /// Back-propagates dL/dy through the layers down to the first one with parameters,
    /// accumulating every parameter's gradient.
    public func backward(_ dy: Tensor) {
        var g = dy, i = layers.count - 1
        while i >= firstTrainable {
            if fusedConsumers.contains(i), let consumer = layers[i] as? any EmbeddingConsumer, let e = layers[i - 1] as? Embedding {
                consumer.backwardIntoEmbedding(g, embedding: e)
                i -= 2
                continue
            }
            g = layers[i].backward(g)
            i -= 1
        }
    }

    public func zeroGradients() { for p in trainable { p.zeroGrad() } }

    /// A copy of every parameter value, in `parameters` order.
    public func weights() -> [Tensor] { parameters.map(\.value) }

    /// Replaces every parameter value; the shapes must match `weights()` (precondition).
    public func setWeights(_ values: [Tensor]) {
        let ps = parameters
        precondition(ps.count == values.count, "setWeights: \(values.count) tensors for \(ps.count) parameters")
        for (p, v) in zip(ps, values) {
            precondition(p.value.shape == v.shape, "setWeights: \(p.name) is \(p.value.shape), received \(v.shape)")
            p.value = v
        }
    }
}

/// A layer that can skip computing dL/dx when nothing upstream needs it (the first layer with
/// parameters). `Sequential.build` sets the flag; `backward` then returns an empty tensor.
public protocol InputGradientOptional: Layer {
    var computesInputGradient: Bool { get set }
}

extension Dense: InputGradientOptional {}
extension Conv1D: InputGradientOptional {}
