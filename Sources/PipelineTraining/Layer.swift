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
/// off) and the random stream for dropout masks.
public struct ForwardContext {
    public var training: Bool
    public var rng: SeededRandom
    public init(training: Bool, rng: SeededRandom) { self.training = training; self.rng = rng }
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
