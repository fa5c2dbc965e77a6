import PipelineCore

/// Updates a model's parameters from their accumulated gradients, as a Keras 3 optimizer.
///
/// ```swift
/// let opt = RMSprop(learningRate: 1e-3)          // Keras defaults otherwise
/// model.compile(optimizer: opt, loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
/// ```
///
/// Contract: ``apply(_:)`` first clips the gradients (``GradientClipping``, in place), then
/// updates every parameter once and increments ``iterations``. Slots (velocities, momentums)
/// are created at the first update, keyed by parameter name, so ``state`` can be saved and
/// ``restore(_:)``d to resume training exactly. Optimizers are reference types used by one
/// training loop at a time (not thread-safe).
public protocol Optimizer: AnyObject {
    /// Keras' registered name: `rmsprop`, `adam`, `sgd`.
    var kerasName: String { get }
    var learningRate: Float { get set }
    var clipping: GradientClipping { get }
    /// Updates applied so far (Keras' `optimizer.iterations`).
    var iterations: Int { get }
    func apply(_ parameters: [Parameter])
    /// Everything needed to resume: iterations and slot tensors (`[slot: [parameter: values]]`).
    var state: OptimizerState { get }
    /// Replaces the state; throws ``InputError`` when a slot's size does not match its parameter.
    func restore(_ state: OptimizerState, parameters: [Parameter]) throws
    /// Keras' `get_config()` keys (`learning_rate`, `rho`, …).
    var config: [String: ConfigValue] { get }
}

/// Gradient clipping before the update, as Keras' `clipnorm` and `global_clipnorm`:
/// `clipnorm(c)` rescales each parameter's gradient `g` to `g·c / max(‖g‖, c)`;
/// `globalClipnorm(c)` rescales all gradients by `c · min(1/‖G‖, 1/c)` with `‖G‖` the norm over
/// all of them (a non-finite norm makes every gradient NaN, as Keras).
public enum GradientClipping: Sendable, Equatable, Codable {
    case none
    case clipnorm(Float)
    case globalClipnorm(Float)

    func clip(_ parameters: [Parameter]) {
        switch self {
        case .none: return
        case .clipnorm(let c):
            for p in parameters {
                let norm = Float(Self.sumOfSquares(p.grad.data).squareRoot())
                let d = max(norm, c)
                p.grad.data.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] = g[i] * c / d } }
            }
        case .globalClipnorm(let c):
            let norm = Float(parameters.reduce(0) { $0 + Self.sumOfSquares($1.grad.data) }.squareRoot())
            let scale = c * min(1 / norm, 1 / c) + (norm - norm)
            for p in parameters {
                p.grad.data.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
            }
        }
    }

    static func sumOfSquares(_ v: [Float]) -> Double {
        var s: Double = 0
        for x in v { s += Double(x) * Double(x) }
        return s
    }

    var config: [String: ConfigValue] {
        switch self {
        case .none: ["clipnorm": .null, "global_clipnorm": .null]
        case .clipnorm(let c): ["clipnorm": .double(Double(c)), "global_clipnorm": .null]
        case .globalClipnorm(let c): ["clipnorm": .null, "global_clipnorm": .double(Double(c))]
        }
    }
}

/// An optimizer's resumable state: the update count and its slot tensors by slot and parameter name.
public struct OptimizerState: Sendable, Equatable, Codable {
    public var iterations: Int
    public var slots: [String: [String: [Float]]]
    public init(iterations: Int = 0, slots: [String: [String: [Float]]] = [:]) {
        self.iterations = iterations; self.slots = slots
    }

    /// Checks that every slot matches a parameter's size (the shared part of `restore`).
    func validated(against parameters: [Parameter]) throws -> OptimizerState {
        let sizes = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value.count) })
        for (slot, byName) in slots {
            for (name, values) in byName where sizes[name] != values.count {
                throw InputError("optimizer slot '\(slot)' for '\(name)' has \(values.count) values but the model's parameter has \(sizes[name].map(String.init) ?? "none")",
                                 hint: "load optimizer state only into the model it was saved from")
            }
        }
        return self
    }
}
