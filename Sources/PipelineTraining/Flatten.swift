import PipelineCore

/// Collapses every axis but the batch, as Keras' `Flatten`.
///
/// ```swift
/// Sequential([Flatten(), Dense(units: 32, activation: .relu), Dense(units: 1)])   // [B, 240, 14] → [B, 3360]
/// ```
///
/// Shapes: `[B, d1, d2, …]` → `[B, d1·d2·…]` in row-major order. No parameters; forward and
/// backward are reshapes that share storage (no copy). Never fails.
public final class Flatten: Layer {
    public let kind = "Flatten"
    public var name: String
    public let parameters: [Parameter] = []
    private var inputShape: [Int] = []                 // without batch

    public init(name: String = "") { self.name = name }

    public var config: [String: ConfigValue] { ["name": .string(name), "data_format": .string("channels_last")] }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        self.inputShape = inputShape
        return [inputShape.reduce(1, *)]
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        let b = x.shape.first ?? 0
        return x.reshaped([b, b == 0 ? 0 : x.count / b])
    }

    public func backward(_ dy: Tensor) -> Tensor {
        dy.count == 0 ? dy : dy.reshaped([dy.shape[0]] + inputShape)
    }
}
