import PipelineCore

/// A trainable value and the gradient accumulated into it by `backward`.
///
/// Optimizers iterate a model's parameters; `name` is the Keras-style weight name
/// (`lstm/kernel`, `lstm/recurrent_kernel`, `lstm/bias`) used when saving.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public var value: Tensor
    public var grad: Tensor

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.grad = Tensor(shape: value.shape)
    }

    public func zeroGrad() {
        grad.data.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

/// What a layer's forward pass may use besides its input: the training flag (dropout on or
/// off) and where dropout masks come from.
///
/// ```swift
/// var ctx = ForwardContext(training: true, maskSeed: Sequential.dropoutSeed(seed: 42, epoch: 0, step: 7),
///                          firstSample: batch.sampleOffset)
/// let y = model.forward(x, context: &ctx)
/// ```
///
/// Dropout masks are per SAMPLE: each layer that draws masks in training takes the next draw
/// index (``nextMaskDraw()``; layers draw in their fixed order within a forward pass, a
/// `Bidirectional` forward direction before its backward one), and row `i` of its masks comes
/// from the stream of sample `firstSample + i` (``DropoutStreams``). So a sample's masks do not
/// depend on the batch size or on how a batch is split over ranks or threads: a data-parallel
/// job gives the same masks whatever its number of ranks. A layer that draws nothing (inference,
/// rate 0) takes no index. Cost: one generator seeding per row and mask-drawing layer, plus one
/// draw per mask value. Reuse a context for one forward pass only (copy it to replay one).
public struct ForwardContext {
    public var training: Bool
    /// The seed of this forward pass's dropout streams (``Sequential/dropoutSeed(seed:epoch:step:)``
    /// in `fit`: from the run seed, the epoch and the step).
    public var maskSeed: UInt64
    /// The position in its epoch's order of the batch's first sample (`Batch.sampleOffset`).
    public var firstSample: Int
    /// Mask draws taken so far in this forward pass: the index of the next one.
    public var maskDraws = 0

    public init(training: Bool, maskSeed: UInt64, firstSample: Int = 0) {
        self.training = training; self.maskSeed = maskSeed; self.firstSample = firstSample
    }

    /// A context whose mask seed is `rng`'s next value and whose batch starts at sample 0
    /// (tests and benchmarks).
    public init(training: Bool, rng: SeededRandom) {
        var r = rng
        self.init(training: training, maskSeed: r.next())
    }

    /// The per-sample streams of the next mask draw of this forward pass.
    public mutating func nextMaskDraw() -> DropoutStreams {
        defer { maskDraws += 1 }
        return DropoutStreams(maskSeed: maskSeed, draw: maskDraws, firstSample: firstSample)
    }
}

/// One layer of a `Sequential` model. Shape legend used in every layer file:
/// `B` batch, `T` timesteps, `F` input features, `H` units, `V` vocabulary, `E` embedding width.
///
/// Contract:
/// - ``build(inputShape:rng:)`` receives the input shape **without** the batch dimension
///   (`[T, F]`, `[T]` for token ids), creates the parameters with Keras' initialisers from
///   `rng`, and returns the output shape without batch. It throws ``InputError`` when the
///   input shape does not fit the layer (the message names the layer and the shape).
/// - ``forward(_:context:)`` takes `[B, …]` and returns `[B, …]`; in training it keeps what
///   ``backward(_:)`` needs (and only that) in the layer.
/// - ``backward(_:)`` takes dL/dy for the last forward, **accumulates** dL/dθ into each
///   parameter's `grad`, and returns dL/dx (for layers whose input is not differentiable,
///   e.g. `Embedding`, an empty tensor).
public protocol Layer: AnyObject {
    /// Keras' class name, as shown in `summary()`: `LSTM`, `Dense`, `Bidirectional`.
    var kind: String { get }
    /// The layer's unique name in its model: `lstm`, `dense_1`.
    var name: String { get set }
    var parameters: [Parameter] { get }

    func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int]
    func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor
    func backward(_ dy: Tensor) -> Tensor

    /// The layer's configuration, with Keras' key names, for saving and reports.
    var config: [String: ConfigValue] { get }
}

extension Layer {
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// A JSON-like value for layer and model configurations.
public enum ConfigValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case int(Int), double(Double), string(String), bool(Bool), list([ConfigValue]), null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else { self = .list(try c.decode([ConfigValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let v): try c.encode(v)
        case .double(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .bool(let v): try c.encode(v)
        case .list(let v): try c.encode(v)
        case .null: try c.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .double(let v): "\(v)"
        case .string(let v): v
        case .bool(let v): "\(v)"
        case .list(let v): "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .null: "null"
        }
    }
}
